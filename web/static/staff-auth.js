/**
 * How the staff and auditor pages open a session (plain ES module). The page says how, in its
 * `<meta name="jalon-auth">` (see `web/staff/auth-config.ts`):
 * - `{"auth":"cognito", domain, clientId, redirectUri, logoutUri}` in AWS: the Cognito hosted sign-in with
 *   the authorization-code flow and PKCE (RFC 7636, S256), a `state` checked on return (RFC 6749 §10.12) and
 *   an OpenID `nonce` checked in the ID token; the code is exchanged at the token endpoint by the callback
 *   page. No implicit flow: tokens never travel in an address.
 * - `{"auth":"local", loginEndpoint}` on the local stack: the demo login, one role per button press.
 * Either way the session (the ID token, its expiry, the person) is kept in `sessionStorage` by
 * `staff-common.js`: gone when the tab closes, never in local storage, never in a cookie. The refresh token
 * is not kept: a session lasts as long as its ID token (an hour), then the session-expired page asks the
 * person to sign in again.
 */

/** Where the pending sign-in (verifier, state, nonce, return address) waits for the callback. */
export const PENDING_KEY = 'jalon.staff.pending-sign-in';

/** RFC 7636 §4.1: the verifier's characters ("unreserved") and length bounds. */
export const VERIFIER_CHARSET = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The scopes the pages ask for: the ID token carries the person's name, email, groups and units. */
export const SCOPES = 'openid email profile';

/** The `state` returned with the code is not the one this tab sent: the response is refused. */
export class StateMismatchError extends Error {
  name = 'StateMismatchError';
}

/** The identity provider answered with an error (`error=access_denied`…), or the token exchange failed. */
export class SignInFailedError extends Error {
  name = 'SignInFailedError';
}

/** The bytes as base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `size` random bytes as base64url: 48 bytes give the 64-character verifiers, 16 the state and nonce. */
export function randomToken(crypto, size) {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(size)));
}

/** A fresh code verifier: 64 characters of the unreserved set (384 random bits). */
export function createVerifier(crypto) {
  return randomToken(crypto, 48);
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function challengeS256(crypto, verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/** The authorization request (response type `code`, PKCE S256), in the page's language. */
export function authorizeUrl(config, { state, nonce, challenge, language }) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: SCOPES,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    lang: language === 'en' ? 'en' : 'fr',
  });
  return `${config.domain}/oauth2/authorize?${query.toString()}`;
}

/**
 * Starts a sign-in: keeps the verifier, state, nonce and the page to come back to in `storage` (the tab's
 * `sessionStorage`), and answers the address of the hosted sign-in page to go to.
 */
export async function beginSignIn({ config, storage, crypto, returnTo, language }) {
  const verifier = createVerifier(crypto);
  const state = randomToken(crypto, 16);
  const nonce = randomToken(crypto, 16);
  const challenge = await challengeS256(crypto, verifier);
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo: returnTo ?? null }));
  return authorizeUrl(config, { state, nonce, challenge, language });
}

/** The claims of a JWT, decoded (not verified: the API's authorizer verifies the signature). */
export function decodeJwtClaims(token) {
  const part = String(token).split('.')[1];
  if (part === undefined) throw new SignInFailedError('not a JWT');
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The session the pages keep, from an ID token's claims: the person as the staff API will see them. */
export function sessionFromIdToken(idToken, claims) {
  const groups = claims['cognito:groups'];
  return {
    token: idToken,
    expiresAt: new Date(Number(claims.exp) * 1000).toISOString(),
    user: {
      sub: String(claims.sub ?? ''),
      name: String(claims.name ?? claims.email ?? ''),
      roles: Array.isArray(groups) ? groups.map(String) : [],
      units: String(claims['custom:units'] ?? '')
        .split(',')
        .map((unit) => unit.trim())
        .filter((unit) => unit !== ''),
    },
  };
}

/**
 * Finishes a sign-in on the callback page: takes the pending sign-in out of `storage` (one use only), refuses
 * a response whose `state` differs or that nothing is pending for, exchanges the code and the verifier at the
 * token endpoint, and checks the ID token was issued to this client, for this sign-in (`nonce`), and is not
 * expired. Answers `{session, returnTo}`; the caller keeps the session.
 *
 * @throws StateMismatchError, SignInFailedError
 */
export async function completeSignIn({ config, storage, fetch: send, search, now = Date.now() }) {
  const params = new URLSearchParams(search);
  let pending = null;
  try {
    pending = JSON.parse(storage.getItem(PENDING_KEY) ?? 'null');
  } catch {
    pending = null;
  }
  storage.removeItem(PENDING_KEY);
  const state = params.get('state');
  if (!pending || typeof pending.state !== 'string' || state === null || state !== pending.state) {
    throw new StateMismatchError('the state returned is not the one sent');
  }
  if (params.get('error') !== null) throw new SignInFailedError(params.get('error') ?? 'error');
  const code = params.get('code');
  if (!code) throw new SignInFailedError('no code');
  let response;
  try {
    response = await send(`${config.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId,
        code,
        redirect_uri: config.redirectUri,
        code_verifier: pending.verifier,
      }).toString(),
    });
  } catch {
    throw new SignInFailedError('token endpoint unreachable');
  }
  const body = await response.json().catch(() => null);
  if (response.status !== 200 || typeof body?.id_token !== 'string') {
    throw new SignInFailedError('token exchange refused');
  }
  const claims = decodeJwtClaims(body.id_token);
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(config.clientId)) throw new SignInFailedError('token for another client');
  if (claims.nonce !== pending.nonce) throw new SignInFailedError('nonce mismatch');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw new SignInFailedError('expired');
  return { session: sessionFromIdToken(body.id_token, claims), returnTo: pending.returnTo };
}

/** The hosted sign-out: ends the Cognito session too, then comes back to `logoutUri`. */
export function logoutUrl(config) {
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri });
  return `${config.domain}/logout?${query.toString()}`;
}

/** The demo login of the local stack: a session for a role, from the endpoint the page names. */
export async function localSignIn({ config, fetch: send, role }) {
  const response = await send(config.loginEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ role }),
  });
  const body = await response.json();
  if (response.status !== 200 || typeof body?.token !== 'string') throw new SignInFailedError('refused');
  return { token: body.token, expiresAt: body.expiresAt, user: body.user };
}

/**
 * The page's sign-in configuration, from `<meta name="jalon-auth" content="{…}">`; a page without one (or
 * with an unreadable one) is treated as local with no endpoint, so nothing can sign in.
 */
export function readAuthConfig(doc) {
  const content = doc.querySelector('meta[name="jalon-auth"]')?.getAttribute('content');
  try {
    const config = JSON.parse(content ?? 'null');
    if (config?.auth === 'cognito' || config?.auth === 'local') return config;
  } catch {
    // fall through
  }
  return { auth: 'local' };
}
