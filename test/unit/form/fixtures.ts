import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/form-intake/handler';
import type { FormIntakeDeps } from '../../../functions/form-intake/handler';
import type { OriginCheck } from '../../../shared/http/origin-verify';
import type { RateLimiter } from '../../../shared/domain/intake/form/rate-limiter';
import type { WebIntakeMetrics, WebIntakeOutcome } from '../../../shared/domain/intake/form/submit';
import { InMemoryCaseLedger, InMemoryReferenceAllocator } from '../../../shared/domain/ledger';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  CaseLedger,
  EventDraft,
  EventType,
  KeyedDraft,
  OpenCaseOptions,
  OpenCaseResult,
  OpeningEvent,
  ReferenceAllocator,
  ReferenceRequest,
} from '../../../shared/domain/ledger';
import type { Clock } from '../../../shared/domain/messaging/ports';
import { loadSctPolicy } from '../../../shared/domain/policy';
import type { Policy } from '../../../shared/domain/policy';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import type { ProblemBody } from '../../support/problem';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';

/** Friday 18 December 2026, 10:00 in Québec (EST): ten business days later is Monday 11 January 2027. */
export const NOW = '2026-12-18T15:00:00.000Z';
export const KEY = '4f9c2d1e-8a7b-4c3d-9e0f-1a2b3c4d5e6f';
export const REQUEST_ID = 'Jx3kQhT2yQ0EJmw=';

/** A valid JSON submission for the statistics service, in French. */
export const VALID = {
  category: 'statistics',
  name: 'Marie Tremblay',
  email: 'marie.tremblay@example.com',
  subject: 'Effectifs de la fonction publique 2025',
  message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
  website: '',
} as const;

export class FixedClock implements Clock {
  constructor(private instant: string = NOW) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: string): void {
    this.instant = instant;
  }
}

/** An in-memory ledger that counts appends, so a test can assert that nothing at all was written. */
export class CountingLedger extends ForwardingCaseLedger {
  constructor() {
    super(new InMemoryCaseLedger());
  }

  readonly appended: { caseId: string; type: string }[] = [];
  failWith: Error | undefined;

  override async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    if (this.failWith !== undefined) throw this.failWith;
    const result = await this.inner.append(caseId, draft, options);
    if (result.appended) this.appended.push({ caseId, type: draft.type });
    return result;
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    if (this.failWith !== undefined) throw this.failWith;
    const result = await this.inner.appendAll(caseId, drafts, options);
    for (const entry of result.results)
      if (entry.appended) this.appended.push({ caseId, type: entry.event.type });
    return result;
  }

  override async openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options?: OpenCaseOptions,
  ): Promise<OpenCaseResult | undefined> {
    if (this.failWith !== undefined) throw this.failWith;
    const result = await this.inner.openCase(caseId, opening, options);
    for (const event of result?.events ?? []) this.appended.push({ caseId, type: event.type });
    return result;
  }
}

export class CountingReferences implements ReferenceAllocator {
  private readonly inner = new InMemoryReferenceAllocator();
  allocated = 0;
  async allocate(request: ReferenceRequest) {
    this.allocated += 1;
    return this.inner.allocate(request);
  }
}

export class RecordingWorkflow implements Workflow {
  readonly started: WorkflowStart[] = [];
  start(input: WorkflowStart): Promise<void> {
    this.started.push(input);
    return Promise.resolve();
  }
}

export class RecordingMetrics implements WebIntakeMetrics {
  readonly outcomes: WebIntakeOutcome[] = [];
  record(outcome: WebIntakeOutcome): void {
    this.outcomes.push(outcome);
  }
}

export class RecordingLogger {
  readonly calls: { level: string; message: string; extra: Record<string, unknown>[] }[] = [];
  info(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'info', message, extra });
  }
  warn(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'warn', message, extra });
  }
  error(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'error', message, extra });
  }
}

export interface CallOptions {
  /** A string is sent as is; anything else as JSON (or URL-encoded when `contentType` says so). */
  readonly body?: unknown;
  readonly contentType?: string | null;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly isBase64Encoded?: boolean;
  readonly sourceIp?: string;
  /** Request time; the clock's now by default. */
  readonly at?: string;
}

export interface CallResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The parsed body when it is JSON or problem details (`{}` otherwise). */
  readonly json: Record<string, unknown> & Partial<ProblemBody>;
}

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** URL-encodes a flat record the way a browser posts a form. */
export function urlEncoded(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An API Gateway HTTP API v2 event. */
export function eventOf(options: CallOptions, clock: Clock): APIGatewayProxyEventV2 {
  const contentType = options.contentType === undefined ? JSON_TYPE : options.contentType;
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body =
      contentType === FORM_TYPE
        ? urlEncoded(options.body as Record<string, string>)
        : JSON.stringify(options.body);
  }
  const headers: Record<string, string> = {
    ...(contentType !== null ? { 'content-type': contentType } : {}),
    ...options.headers,
  };
  const at = options.at ?? clock.now().toISOString();
  const method = options.method ?? 'POST';
  const path = options.path ?? '/api/requests';
  const query = options.query;
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'citizen',
      domainName: 'formulaire.example',
      domainPrefix: 'formulaire',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '203.0.113.7',
        userAgent: 'jest',
      },
      requestId: REQUEST_ID,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: at,
      timeEpoch: Date.parse(at),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

function toResult(result: APIGatewayProxyStructuredResultV2): CallResult {
  const body = result.body ?? '';
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  let json: CallResult['json'] = {};
  if (/^application\/(problem\+)?json/.test(headers['content-type'] ?? ''))
    json = JSON.parse(body) as CallResult['json'];
  return { statusCode: result.statusCode ?? 0, headers, body, json };
}

export interface SetupOptions {
  readonly policy?: Policy;
  readonly rateLimiter?: RateLimiter;
  readonly now?: string;
  readonly ledger?: CaseLedger;
  readonly originCheck?: OriginCheck;
}

/** The form handler on in-memory fakes, and a `call` that sends one request to it. */
export function setup(options: SetupOptions = {}) {
  const clock = new FixedClock(options.now ?? NOW);
  const ledger = new CountingLedger();
  const references = new CountingReferences();
  const workflow = new RecordingWorkflow();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const policy = options.policy ?? loadSctPolicy();
  const deps: FormIntakeDeps = {
    ledger: options.ledger ?? ledger,
    references,
    workflow,
    clock,
    policy,
    metrics,
    logger,
    originCheck: options.originCheck ?? { mode: 'off' },
    ...(options.rateLimiter !== undefined ? { rateLimiter: options.rateLimiter } : {}),
  };
  const handler = makeHandler(deps);
  const call = async (callOptions: CallOptions = {}): Promise<CallResult> => {
    // The Lambda's clock is the request time (registration happens as the request arrives).
    if (callOptions.at !== undefined) clock.set(callOptions.at);
    return toResult(await handler(eventOf(callOptions, clock)));
  };
  /** True when nothing was written or started: no event, no reference, no workflow. */
  const nothingWritten = () =>
    ledger.appended.length === 0 && references.allocated === 0 && workflow.started.length === 0;
  return { call, clock, ledger, references, workflow, metrics, logger, policy, deps, nothingWritten };
}
