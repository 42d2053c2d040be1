import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { CASE_ID, COMPLAINTS_OFFICER, COMPLAINT_ID, harness, listRows } from '../commands/fixtures';
import { FakeExecutions, FakeScanner } from './fakes';

const AUDITOR_CLAIMS = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };
const ADMIN_CLAIMS = { sub: 'adm-cote', 'cognito:groups': ['admin'] };

function request(query: Record<string, string>, claims: Record<string, unknown> = AUDITOR_CLAIMS) {
  const path = '/api/audit/access/list-views';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers: {},
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-8',
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

async function setUp() {
  const h = harness();
  await h.seed();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const handler = makeHandler({
    ledger: h.ledger,
    caseReferences: h.ledger,
    clock: h.clock,
    policy: loadSctPolicy(),
    executions: new FakeExecutions(),
    scanner: await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID]),
    accessJournal: h.accessJournal,
    logger: quiet,
    originCheck: { mode: 'off' },
  });
  return { h, handler };
}

function body(result: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  return JSON.parse(String(result.body)) as Record<string, unknown>;
}

describe('GET /api/audit/access/list-views', () => {
  it('gives auditors the work-list views of a day: who, when, which route, which confidential cases', async () => {
    const { h, handler } = await setUp();
    await listRows(h.deps, COMPLAINTS_OFFICER, {}, { route: 'GET /api/staff/cases' });

    const result = (await handler(request({ day: '2026-03-04' }))) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(200);
    expect(body(result)).toEqual({
      day: '2026-03-04',
      views: [
        {
          at: '2026-03-04T15:00:00.000Z',
          actor: { kind: 'staff', id: 'rp-lavoie', role: 'complaints-officer' },
          route: 'GET /api/staff/cases',
          caseIds: [COMPLAINT_ID],
        },
      ],
    });
  });

  it('403 for an administrator, 400 without a valid day', async () => {
    const { handler } = await setUp();

    const admin = (await handler(
      request({ day: '2026-03-04' }, ADMIN_CLAIMS),
    )) as APIGatewayProxyStructuredResultV2;
    const noDay = (await handler(request({}))) as APIGatewayProxyStructuredResultV2;
    const badDay = (await handler(request({ day: 'hier' }))) as APIGatewayProxyStructuredResultV2;

    expect(admin.statusCode).toBe(403);
    expect(noDay.statusCode).toBe(400);
    expect(badDay.statusCode).toBe(400);
    expect(body(badDay)).toMatchObject({ errors: [{ field: 'query.day', pointer: '/query/day' }] });
  });
});
