import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { jwtApiHandler } from '../../../functions/staff-api/http';
import type { ApiLogger } from '../../../functions/staff-api/http';
import { ORIGIN_VERIFY_HEADER, readOnce } from '../../../shared/http/origin-verify';
import type { OriginCheck } from '../../../shared/http/origin-verify';

const SECRET = 'p4Lq9ZrT2vXw7NcB0mK3sH8jD5fG1yUa6eR9tQ2wE4rT7yU1iO3pA5sD8fG0hJ2k';
const ROUTES = [{ method: 'GET', path: '/api/staff/cases/{caseId}' }] as const;
const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };

type Response = APIGatewayProxyStructuredResultV2 & { body: string; headers: Record<string, string> };

function event(path: string, headers: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-7',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: AGENT_CLAIMS, scopes: [] } },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  };
}

/** The staff-side request cycle with a route that records what reached it. */
function setup(originCheck: OriginCheck) {
  const served: string[] = [];
  const logged: Record<string, unknown>[] = [];
  const record = (_message: string, ...extra: Record<string, unknown>[]) => logged.push(...extra);
  const logger: ApiLogger = { info: record, warn: record, error: record };
  const handle = jwtApiHandler(ROUTES, { logger, originCheck }, async ({ params, identity }) => {
    served.push(`${identity.id} ${params['caseId'] ?? ''}`);
    return { statusCode: 200, body: '{}' };
  });
  const call = async (path: string, headers: Record<string, string>) =>
    (await handle(event(path, headers))) as Response;
  return { call, served, logged };
}

const required = (expected = () => Promise.resolve(SECRET)): OriginCheck => ({ mode: 'required', expected });

describe('staff-side APIs behind CloudFront: the origin-verify header comes first', () => {
  it('serves a request that carries the secret header', async () => {
    const { call, served } = setup(required());
    const response = await call('/api/staff/cases/c-1', { [ORIGIN_VERIFY_HEADER]: SECRET });
    expect(response.statusCode).toBe(200);
    expect(served).toEqual(['agent-tremblay c-1']);
  });

  it.each([
    ['without the header', {}],
    ['with a wrong value', { [ORIGIN_VERIFY_HEADER]: 'guess' }],
    ['with the value under another header', { 'x-origin-verified': SECRET }],
  ])('answers 403 FORBIDDEN in French, and serves nothing, %s', async (_case, headers) => {
    const { call, served } = setup(required());
    const response = await call('/api/staff/cases/c-1', headers);

    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'urn:jalon:problem:forbidden',
      title: 'Accès refusé',
      status: 403,
      code: 'FORBIDDEN',
      messages: { fr: 'Accès refusé.', en: 'Forbidden.' },
    });
    expect(served).toEqual([]);
  });

  it('answers in English when the client prefers it', async () => {
    const { call } = setup(required());
    const response = await call('/api/staff/cases/c-1', { 'accept-language': 'en-CA,en;q=0.9' });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ title: 'Forbidden', detail: 'Forbidden.' });
  });

  it('refuses before the route is matched: an unknown path or method says nothing about the routes', async () => {
    const { call } = setup(required());
    expect((await call('/api/staff/nothing-here', {})).statusCode).toBe(403);
    // With the header the same path is an ordinary 404.
    expect((await call('/api/staff/nothing-here', { [ORIGIN_VERIFY_HEADER]: SECRET })).statusCode).toBe(404);
  });

  it('answers 500 without the secret in the logs when it cannot be read, then recovers', async () => {
    let reads = 0;
    const expected = readOnce(async () => {
      reads += 1;
      if (reads === 1) throw new Error('secrets extension unavailable');
      return SECRET;
    });
    const { call, served, logged } = setup(required(expected));
    const failed = await call('/api/staff/cases/c-1', { [ORIGIN_VERIFY_HEADER]: SECRET });
    expect(failed.statusCode).toBe(500);
    expect(served).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain(SECRET);

    const retried = await call('/api/staff/cases/c-1', { [ORIGIN_VERIFY_HEADER]: SECRET });
    expect(retried.statusCode).toBe(200);
  });

  it('checks nothing when the check is off (the local stack, no CloudFront)', async () => {
    const { call, served } = setup({ mode: 'off' });
    expect((await call('/api/staff/cases/c-2', {})).statusCode).toBe(200);
    expect(served).toEqual(['agent-tremblay c-2']);
  });
});
