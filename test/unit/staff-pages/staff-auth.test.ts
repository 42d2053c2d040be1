import { readFileSync } from 'node:fs';
import path from 'node:path';
import { webcrypto } from 'node:crypto';

/** The part of the browser's `Storage` the scripts use. */
interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
interface CognitoConfig {
  auth: 'cognito';
  domain: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
}
interface Session {
  token: string;
  expiresAt: string;
  user: { sub: string; name: string; roles: string[]; units: string[] };
}
type Send = (url: string, init: RequestInit) => Promise<{ status: number; json(): Promise<unknown> }>;
/** The exports of `web/static/staff-auth.js` (a browser module, through jest's transform). */
interface Auth {
  PENDING_KEY: string;
  VERIFIER_CHARSET: RegExp;
  StateMismatchError: new (message: string) => Error;
  SignInFailedError: new (message: string) => Error;
  base64UrlEncode(bytes: Uint8Array): string;
  createVerifier(crypto: typeof webcrypto): string;
  challengeS256(crypto: typeof webcrypto, verifier: string): Promise<string>;
  beginSignIn(options: {
    config: CognitoConfig;
    storage: Storage;
    crypto: typeof webcrypto;
    returnTo?: string;
    language: string;
  }): Promise<string>;
  completeSignIn(options: {
    config: CognitoConfig;
    storage: Storage;
    fetch: Send;
    search: string;
    now?: number;
  }): Promise<{ session: Session; returnTo: string | null }>;
  logoutUrl(config: CognitoConfig): string;
  readAuthConfig(doc: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  }): {
    auth: string;
  };
}

const auth = jest.requireActual<Auth>('../../../web/static/staff-auth.js');

class MemoryStorage implements Storage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const CONFIG: CognitoConfig = {
  auth: 'cognito',
  domain: 'https://jalon-dev-staff.auth.ca-central-1.amazoncognito.com',
  clientId: '4vk1a2b3c4d5e6f7g8h9i0jklm',
  redirectUri: 'https://staff.example/staff/auth/callback',
  logoutUri: 'https://staff.example/staff/login',
};
const NOW = Date.parse('2026-12-07T14:00:00Z');

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** A token endpoint that records what it received and answers an ID token with the given claims. */
function tokenEndpoint(claims: (nonce: string) => Record<string, unknown>, status = 200) {
  const calls: { url: string; body: URLSearchParams }[] = [];
  let nonce = '';
  const send: Send = (url, init) => {
    calls.push({ url, body: new URLSearchParams(String(init.body)) });
    return Promise.resolve({
      status,
      json: () => Promise.resolve({ id_token: jwt(claims(nonce)), access_token: 'a', token_type: 'Bearer' }),
    });
  };
  return {
    calls,
    send,
    /** The nonce the endpoint puts in the token: the one the sign-in sent, unless a test changes it. */
    useNonce(value: string) {
      nonce = value;
    },
  };
}

const agentClaims = (nonce: string) => ({
  sub: 'a1b2',
  aud: CONFIG.clientId,
  nonce,
  exp: NOW / 1000 + 3600,
  name: 'Agente Tremblay',
  'cognito:groups': ['agent'],
  'custom:units': 'statistics,doing-business',
});

async function begin(storage: MemoryStorage) {
  const url = new URL(
    await auth.beginSignIn({
      config: CONFIG,
      storage,
      crypto: webcrypto,
      returnTo: '/en/staff/',
      language: 'en',
    }),
  );
  const pending = JSON.parse(storage.getItem(auth.PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
  };
  return { url, pending };
}

describe('PKCE', () => {
  it('makes verifiers of 43 to 128 unreserved characters, a new one each time', () => {
    const verifiers = Array.from({ length: 50 }, () => auth.createVerifier(webcrypto));
    for (const verifier of verifiers) {
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]+$/);
      expect(verifier.length).toBeGreaterThanOrEqual(43);
      expect(verifier.length).toBeLessThanOrEqual(128);
      expect(verifier).toMatch(auth.VERIFIER_CHARSET);
    }
    expect(new Set(verifiers).size).toBe(verifiers.length);
  });

  it('computes the S256 challenge of the RFC 7636 appendix B example', async () => {
    await expect(auth.challengeS256(webcrypto, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('encodes base64url without padding (RFC 7636 appendix B octets)', () => {
    const octets = [
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
      191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    expect(auth.base64UrlEncode(Uint8Array.from(octets))).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  });
});

describe('sign-in through the hosted UI', () => {
  it('asks for a code with an S256 challenge of the kept verifier, a state and a nonce, never a token', async () => {
    const storage = new MemoryStorage();
    const { url, pending } = await begin(storage);

    expect(`${url.origin}${url.pathname}`).toBe(`${CONFIG.domain}/oauth2/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CONFIG.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(CONFIG.redirectUri);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(
      await auth.challengeS256(webcrypto, pending.verifier),
    );
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('nonce')).toBe(pending.nonce);
    expect(url.searchParams.get('scope')?.split(' ')).toContain('openid');
    expect(url.searchParams.get('lang')).toBe('en');
    // The verifier itself never leaves the tab.
    expect(url.toString()).not.toContain(pending.verifier);
  });

  it('exchanges the code with the verifier and keeps the person as the API will see them', async () => {
    const storage = new MemoryStorage();
    const { pending } = await begin(storage);
    const endpoint = tokenEndpoint(agentClaims);
    endpoint.useNonce(pending.nonce);

    const { session, returnTo } = await auth.completeSignIn({
      config: CONFIG,
      storage,
      fetch: endpoint.send,
      search: `?code=the-code&state=${pending.state}`,
      now: NOW,
    });

    expect(endpoint.calls).toHaveLength(1);
    expect(endpoint.calls[0]?.url).toBe(`${CONFIG.domain}/oauth2/token`);
    expect(Object.fromEntries(endpoint.calls[0]?.body ?? [])).toEqual({
      grant_type: 'authorization_code',
      client_id: CONFIG.clientId,
      code: 'the-code',
      redirect_uri: CONFIG.redirectUri,
      code_verifier: pending.verifier,
    });
    expect(session.user).toEqual({
      sub: 'a1b2',
      name: 'Agente Tremblay',
      roles: ['agent'],
      units: ['statistics', 'doing-business'],
    });
    expect(session.expiresAt).toBe('2026-12-07T15:00:00.000Z');
    expect(returnTo).toBe('/en/staff/');
    // The pending sign-in is single-use.
    expect(storage.getItem(auth.PENDING_KEY)).toBeNull();
  });

  it.each([
    ['another state', (state: string) => `?code=c&state=${state}x`],
    ['no state', () => '?code=c'],
  ])('refuses a response with %s, without calling the token endpoint', async (_label, search) => {
    const storage = new MemoryStorage();
    const { pending } = await begin(storage);
    const endpoint = tokenEndpoint(agentClaims);

    await expect(
      auth.completeSignIn({
        config: CONFIG,
        storage,
        fetch: endpoint.send,
        search: search(pending.state),
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(auth.StateMismatchError);
    expect(endpoint.calls).toHaveLength(0);
    // A second try with the right state fails too: the pending sign-in was used up.
    await expect(
      auth.completeSignIn({
        config: CONFIG,
        storage,
        fetch: endpoint.send,
        search: `?code=c&state=${pending.state}`,
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(auth.StateMismatchError);
  });

  it('refuses a callback nothing is pending for (a link opened in another tab)', async () => {
    const endpoint = tokenEndpoint(agentClaims);
    await expect(
      auth.completeSignIn({
        config: CONFIG,
        storage: new MemoryStorage(),
        fetch: endpoint.send,
        search: '?code=c&state=s',
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(auth.StateMismatchError);
  });

  it.each([
    ['a token issued to another client', (nonce: string) => ({ ...agentClaims(nonce), aud: 'other' })],
    [
      'a token of another sign-in (nonce)',
      (nonce: string) => ({ ...agentClaims(nonce), nonce: `${nonce}x` }),
    ],
    ['an expired token', (nonce: string) => ({ ...agentClaims(nonce), exp: NOW / 1000 - 1 })],
  ])('refuses %s', async (_label, claims) => {
    const storage = new MemoryStorage();
    const { pending } = await begin(storage);
    const endpoint = tokenEndpoint(claims);
    endpoint.useNonce(pending.nonce);

    await expect(
      auth.completeSignIn({
        config: CONFIG,
        storage,
        fetch: endpoint.send,
        search: `?code=c&state=${pending.state}`,
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(auth.SignInFailedError);
  });

  it('reports an error the identity provider returned (after checking the state)', async () => {
    const storage = new MemoryStorage();
    const { pending } = await begin(storage);
    const endpoint = tokenEndpoint(agentClaims);
    await expect(
      auth.completeSignIn({
        config: CONFIG,
        storage,
        fetch: endpoint.send,
        search: `?error=access_denied&state=${pending.state}`,
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(auth.SignInFailedError);
    expect(endpoint.calls).toHaveLength(0);
  });

  it('signs out through the hosted logout endpoint, back to the registered logout address', () => {
    const url = new URL(auth.logoutUrl(CONFIG));
    expect(`${url.origin}${url.pathname}`).toBe(`${CONFIG.domain}/logout`);
    expect(url.searchParams.get('client_id')).toBe(CONFIG.clientId);
    expect(url.searchParams.get('logout_uri')).toBe(CONFIG.logoutUri);
  });
});

describe('where tokens are kept', () => {
  const originalLocalStorage = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  const local = new MemoryStorage();
  beforeAll(() => {
    Object.defineProperty(globalThis, 'localStorage', { value: local, configurable: true });
  });
  afterAll(() => {
    if (originalLocalStorage) Object.defineProperty(globalThis, 'localStorage', originalLocalStorage);
    else Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('never writes to localStorage: the pending sign-in goes to the storage given (the tab’s sessionStorage)', async () => {
    const session = new MemoryStorage();
    const { pending } = await begin(session);
    const endpoint = tokenEndpoint(agentClaims);
    endpoint.useNonce(pending.nonce);
    await auth.completeSignIn({
      config: CONFIG,
      storage: session,
      fetch: endpoint.send,
      search: `?code=c&state=${pending.state}`,
      now: NOW,
    });

    expect(local.items.size).toBe(0);
  });

  it('no staff script mentions localStorage or document.cookie', () => {
    for (const file of ['staff-auth.js', 'staff-common.js', 'staff.js', 'audit.js']) {
      const source = readFileSync(path.join(__dirname, '../../../web/static', file), 'utf8');
      expect(source).not.toMatch(/localStorage|document\.cookie/);
    }
  });
});

describe('the page configuration', () => {
  const page = (content: string | null) => ({
    querySelector: (selector: string) =>
      selector === 'meta[name="jalon-auth"]' && content !== null ? { getAttribute: () => content } : null,
  });

  it('reads the strategy from the page, and falls back to local (no endpoint) when missing or unreadable', () => {
    expect(auth.readAuthConfig(page(JSON.stringify(CONFIG)))).toEqual(CONFIG);
    expect(auth.readAuthConfig(page('{"auth":"local","loginEndpoint":"/x"}'))).toEqual({
      auth: 'local',
      loginEndpoint: '/x',
    });
    expect(auth.readAuthConfig(page(null))).toEqual({ auth: 'local' });
    expect(auth.readAuthConfig(page('{not json'))).toEqual({ auth: 'local' });
    expect(auth.readAuthConfig(page('{"auth":"implicit"}'))).toEqual({ auth: 'local' });
  });
});

describe('the end of a session', () => {
  const common = jest.requireActual<{
    sessionExpired(session: unknown, now?: number): boolean;
    sessionExpiredUrl(language: string, returnTo?: string): string;
    loadSession(storage: Storage): { expiresAt?: string } | null;
    saveSession(storage: Storage, session: Session): void;
  }>('../../../web/static/staff-common.js');
  const session = (expiresAt: string): Session => ({
    token: 't',
    expiresAt,
    user: { sub: 's', name: 'n', roles: ['agent'], units: [] },
  });

  it('is reached when the token expires, and the expiry survives storage', () => {
    const storage = new MemoryStorage();
    common.saveSession(storage, session('2026-12-07T15:00:00.000Z'));
    const loaded = common.loadSession(storage);

    expect(loaded?.expiresAt).toBe('2026-12-07T15:00:00.000Z');
    expect(common.sessionExpired(loaded, Date.parse('2026-12-07T14:59:59Z'))).toBe(false);
    expect(common.sessionExpired(loaded, Date.parse('2026-12-07T15:00:00Z'))).toBe(true);
  });

  it('sends the person to the session-expired page of their language, to come back where they were', () => {
    expect(common.sessionExpiredUrl('fr', '/staff/cases/c-1')).toBe(
      '/staff/session-expired?next=%2Fstaff%2Fcases%2Fc-1',
    );
    expect(common.sessionExpiredUrl('en')).toBe('/en/staff/session-expired');
  });
});
