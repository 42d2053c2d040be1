import * as z from '../../zod-mini';

/** One result of a sender check as RFC 8601 names it; `unknown` when the receiving server reported none. */
export const AuthenticationResultSchema = z.enum([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'policy',
  'temperror',
  'permerror',
  'unknown',
]);
export type AuthenticationResult = z.infer<typeof AuthenticationResultSchema>;

/**
 * The receiving mail server's SPF, DKIM and DMARC verdicts on a message (results only: no domain, address or
 * IP, so nothing personal is kept). DKIM is `pass` when any signature passed.
 */
export const SenderAuthenticationSchema = z.strictObject({
  spf: AuthenticationResultSchema,
  dkim: AuthenticationResultSchema,
  dmarc: AuthenticationResultSchema,
});
export type SenderAuthentication = z.infer<typeof SenderAuthenticationSchema>;

/** Nothing known: no trusted `Authentication-Results` field. */
export const UNKNOWN_AUTHENTICATION: SenderAuthentication = {
  spf: 'unknown',
  dkim: 'unknown',
  dmarc: 'unknown',
};

/**
 * Whether the receiving server found the sender forged: DMARC failed, or (for a domain without DMARC) SPF
 * failed and no DKIM signature passed. Such mail is still filed as usual (a case, a reply held for staff…),
 * but nothing is sent back to its sender automatically: the address is probably someone else's.
 */
export function senderAuthenticationFailed(verdicts: SenderAuthentication | undefined): boolean {
  if (verdicts === undefined) return false;
  if (verdicts.dmarc === 'fail') return true;
  return verdicts.spf === 'fail' && verdicts.dkim !== 'pass';
}
