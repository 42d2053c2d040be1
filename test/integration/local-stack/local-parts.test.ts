import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CITIZEN_CONTENT_SECURITY_POLICY } from '../../../infra/aws/constructs/citizen-distribution';
import { RAW_MAIL_PREFIX } from '../../../infra/aws/stacks/email-intake-stack';
import { matchHttpApiRoute, toHttpApiEvent } from '../../../infra/local/api-gateway';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  LocalIdentityProvider,
  TokenRejectedError,
  toAuthorizerClaims,
} from '../../../infra/local/auth/local-identity-provider';
import { ClockRequestError, parseClockMove, toIsoDuration } from '../../../infra/local/clock-control';
import { DEMO_USERS, demoStaffDirectory } from '../../../infra/local/demo-users';
import { LOCAL_CITIZEN_CSP } from '../../../infra/local/http-server';
import { INBOUND_MAIL_PREFIX } from '../../../infra/local/local-stack';
import { renderOutboxPage } from '../../../infra/local/outbox';
import { identityFromClaims } from '../../../shared/domain/identity/identity';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';

/** The pure parts of the local stack: token checks, API Gateway events, clock requests, the outbox page. */
describe('local identity provider (JWT authorizer semantics)', () => {
  const NOW = Date.parse('2026-11-26T12:00:00Z');

  it('issues tokens whose authorizer claims give the demo user’s identity', () => {
    const idp = LocalIdentityProvider.open({ now: () => NOW });
    const { token, expiresAt } = idp.issue(DEMO_USERS.agent);

    const claims = idp.verify(`Bearer ${token}`);
    const passed = toAuthorizerClaims(claims);

    expect(expiresAt).toBe('2026-11-26T13:00:00.000Z');
    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, token_use: 'id' });
    expect(passed['cognito:groups']).toBe('[agent]');
    expect(passed['exp']).toBe(String(NOW / 1000 + 3600));
    expect(identityFromClaims(passed)).toEqual({
      id: 'demo-agent',
      roles: ['agent'],
      units: ['statistics', 'management-policies'],
      email: 'agent.demo@sct.example',
      name: 'Agent Démo',
    });
  });

  it('accepts the token without the Bearer prefix, as API Gateway does', () => {
    const idp = LocalIdentityProvider.open({ now: () => NOW });
    const { token } = idp.issue(DEMO_USERS.auditor);

    expect(idp.verify(token)['sub']).toBe('demo-auditor');
  });

  it('refuses expired tokens, tokens of another key, altered tokens and missing headers', () => {
    let now = NOW;
    const idp = LocalIdentityProvider.open({ now: () => now });
    const other = LocalIdentityProvider.open({ now: () => NOW });
    const { token } = idp.issue(DEMO_USERS.admin);
    const [header, , signature] = token.split('.') as [string, string, string];
    const altered = `${header}.${Buffer.from(JSON.stringify({ sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: NOW / 1000 + 60 })).toString('base64url')}.${signature}`;

    const reasons = [
      () => idp.verify(undefined),
      () => idp.verify('Bearer nope'),
      () => idp.verify(other.issue(DEMO_USERS.admin).token),
      () => idp.verify(altered),
      () => {
        now = NOW + 3600 * 1000;
        return idp.verify(token);
      },
    ].map((attempt) => {
      try {
        attempt();
        return 'accepted';
      } catch (error) {
        return error instanceof TokenRejectedError ? error.message : 'unexpected error';
      }
    });

    expect(reasons).toEqual([
      'no Authorization header',
      'not a compact JWS',
      'unknown key id',
      'bad signature',
      'expired or no expiry',
    ]);
  });

  it('keeps its key in the data folder (mode 600), so tokens survive a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jalon-idp-'));
    const keyFile = path.join(dir, 'key.jwk.json');
    try {
      const first = LocalIdentityProvider.open({ keyFile });
      const { token } = first.issue(DEMO_USERS.supervisor);
      const second = LocalIdentityProvider.open({ keyFile });

      expect(second.keyId).toBe(first.keyId);
      expect(second.verify(token)['sub']).toBe('demo-supervisor');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(second.jwks().keys[0]).toMatchObject({
        kid: first.keyId,
        alg: 'ES256',
        kty: 'EC',
        crv: 'P-256',
      });
      expect(second.jwks().keys[0]).not.toHaveProperty('d');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API Gateway HTTP API events (payload 2.0)', () => {
  const ROUTES = [
    { method: 'GET', path: '/api/staff/cases' },
    { method: 'POST', path: '/api/staff/cases/{caseId}/{action}' },
  ];

  it('selects routes like API Gateway, with decoded path parameters', () => {
    expect(matchHttpApiRoute(ROUTES, 'POST', '/api/staff/cases/sct%2Dabc/acknowledge')).toEqual({
      routeKey: 'POST /api/staff/cases/{caseId}/{action}',
      pathParameters: { caseId: 'sct-abc', action: 'acknowledge' },
    });
    expect(matchHttpApiRoute(ROUTES, 'GET', '/api/staff/cases')).toEqual({
      routeKey: 'GET /api/staff/cases',
    });
    expect(matchHttpApiRoute(ROUTES, 'GET', '/api/staff/cases/')).toBeUndefined();
    expect(matchHttpApiRoute(ROUTES, 'POST', '/api/staff/cases//acknowledge')).toBeUndefined();
    expect(matchHttpApiRoute(ROUTES, 'DELETE', '/api/staff/cases')).toBeUndefined();
  });

  it('builds the event: lower-cased joined headers, cookies, joined query values, text body, context, claims', () => {
    const event = toHttpApiEvent(
      {
        method: 'POST',
        url: '/api/staff/cases/c-12345678/answer?x=1&x=2',
        headers: { 'content-type': 'application/json', 'x-multi': ['a', 'b'], cookie: 'a=1; b=2' },
        body: Buffer.from('{"message":"Voici"}'),
        sourceIp: '127.0.0.1',
      },
      {
        routeKey: 'POST /api/staff/cases/{caseId}/{action}',
        pathParameters: { caseId: 'c-12345678', action: 'answer' },
      },
      { now: new Date('2026-12-18T15:00:00Z'), claims: { sub: 'demo-agent' } },
    );

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/staff/cases/{caseId}/{action}',
      rawPath: '/api/staff/cases/c-12345678/answer',
      rawQueryString: 'x=1&x=2',
      headers: { 'content-type': 'application/json', 'x-multi': 'a,b' },
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2' },
      pathParameters: { caseId: 'c-12345678', action: 'answer' },
      body: '{"message":"Voici"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/api/staff/cases/c-12345678/answer', sourceIp: '127.0.0.1' },
        stage: '$default',
        time: '18/Dec/2026:15:00:00 +0000',
        timeEpoch: Date.parse('2026-12-18T15:00:00Z'),
        authorizer: { jwt: { claims: { sub: 'demo-agent' } } },
      },
    });
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('base64-encodes bodies that are not text', () => {
    const event = toHttpApiEvent(
      {
        method: 'POST',
        url: '/upload',
        headers: { 'content-type': 'application/pdf' },
        body: Buffer.from([0x25, 0x50, 0x44, 0x46]),
        sourceIp: '127.0.0.1',
      },
      { routeKey: 'POST /upload' },
      { now: new Date() },
    );

    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe('JVBERg==');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });
});

describe('clock requests', () => {
  it.each([
    ['3d', 'P3D'],
    ['2w', 'P2W'],
    ['12h', 'PT12H'],
    ['90m', 'PT90M'],
    ['1d12h', 'P1DT12H'],
    ['P3D', 'P3D'],
    ['pt4h', 'PT4H'],
  ])('reads %s as %s', (input, iso) => {
    expect(toIsoDuration(input)).toBe(iso);
  });

  it.each(['', 'soon', '3x', 'd3', 'P'])('refuses %j', (input) => {
    expect(() => toIsoDuration(input)).toThrow(ClockRequestError);
  });

  it('accepts exactly one of advance and to', () => {
    expect(parseClockMove({ advance: '3d' })).toEqual({ advance: 'P3D' });
    expect(parseClockMove({ to: '2027-01-08T15:00:00Z' })).toEqual({ to: '2027-01-08T15:00:00Z' });
    expect(() => parseClockMove({ advance: 'P1D', to: '2027-01-08T15:00:00Z' })).toThrow(ClockRequestError);
    expect(() => parseClockMove({ to: '2027-01-08' })).toThrow(ClockRequestError);
    expect(() => parseClockMove(undefined)).toThrow(ClockRequestError);
  });
});

describe('outbox page and demo directory', () => {
  it('escapes every field and sandboxes the HTML part', () => {
    const html = renderOutboxPage([
      {
        id: 'm1',
        from: 'Jalon <no-reply@sct.example>',
        to: ['a@example.com'],
        replyTo: [],
        subject: '<script>alert(1)</script>',
        text: 'a & b',
        html: '<p onclick="x()">Bonjour</p>',
        sentAt: '2026-12-18T15:00:00.000Z',
      },
    ]);

    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &amp; b');
    expect(html).toContain('srcdoc="&lt;p onclick=&quot;x()&quot;&gt;Bonjour&lt;/p&gt;"');
    expect(html).toContain('sandbox=""');
  });

  it('gives every group the SCT policy routes to an address, the demo users’ own where they work', () => {
    const policy = loadSctPolicy();
    const directory = demoStaffDirectory(policy);
    const groups = policy.categories.flatMap((category) => [
      category.routing.assigneeGroup,
      category.routing.supervisor,
      category.routing.director,
    ]);

    expect(groups.filter((group) => (directory[group] ?? []).length === 0)).toEqual([]);
    expect(directory['statistics-officers']).toEqual([DEMO_USERS.agent.email]);
    expect(directory['statistics-supervisors']).toEqual([DEMO_USERS.supervisor.email]);
    expect(directory['complaints-officers']).toEqual([DEMO_USERS['complaints-officer'].email]);
    expect(directory['operations']).toEqual(['operations@sct.example']);
  });
});

describe('the local routes and names follow the CDK definitions', () => {
  it('declares the same raw-mail prefix and citizen CSP as AWS (the routes are one list, functions/*/routes.ts)', () => {
    expect(INBOUND_MAIL_PREFIX).toBe(RAW_MAIL_PREFIX);
    expect(`${LOCAL_CITIZEN_CSP}; upgrade-insecure-requests`).toBe(CITIZEN_CONTENT_SECURITY_POLICY);
  });
});
