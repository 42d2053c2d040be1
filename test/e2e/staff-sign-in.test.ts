import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

import type { BrowserContext, Page } from 'playwright-core';

import { staffContentSecurityPolicy } from '../../infra/aws/constructs/staff-distribution';
import { STAFF_PATHS_FUNCTION_CODE } from '../../infra/aws/constructs/staff-paths';
import { STAFF_STATIC_FILES } from '../../infra/aws/function-entries';
import { loadSctPolicy } from '../../shared/domain/policy';
import { cognitoAuthConfig, renderStaffSite } from '../../web/staff';
import { launchChromium, type LaunchedChromium } from '../support/browser';

/**
 * The Cognito sign-in of the deployed staff pages in a real browser (Debian's chromium, playwright-core): the
 * pages as the staff site deploys them (rendered with a Cognito configuration, the staff CSP, the viewer-request
 * function's address mapping), and a stand-in for the user pool's hosted UI on another origin that checks the
 * PKCE proof as Cognito does (the S256 of the verifier must equal the challenge of the authorization request).
 */
const CLIENT_ID = 'staffpagesclient';
const STATIC_DIR = path.join(__dirname, '..', '..', 'web', 'static');

jest.setTimeout(30_000);

interface PendingCode {
  readonly challenge: string;
  readonly nonce: string;
  readonly redirectUri: string;
}

let site: Server;
let idp: Server;
let siteUrl = '';
let idpUrl = '';
const codes = new Map<string, PendingCode>();
/** What the stand-in API received, and what it answers (a 401 once the session is revoked). */
const apiCalls: string[] = [];
let apiStatus = 200;
let tokenExchanges = 0;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;
let page: Page;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });
}

function idToken(nonce: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    sub: 'c0ffee00-0000-4000-8000-000000000001',
    aud: CLIENT_ID,
    nonce,
    exp: Math.floor(Date.now() / 1000) + 3600,
    name: 'Agente Tremblay',
    'cognito:groups': ['agent'],
    'custom:units': 'statistics',
  };
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2ln`;
}

/** The hosted UI stand-in: authorize (signs the person in at once), token (PKCE checked), logout. */
async function hostedUi(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', idpUrl);
  if (url.pathname === '/oauth2/authorize') {
    const q = url.searchParams;
    const valid =
      q.get('response_type') === 'code' &&
      q.get('client_id') === CLIENT_ID &&
      q.get('code_challenge_method') === 'S256' &&
      q.get('redirect_uri')?.startsWith(siteUrl);
    if (!valid) return void response.writeHead(400).end('bad authorization request');
    const code = randomUUID();
    codes.set(code, {
      challenge: q.get('code_challenge') ?? '',
      nonce: q.get('nonce') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
    });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    return void response.writeHead(302, { location: back.toString() }).end();
  }
  if (url.pathname === '/oauth2/token') {
    const cors = { 'access-control-allow-origin': siteUrl, 'access-control-allow-headers': 'content-type' };
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    const form = new URLSearchParams(await body(request));
    const pending = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    tokenExchanges += 1;
    const proof = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    const ok =
      pending !== undefined &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === CLIENT_ID &&
      form.get('redirect_uri') === pending.redirectUri &&
      proof === pending.challenge;
    if (!ok) {
      return void response
        .writeHead(400, { ...cors, 'content-type': 'application/json' })
        .end('{"error":"invalid_grant"}');
    }
    return void response
      .writeHead(200, { ...cors, 'content-type': 'application/json' })
      .end(JSON.stringify({ id_token: idToken(pending.nonce), access_token: 'a', token_type: 'Bearer' }));
  }
  if (url.pathname === '/logout') {
    const ok = url.searchParams.get('client_id') === CLIENT_ID;
    if (!ok) return void response.writeHead(400).end('bad logout request');
    return void response.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '' }).end();
  }
  response.writeHead(404).end();
}

/** The staff site as CloudFront serves it: the viewer-request mapping, the objects, the staff CSP; the API stubbed. */
function staffSite(pages: Map<string, string>) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', siteUrl);
    if (url.pathname.startsWith('/api/staff/')) {
      apiCalls.push(String(request.headers.authorization ?? ''));
      return void response
        .writeHead(apiStatus, { 'content-type': 'application/json' })
        .end(apiStatus === 200 ? '{"cases":[]}' : '{"message":"Unauthorized"}');
    }
    const mapped = runInNewContext(`${STAFF_PATHS_FUNCTION_CODE}\nhandler(event);`, {
      event: { request: { uri: url.pathname, method: 'GET', headers: {}, querystring: {}, cookies: {} } },
    }) as { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
    if (mapped.statusCode !== undefined) {
      return void response
        .writeHead(mapped.statusCode, { location: mapped.headers?.['location']?.value })
        .end();
    }
    const key = (mapped.uri ?? '').slice(1);
    const csp = staffContentSecurityPolicy(idpUrl).replace('; upgrade-insecure-requests', '');
    const html = pages.get(key);
    if (html !== undefined) {
      return void response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp })
        .end(html);
    }
    if ((STAFF_STATIC_FILES as readonly string[]).includes(key)) {
      return void response
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': csp })
        .end(readFileSync(path.join(STATIC_DIR, key)));
    }
    response.writeHead(404).end();
  };
}

beforeAll(async () => {
  idp = createServer((request, response) => void hostedUi(request, response));
  idpUrl = await listen(idp);
  const pages = new Map<string, string>();
  site = createServer((request, response) => staffSite(pages)(request, response));
  siteUrl = await listen(site);
  for (const page of renderStaffSite(loadSctPolicy(), (language) =>
    cognitoAuthConfig({ domain: idpUrl, clientId: CLIENT_ID, siteUrl: `${siteUrl}/` }, language),
  )) {
    pages.set(page.objectKey, page.html);
  }
  launched = await launchChromium('jalon-chromium-', {
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
  browser = launched.context;
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  site?.close();
  idp?.close();
});

/** What the tab keeps (browser expressions as text: the tests are type-checked without the DOM library). */
const storageOf = () =>
  page.evaluate(`({
    session: sessionStorage.getItem('jalon.staff.session'),
    pending: sessionStorage.getItem('jalon.staff.pending-sign-in'),
    local: localStorage.length,
  })`) as Promise<{ session: string | null; pending: string | null; local: number }>;

describe('the deployed staff pages sign in through the hosted UI (code + PKCE)', () => {
  it('signs in from a protected page and comes back to it, with the token in sessionStorage only', async () => {
    await page.goto(`${siteUrl}/en/staff/`);
    await page.waitForURL(/\/en\/staff\/login\?next=/);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${siteUrl}/en/staff/`);
    // The work list asked the API with the session's token and said how many cases it found.
    await page.waitForFunction(`document.getElementById('page-status')?.textContent`);

    expect(tokenExchanges).toBe(1);
    const stored = await storageOf();
    expect(JSON.parse(stored.session ?? '{}')).toMatchObject({ user: { name: 'Agente Tremblay' } });
    expect(stored.pending).toBeNull();
    expect(stored.local).toBe(0);
    await page.waitForFunction(`document.querySelector('[data-testid="session-user"]')?.textContent`);
    expect(apiCalls.at(-1)).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    // The code and state are gone from the address and the history.
    expect(page.url()).not.toContain('code=');
  });

  it('refuses a callback whose state this tab did not send, and opens no session', async () => {
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${siteUrl}/staff/auth/callback?code=stolen&state=forged`);

    await page.locator('#callback-failed').waitFor({ state: 'visible' });
    expect((await storageOf()).session).toBeNull();
  });

  it('shows the session-expired page when the API refuses the token, and signs in again to the same page', async () => {
    await page.goto(`${siteUrl}/staff/login`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${siteUrl}/staff/`);
    apiStatus = 401;
    await page.reload();

    await page.waitForURL(/\/staff\/session-expired\?next=%2Fstaff%2F$/);
    await page.getByRole('heading', { name: 'Session expirée' }).waitFor();
    expect((await storageOf()).session).toBeNull();

    apiStatus = 200;
    await page.getByRole('link', { name: 'Se reconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${siteUrl}/staff/`);
  });

  it('signs out through the hosted logout endpoint, back to the sign-in page', async () => {
    await page.waitForFunction(`!document.querySelector('[data-session-nav]')?.hasAttribute('hidden')`);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();

    await page.waitForURL(`${siteUrl}/staff/login`);
    expect((await storageOf()).session).toBeNull();
  });
});
