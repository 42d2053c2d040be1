import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import type { AuditApiDeps } from '../../../functions/audit-api/handler';
import type {
  LedgerVerificationRecord,
  RunExecutionStatus,
  VerificationRun,
} from '../../../shared/domain/audit';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { CASE_ID, harness } from '../commands/fixtures';
import { FakeExecutions, FakeScanner } from './fakes';

const AUDITOR = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };
const AGENT = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };

function request(path: string, method: string, claims: Record<string, unknown>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims as never, scopes: [] } },
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-9',
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const STOPPED_AT = '2026-03-04T15:06:00.000Z';

const RUNNING: LedgerVerificationRecord = {
  runId: 'run-1',
  startedAt: '2026-03-04T15:00:00.000Z',
  updatedAt: '2026-03-04T15:05:00.000Z',
  status: 'running',
  phase: 'cases',
  cases: 4000,
  events: 52000,
  mirrorObjects: 52000,
  badCaseCount: 0,
  badCases: [],
  truncated: false,
  digest: {
    status: 'valid',
    day: '2026-03-04',
    key: 'digests/2026-03-04.jsonl',
    heads: 9000,
    bytes: 1_080_000,
    checked: 0,
    mismatches: 0,
  },
};

/** A starter that runs one at a time, as the state machine's starter does; its executions say `status`. */
class OneAtATime {
  starts = 0;
  status: RunExecutionStatus = 'running';
  private running: VerificationRun | undefined;
  async executionStatus(): Promise<{ status: RunExecutionStatus; stoppedAt?: string }> {
    return this.status === 'running' ? { status: 'running' } : { status: this.status, stoppedAt: STOPPED_AT };
  }
  async start(): Promise<VerificationRun> {
    this.starts += 1;
    this.running ??= { runId: `run-${this.starts}`, startedAt: '2026-03-04T15:00:00.000Z' };
    return this.running;
  }
}

async function setUp(withJob = true) {
  const h = harness();
  await h.seed();
  const starter = new OneAtATime();
  const deps: AuditApiDeps = {
    ledger: h.ledger,
    caseReferences: h.ledger,
    clock: h.clock,
    policy: loadSctPolicy(),
    executions: new FakeExecutions(),
    scanner: await FakeScanner.of(h.ledger, [CASE_ID]),
    accessJournal: h.accessJournal,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
    ...(withJob
      ? {
          ledgerVerification: {
            verifications: starter,
            verificationStore: { latest: async () => ({ latest: RUNNING, lastFinished: null }) },
          },
        }
      : {}),
  };
  return { starter, handler: makeHandler(deps) };
}

describe('audit API: the ledger verification job', () => {
  it('starts a run (202), and a second start while it runs answers the same run', async () => {
    const { handler, starter } = await setUp();

    const first = await handler(request('/api/audit/ledger/verifications', 'POST', AUDITOR));
    const second = await handler(request('/api/audit/ledger/verifications', 'POST', AUDITOR));

    expect(first.statusCode).toBe(202);
    expect(JSON.parse(String(first.body))).toEqual({ runId: 'run-1', startedAt: '2026-03-04T15:00:00.000Z' });
    expect(JSON.parse(String(second.body))).toEqual(JSON.parse(String(first.body)));
    expect(starter.starts).toBe(2);
  });

  it('answers the latest run’s progress and the last finished one', async () => {
    const { handler } = await setUp();

    const result = await handler(request('/api/audit/ledger/verifications/latest', 'GET', AUDITOR));

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({ latest: RUNNING, lastFinished: null });
  });

  it('answers a run stored as running whose execution was stopped as failed, saying so', async () => {
    const { handler, starter } = await setUp();
    starter.status = 'aborted';

    const result = await handler(request('/api/audit/ledger/verifications/latest', 'GET', AUDITOR));

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({
      latest: { ...RUNNING, status: 'failed', error: 'ExecutionAborted', finishedAt: STOPPED_AT },
      lastFinished: null,
    });
  });

  it('refuses anyone but an auditor (403) without starting anything', async () => {
    const { handler, starter } = await setUp();

    const result = await handler(request('/api/audit/ledger/verifications', 'POST', AGENT));

    expect(result.statusCode).toBe(403);
    expect(starter.starts).toBe(0);
  });

  it('fails closed (500 PORT_NOT_CONFIGURED) where the job is not deployed', async () => {
    const { handler } = await setUp(false);

    const result = await handler(request('/api/audit/ledger/verifications/latest', 'GET', AUDITOR));

    expect(result.statusCode).toBe(500);
  });
});
