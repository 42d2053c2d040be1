import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/staff-api/handler';
import type { StaffApiDeps, StaffIntakePorts } from '../../../functions/staff-api/handler';
import type { IntakeMetrics } from '../../../shared/domain/case/commands';
import { InMemoryReferenceAllocator } from '../../../shared/domain/ledger';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { harness } from '../commands/fixtures';
import type { ProblemBody } from '../../support/problem';

export { NOW } from '../commands/fixtures';

export const INTAKE_PATH = '/api/staff/intake';
export const KEY = '0b6f9a52-6d1e-4c8e-9f3a-5d2c7e1b4a90';

/** Claims of the API Gateway JWT authorizer, per person. */
export const CLAIMS = {
  agent: { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' },
  otherUnitAgent: { sub: 'agent-roy', 'cognito:groups': ['agent'], 'custom:units': 'media-relations' },
  supervisor: { sub: 'sup-gagnon', 'cognito:groups': ['supervisor'], 'custom:units': 'statistics' },
  complaintsOfficer: { sub: 'rp-lavoie', 'cognito:groups': ['complaints-officer'] },
  auditor: { sub: 'aud-bouchard', 'cognito:groups': ['auditor'] },
  admin: { sub: 'adm-cote', 'cognito:groups': ['admin'] },
  visitor: { sub: 'visitor-1', 'cognito:groups': ['visitors'] },
} as const;

/**
 * A letter for the statistics service, postmarked and received on Monday 2 March 2026 at 14:30 in Québec,
 * typed in on Wednesday 4 March at 10:00 (the fixed clock).
 */
export const LETTER = {
  channel: 'mail',
  category: 'statistics',
  requester: {
    name: 'Paul Bédard',
    postalAddress: { lines: ['12, rue des Érables'], municipality: 'Lévis', country: 'CA' },
    language: 'fr',
  },
  subject: 'Effectifs de la fonction publique 2025',
  body: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?',
  receivedAt: '2026-03-02T14:30:00-05:00',
  evidence: { kind: 'postmark', reference: 'SCAN-2026-0142' },
} as const;

export class RecordingWorkflow implements Workflow {
  readonly started: WorkflowStart[] = [];
  start(input: WorkflowStart): Promise<void> {
    this.started.push(input);
    return Promise.resolve();
  }
}

export class RecordingMetrics implements IntakeMetrics {
  readonly lags: { channel: string; seconds: number }[] = [];
  recordRegistrationLag(sample: { readonly channel: string; readonly seconds: number }): void {
    this.lags.push({ ...sample });
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
  readonly method?: string;
  readonly path?: string;
  readonly claims?: Record<string, unknown> | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Sends no `Idempotency-Key` header (the default sends `KEY`). */
  readonly withoutKey?: boolean;
}

export interface ResponseBody extends ProblemBody {
  readonly [field: string]: unknown;
}

function apiEvent(options: CallOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? 'POST';
  const path = options.path ?? INTAKE_PATH;
  const claims = options.claims === undefined ? CLAIMS.agent : options.claims;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      ...(options.withoutKey ? {} : { 'idempotency-key': KEY }),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      ...(claims !== null
        ? {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: claims as never, scopes: [] },
            },
          }
        : {}),
      domainName: 'staff.example.org',
      domainPrefix: 'staff',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-77',
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2026:15:00:00 +0000',
      timeEpoch: Date.parse('2026-03-04T15:00:00Z'),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(body !== undefined ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  };
}

/**
 * The staff API over the commands harness (in-memory ledger, clock fixed on Wednesday 4 March 2026, 10:00 in
 * Québec) with an in-memory reference allocator and recording workflow, metrics and logger.
 */
export function setup(overrides: Partial<StaffApiDeps> = {}) {
  const h = harness();
  const logger = new RecordingLogger();
  const workflow = new RecordingWorkflow();
  const metrics = new RecordingMetrics();
  const references = new InMemoryReferenceAllocator();
  const intake: StaffIntakePorts = { references, workflow, metrics };
  const handle = makeHandler({ ...h.deps, logger, intake, originCheck: { mode: 'off' }, ...overrides });
  const call = async (options: CallOptions = {}) => {
    const response = (await handle(apiEvent(options))) as APIGatewayProxyStructuredResultV2 & {
      body: string;
    };
    return { ...response, json: JSON.parse(response.body) as ResponseBody };
  };
  return { h, logger, workflow, metrics, references, call };
}
