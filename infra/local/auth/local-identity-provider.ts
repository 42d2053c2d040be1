import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { realNow } from '../real-timers';

/** What the local tokens are issued by and for: compared as strings, as API Gateway compares them. */
export const LOCAL_ISSUER = 'urn:jalon:local-idp';
export const LOCAL_AUDIENCE = 'jalon-local-staff-pages';

/** Cognito's default ID-token lifetime. */
const TOKEN_LIFETIME_SECONDS = 3600;
const ALGORITHM = 'ES256';

/** The claims Jalon's staff identity is built from (`identityFromClaims`), as Cognito puts them in ID tokens. */
export interface StaffTokenClaims {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly 'cognito:groups': readonly string[];
  /** Comma-separated unit ids. */
  readonly 'custom:units': string;
}

/** Why a token was refused (for the local log; the client only ever sees 401 Unauthorized, as in AWS). */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
}

/**
 * The local stand-in for the staff user pool and for API Gateway's JWT authorizer. It signs ES256 ID tokens
 * with a key pair created at first start (kept under the data folder, so tokens survive a restart; in memory
 * with `--memory`) and verifies `Authorization` headers the way the authorizer does: a `Bearer` token (the
 * prefix is optional, as in AWS), algorithm and key id of our key, a valid signature, `iss` equal to the
 * issuer, `aud` containing the audience (or, for an access token, `client_id` equal to it), `exp` in the
 * future, `nbf` and `iat` not in the future. No clock tolerance.
 *
 * Written on `node:crypto` rather than jose: jose 6 is ESM-only and jest 30 on Node 20 cannot load it from the
 * CommonJS test runtime (`Must use import to load ES Module`), and the local stack must run inside jest.
 *
 * Times are read from the real clock (`realNow`), not the virtual one: see `real-timers.ts`.
 */
export class LocalIdentityProvider {
  readonly keyId: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #now: () => number;

  private constructor(privateKey: KeyObject, now: () => number) {
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    this.keyId = thumbprint(this.#publicKey.export({ format: 'jwk' }));
    this.#now = now;
  }

  /**
   * Loads the signing key from `keyFile`, creating it (mode 600) when absent; without `keyFile`, a key that
   * lives as long as the process.
   */
  static open(options: { keyFile?: string; now?: () => number } = {}): LocalIdentityProvider {
    const now = options.now ?? realNow;
    if (options.keyFile === undefined) return new LocalIdentityProvider(newPrivateKey(), now);
    let jwk: JsonWebKey | undefined;
    try {
      jwk = JSON.parse(readFileSync(options.keyFile, 'utf8')) as JsonWebKey;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (jwk !== undefined) {
      return new LocalIdentityProvider(createPrivateKey({ key: jwk, format: 'jwk' }), now);
    }
    const key = newPrivateKey();
    mkdirSync(path.dirname(options.keyFile), { recursive: true });
    writeFileSync(options.keyFile, `${JSON.stringify(key.export({ format: 'jwk' }))}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    return new LocalIdentityProvider(key, now);
  }

  /** An ID token for `claims`, valid for an hour of real time. */
  issue(claims: StaffTokenClaims): { token: string; expiresAt: string } {
    const issuedAt = Math.floor(this.#now() / 1000);
    const expires = issuedAt + TOKEN_LIFETIME_SECONDS;
    const header = { alg: ALGORITHM, typ: 'JWT', kid: this.keyId };
    const payload = {
      ...claims,
      'cognito:groups': [...claims['cognito:groups']],
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      token_use: 'id',
      auth_time: issuedAt,
      iat: issuedAt,
      exp: expires,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: this.#privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      token: `${signingInput}.${signature.toString('base64url')}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * The verified claims of an `Authorization` header value.
   *
   * @throws TokenRejectedError with the reason, for any header the JWT authorizer would answer 401 to.
   */
  verify(authorization: string | undefined): Record<string, unknown> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new TokenRejectedError('no Authorization header');
    }
    const token = authorization.trim().replace(/^Bearer\s+/i, '');
    const parts = token.split('.');
    if (parts.length !== 3) throw new TokenRejectedError('not a compact JWS');
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    const header = decodeJson(encodedHeader, 'header');
    if (header['alg'] !== ALGORITHM) throw new TokenRejectedError('unexpected algorithm');
    if (header['kid'] !== this.keyId) throw new TokenRejectedError('unknown key id');
    const signatureValid = verify(
      'sha256',
      Buffer.from(`${encodedHeader}.${encodedPayload}`),
      { key: this.#publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(encodedSignature, 'base64url'),
    );
    if (!signatureValid) throw new TokenRejectedError('bad signature');
    const claims = decodeJson(encodedPayload, 'payload');
    if (claims['iss'] !== LOCAL_ISSUER) throw new TokenRejectedError('wrong issuer');
    const audience = claims['aud'];
    const audienceOk =
      audience === LOCAL_AUDIENCE ||
      (Array.isArray(audience) && audience.includes(LOCAL_AUDIENCE)) ||
      (audience === undefined && claims['client_id'] === LOCAL_AUDIENCE);
    if (!audienceOk) throw new TokenRejectedError('wrong audience');
    const now = this.#now() / 1000;
    const exp = claims['exp'];
    if (typeof exp !== 'number' || exp <= now) throw new TokenRejectedError('expired or no expiry');
    const nbf = claims['nbf'];
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now))
      throw new TokenRejectedError('not yet valid');
    const iat = claims['iat'];
    if (iat !== undefined && (typeof iat !== 'number' || iat > now))
      throw new TokenRejectedError('issued in the future');
    return claims;
  }

  /** The public key set, as a user pool publishes it at `/.well-known/jwks.json`. */
  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: [{ ...this.#publicKey.export({ format: 'jwk' }), kid: this.keyId, alg: ALGORITHM, use: 'sig' }],
    };
  }
}

/**
 * Claims as API Gateway hands them to the Lambda in `requestContext.authorizer.jwt.claims`: every value a
 * string, arrays in the bracketed form `[agent supervisor]` (which `identityFromClaims` parses).
 */
export function toAuthorizerClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.map(String).join(' ')}]`
          : typeof value === 'object' && value !== null
            ? JSON.stringify(value)
            : String(value),
    ]),
  );
}

function newPrivateKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** RFC 7638 thumbprint of an EC public key: the usual `kid`. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new TokenRejectedError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenRejectedError(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}
