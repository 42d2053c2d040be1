import { createHash, timingSafeEqual } from 'node:crypto';

import { DomainError } from '../errors';

/**
 * The header CloudFront adds to every request it forwards to an API (an origin custom header, which replaces a
 * header of the same name sent by the viewer): the citizen API (form-intake) and the staff API (staff, holding
 * pen, audit), each distribution with a secret of its own. Only CloudFront and that API's Lambdas know the
 * value: a request without it did not come through CloudFront, hence not through the WAF.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Whether the handler requires the origin-verify header. Always `required` in AWS; the local stack, which has
 * no CloudFront in front of its API, turns it off explicitly (there is no default).
 */
export type OriginCheck =
  | { readonly mode: 'off' }
  | {
      readonly mode: 'required';
      /** The expected value (the secret), read once per container; see `readOnce`. */
      readonly expected: () => Promise<string>;
    };

/** The request did not come through the API's CloudFront distribution (403, no details). */
export class OriginNotVerifiedError extends DomainError {
  static override readonly status = 403;
  override readonly name = 'OriginNotVerifiedError';

  constructor() {
    // Only a client bypassing CloudFront gets it: nothing about why.
    super('FORBIDDEN', 'Forbidden.', undefined, { fr: 'Accès refusé.', en: 'Forbidden.' });
  }
}

/**
 * Compares a presented header value with the secret in constant time: both are hashed first (SHA-256), so
 * neither their content nor their length shows in the time the comparison takes.
 */
export function originVerified(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * @throws OriginNotVerifiedError when the check is required and the header is absent or wrong; whatever
 *   reading the secret throws (a 500: the function cannot tell a bypass from a real submission).
 */
export async function checkOrigin(
  check: OriginCheck,
  headers: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (check.mode === 'off') return;
  const expected = await check.expected();
  if (!originVerified(headers[ORIGIN_VERIFY_HEADER], expected)) throw new OriginNotVerifiedError();
}

/**
 * `load` at most once per container while it succeeds: concurrent callers share the pending read; a failed
 * read is forgotten, so the next request tries again instead of failing until the container is recycled.
 */
export function readOnce(load: () => Promise<string>): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
