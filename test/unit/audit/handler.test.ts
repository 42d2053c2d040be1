import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import type { AuditApiDeps } from '../../../functions/audit-api/handler';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { CASE_ID, COMPLAINT_ID, FRENCH_REQUESTER, harness } from '../commands/fixtures';
import { FakeExecutions, FakeScanner } from './fakes';

const AUDITOR_CLAIMS = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };
const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };
const ADMIN_CLAIMS = { sub: 'adm-cote', 'cognito:groups': ['admin'] };

class RecordingLogger {
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

function request(
  path: string,
  claims: Record<string, unknown> | null = AUDITOR_CLAIMS,
  method = 'GET',
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
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
      requestId: 'req-7',
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2026:15:00:00 +0000',
      timeEpoch: Date.parse('2026-03-04T15:00:00Z'),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  };
}

async function setUp() {
  const h = harness();
  await h.seed();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  const logger = new RecordingLogger();
  const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID]);
  const executions = new FakeExecutions().add(COMPLAINT_ID, 'RUNNING', [
    { id: 1, timestamp: '2026-03-02T14:00:01.000Z', type: 'ExecutionStarted' },
  ]);
  const deps: AuditApiDeps = {
    ledger: h.ledger,
    caseReferences: h.ledger,
    clock: h.clock,
    policy: loadSctPolicy(),
    executions,
    scanner,
    accessJournal: h.accessJournal,
    logger,
    originCheck: { mode: 'off' },
  };
  return { h, logger, handler: makeHandler(deps) };
}

function body(result: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  return JSON.parse(String(result.body)) as Record<string, unknown>;
}

describe('audit API handler', () => {
  it('answers the timeline of a complaint to an auditor, with no personal data in the JSON', async () => {
    const { handler } = await setUp();

    const result = await handler(request(`/api/audit/cases/${COMPLAINT_ID}/timeline`));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('no-store');
    const timeline = body(result);
    expect(Object.keys(timeline).sort()).toEqual([
      'case',
      'chain',
      'chronology',
      'deadlines',
      'events',
      'execution',
      'staffNames',
    ]);
    expect(timeline['chain']).toEqual({ ok: true });
    expect(timeline['execution']).toMatchObject([{ name: COMPLAINT_ID, status: 'RUNNING' }]);
    const text = String(result.body);
    expect(text).not.toContain(FRENCH_REQUESTER.email!);
    expect(text).not.toContain(FRENCH_REQUESTER.name);
    expect(text).not.toContain('Effectifs de la fonction publique');
    expect(text).not.toContain('Pourriez-vous');
  });

  it('refuses an agent (403) without reading or logging the case', async () => {
    const { h, handler } = await setUp();

    const result = await handler(request(`/api/audit/cases/${COMPLAINT_ID}/timeline`, AGENT_CLAIMS));

    expect(result.statusCode).toBe(403);
    expect(body(result)).toMatchObject({ code: 'ACCESS_DENIED', status: 403 });
    expect((await h.ledger.read(COMPLAINT_ID)).map((e) => e.type)).not.toContain('case.read');
  });

  it('refuses an administrator the ledger verification (403), in English when asked', async () => {
    const { handler } = await setUp();

    const result = await handler(
      request('/api/audit/ledger/verify', ADMIN_CLAIMS, 'GET', { 'accept-language': 'en' }),
    );

    expect(result.statusCode).toBe(403);
    expect(result.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': 'en',
      'cache-control': 'no-store',
    });
    expect(body(result)).toEqual({
      type: 'urn:jalon:problem:access-denied',
      title: 'Forbidden',
      status: 403,
      detail: 'You are not allowed to do this.',
      code: 'ACCESS_DENIED',
      messages: {
        fr: 'Vous n’avez pas l’autorisation de faire cette action.',
        en: 'You are not allowed to do this.',
      },
    });
  });

  it('answers 500 as problem details with the request id and nothing internal, in French by default', async () => {
    const { h, handler } = await setUp();
    h.ledger.read = () => Promise.reject(new Error('disk /var/ledger failed for case-0001'));

    const result = await handler(request(`/api/audit/cases/${CASE_ID}/timeline`));

    expect(result.statusCode).toBe(500);
    expect(result.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': 'fr',
    });
    expect(body(result)).toMatchObject({
      type: 'urn:jalon:problem:internal-error',
      title: 'Erreur interne',
      status: 500,
      code: 'INTERNAL_ERROR',
      requestId: 'req-7',
      detail: 'Une erreur interne est survenue; réessayez plus tard. Code de la requête\u00a0: req-7',
    });
    expect(String(result.body)).not.toMatch(/disk|\/var\/ledger|Error/);
  });

  it('answers 404 for an unknown case, 401 without identity, 404 and 405 for other routes and methods', async () => {
    const { handler } = await setUp();

    expect((await handler(request('/api/audit/cases/case-nope/timeline'))).statusCode).toBe(404);
    expect(body(await handler(request('/api/audit/cases/case-nope/timeline')))).toMatchObject({
      type: 'urn:jalon:problem:case-not-found',
      code: 'CASE_NOT_FOUND',
      status: 404,
    });
    const wrongMethod = await handler(request('/api/audit/ledger/verify', AUDITOR_CLAIMS, 'POST'));
    expect(wrongMethod.headers?.['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body(wrongMethod)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
    expect((await handler(request(`/api/audit/cases/${CASE_ID}/timeline`, null))).statusCode).toBe(401);
    expect((await handler(request('/api/audit/cases'))).statusCode).toBe(404);
    expect((await handler(request('/api/audit/ledger/verify', AUDITOR_CLAIMS, 'POST'))).statusCode).toBe(405);
  });

  it('verifies the ledger: 200 ok, then 200 with the first bad case and a warning', async () => {
    const { h, handler, logger } = await setUp();

    const intact = await handler(request('/api/audit/ledger/verify'));
    expect(intact.statusCode).toBe(200);
    expect(body(intact)).toEqual({ ok: true, cases: 2, events: 8 });

    h.ledger.tamper(CASE_ID, (events) =>
      events.map((e) => (e.seq === 2 ? { ...e, at: '2026-01-01T00:00:00.000Z' } : e)),
    );
    const broken = await handler(request('/api/audit/ledger/verify'));

    expect(body(broken)).toEqual({
      ok: false,
      cases: 2,
      events: 8,
      badCases: [{ caseId: CASE_ID, seq: 2, problem: 'hash-mismatch' }],
      badCaseCount: 1,
      truncated: false,
    });
    expect(logger.calls.at(-1)).toEqual({
      level: 'warn',
      message: 'ledger verification failed',
      extra: [{ cases: 2, events: 8, badCaseCount: 1, badCases: [`${CASE_ID}#2:hash-mismatch`] }],
    });
  });

  it('answers 500 without internals when the workflow history cannot be read', async () => {
    const { h, logger } = await setUp();
    const handler = makeHandler({
      ledger: h.ledger,
      caseReferences: h.ledger,
      clock: h.clock,
      policy: loadSctPolicy(),
      scanner: await FakeScanner.of(h.ledger, []),
      executions: {
        describe: async () => {
          throw Object.assign(new Error('AccessDenied arn:aws:states:secret'), {
            name: 'AccessDeniedException',
          });
        },
        history: async () => [],
      },
      accessJournal: h.accessJournal,
      logger,
      originCheck: { mode: 'off' },
    });

    const result = await handler(request(`/api/audit/cases/${CASE_ID}/timeline`));

    expect(result.statusCode).toBe(500);
    expect(String(result.body)).not.toContain('arn:');
    expect(logger.calls.at(-1)).toMatchObject({
      level: 'error',
      extra: [{ errorName: 'AccessDeniedException' }],
    });
  });
});
