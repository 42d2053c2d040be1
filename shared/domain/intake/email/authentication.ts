import { AuthenticationResultSchema, UNKNOWN_AUTHENTICATION } from '../../case/sender-authentication';
import type { AuthenticationResult, SenderAuthentication } from '../../case/sender-authentication';
import { firstHeader } from './headers';
import type { RawHeader } from './headers';

export {
  SenderAuthenticationSchema,
  UNKNOWN_AUTHENTICATION,
  senderAuthenticationFailed,
} from '../../case/sender-authentication';
export type { AuthenticationResult, SenderAuthentication } from '../../case/sender-authentication';

/** SES writes `Authentication-Results: amazonses.com; spf=…; dkim=…; dmarc=…` on every message it receives. */
export const SES_AUTHSERV_ID = 'amazonses.com';

function withoutComments(value: string): string {
  let text = value.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let previous;
  do {
    previous = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  } while (text !== previous);
  return text;
}

function resultOf(value: string): AuthenticationResult {
  const parsed = AuthenticationResultSchema.safeParse(value.toLowerCase());
  return parsed.success && parsed.data !== 'unknown' ? parsed.data : 'permerror';
}

/**
 * The verdicts of the organization's own receiving server: read from the topmost `Authentication-Results`
 * field only, and only when its authentication service id is `authservId` (SES: `amazonses.com`; the local
 * SMTP intake: its own). The receiving server prepends its field above everything the sender wrote, so a
 * sender's own `Authentication-Results` (however it is worded) is never read; a topmost field of another
 * service (a server that wrote none, a hand-dropped object) gives `unknown`, never `pass`.
 * For DKIM, one passing signature is a pass; for SPF and DMARC the first result counts.
 */
export function senderAuthenticationOf(
  headers: readonly RawHeader[],
  authservId: string = SES_AUTHSERV_ID,
): SenderAuthentication {
  const field = firstHeader(headers, 'authentication-results');
  if (field === undefined) return UNKNOWN_AUTHENTICATION;
  const [server, ...clauses] = withoutComments(field).split(';');
  const id = server?.trim().split(/\s+/)[0]?.toLowerCase();
  if (id !== authservId.toLowerCase()) return UNKNOWN_AUTHENTICATION;
  const found: Record<'spf' | 'dkim' | 'dmarc', AuthenticationResult[]> = { spf: [], dkim: [], dmarc: [] };
  for (const clause of clauses) {
    const match = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)/i.exec(clause);
    if (match === null) continue;
    found[match[1]!.toLowerCase() as 'spf' | 'dkim' | 'dmarc'].push(resultOf(match[2]!));
  }
  const first = (results: AuthenticationResult[]) => results[0] ?? 'unknown';
  return {
    spf: first(found.spf),
    dkim: found.dkim.includes('pass') ? 'pass' : first(found.dkim),
    dmarc: first(found.dmarc),
  };
}

/** The `Authentication-Results` field a receiving server with the id `authservId` writes for these verdicts. */
export function authenticationResultsField(authservId: string, verdicts: SenderAuthentication): string {
  const clauses = (['spf', 'dkim', 'dmarc'] as const)
    .filter((method) => verdicts[method] !== 'unknown')
    .map((method) => `${method}=${verdicts[method]}`);
  return `Authentication-Results: ${authservId};${clauses.length > 0 ? ` ${clauses.join('; ')}` : ' none'}`;
}
