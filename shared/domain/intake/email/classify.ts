import { EmailAddressSchema, sameEmailAddress } from '../../case/email-address';
import type { Policy } from '../../policy/schema';
import { SES_AUTHSERV_ID, senderAuthenticationFailed, senderAuthenticationOf } from './authentication';
import { envelopeRecipientOf, firstHeader, headerValues } from './headers';
import type { RawHeader } from './headers';
import type { HoldingKind } from './holding-pen';
import type { InboundAddress, InboundEmail } from './parse';
import type { ReplyTarget } from './reply-addresses';
import { replyTokenOf } from './reply-addresses';
import { categoryFor } from './routing';
import type { EmailRouting } from './routing';

/** What classification needs to know about the deployment. */
export interface ClassifyContext {
  /** The domain SES receives intake mail for (`demandes.sct.gouv.qc.ca`). */
  readonly intakeDomain: string;
  /** The organization's own sending addresses (lower case): mail from them is a loop. */
  readonly ownAddresses: readonly string[];
  readonly routing: EmailRouting;
  readonly policy: Policy;
}

/** The person a new request or a reply comes from. */
export interface Sender {
  readonly address: string;
  readonly name?: string;
}

export interface HoldDecision {
  readonly route: 'hold';
  readonly kind: HoldingKind;
  /** Reason code for staff (`x-ses-spam-verdict`, `oof-subject`…). */
  readonly detail: string;
  /** A case reference quoted in the subject, if any. */
  readonly reference?: string;
}

/** Where a received message goes, before any reply token is looked up. */
export type Classification =
  | (HoldDecision & { readonly tokens: readonly string[] })
  | { readonly route: 'reply'; readonly tokens: readonly string[]; readonly sender: Sender }
  | {
      readonly route: 'new';
      readonly category: string;
      readonly sender: Sender;
      readonly tokens: readonly [];
    };

/** Out-of-office and vacation subjects, French and English, at the start of the subject. */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:r[ée]ponse automatique|r[ée]pondeur automatique|message d['’]absence|avis d['’]absence|absence du bureau|absente? du bureau|absent(?:e)? jusqu|en vacances|automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office|away from (?:the |my )?office|vacation (?:reply|notice|response|message)|on vacation)\b/iu;

/** Delivery failure subjects, French and English, at the start of the subject. */
const BOUNCE_SUBJECT =
  /^\s*(?:undeliverable|undelivered mail|delivery status notification|delivery (?:has )?failed|delivery failure|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice|non remis|message non remis|non distribuable|remise impossible|[ée]chec de (?:la )?remise|[ée]chec de la distribution)\b/iu;

/** Senders that are mail systems, not people. */
const BOUNCE_MAILBOX = /^(?:mailer-daemon|postmaster|mail-daemon)$/i;
const NO_REPLY_MAILBOX = /^(?:no-?reply|do-?not-?reply|ne-?pas-?repondre|nepasrepondre|noreply-[\w.-]+)$/i;

/** A case reference as people quote it (any organization prefix), e.g. `SCT-2026-000123`. */
const REFERENCE_IN_TEXT = /(?<![A-Za-z0-9])([A-Za-z]{2,10})-(\d{4})-(\d{6})(?![0-9])/;

/** The first case reference in a subject, normalized to upper case. */
export function referenceIn(subject: string | undefined): string | undefined {
  const match = subject === undefined ? null : REFERENCE_IN_TEXT.exec(subject);
  if (match === null) return undefined;
  return `${match[1]?.toUpperCase()}-${match[2]}-${match[3]}`;
}

/** The first token of a structured header value (`auto-replied; owner-email=…` → `auto-replied`), lower case. */
function token(value: string | undefined): string | undefined {
  return value
    ?.split(';')[0]
    ?.replace(/\([^()]*\)/g, '')
    .trim()
    .toLowerCase();
}

/**
 * The mail server's verdict: `virus` or `spam` when any `X-SES-Virus-Verdict` / `X-SES-Spam-Verdict` field says
 * FAIL (a sender cannot clear SES's own FAIL by adding a PASS of its own).
 */
export function verdictOf(headers: readonly RawHeader[]): HoldDecision | undefined {
  const failed = (name: string) => headerValues(headers, name).some((value) => token(value) === 'fail');
  if (failed('x-ses-virus-verdict')) return { route: 'hold', kind: 'virus', detail: 'x-ses-virus-verdict' };
  if (failed('x-ses-spam-verdict')) return { route: 'hold', kind: 'spam', detail: 'x-ses-spam-verdict' };
  return undefined;
}

/**
 * Machine mail, which must never be answered (no mail loops) nor become a case, in this order:
 * 1. bounces: `Content-Type: multipart/report; report-type=delivery-status`, a MAILER-DAEMON or postmaster
 *    sender, a delivery-failure subject;
 * 2. auto-replies: `Auto-Submitted: auto-replied`, `X-Autoreply`/`X-Autorespond`, `Precedence: auto_reply`,
 *    an out-of-office subject (French or English);
 * 3. other automatic mail: `Auto-Submitted` with any value but `no`, a read receipt (another multipart/report),
 *    a no-reply sender;
 * 4. bulk: `Precedence: bulk`, `junk` or `list`;
 * 5. a null return path (`Return-Path: <>`), used by every other kind of delivery report.
 */
export function automatedKindOf(
  headers: readonly RawHeader[],
  email: Pick<InboundEmail, 'from' | 'subject'>,
): HoldDecision | undefined {
  const hold = (kind: HoldingKind, detail: string): HoldDecision => ({ route: 'hold', kind, detail });
  const contentType = (firstHeader(headers, 'content-type') ?? '').toLowerCase();
  const isReport = contentType.startsWith('multipart/report');
  const fromMailboxes = email.from.map((from) =>
    from.address.slice(0, Math.max(0, from.address.lastIndexOf('@'))),
  );
  const subject = email.subject ?? '';

  if (isReport && /report-type\s*=\s*"?delivery-status/.test(contentType))
    return hold('bounce', 'delivery-status-report');
  if (fromMailboxes.some((mailbox) => BOUNCE_MAILBOX.test(mailbox))) return hold('bounce', 'mailer-daemon');
  if (BOUNCE_SUBJECT.test(subject)) return hold('bounce', 'bounce-subject');

  const autoSubmitted = token(firstHeader(headers, 'auto-submitted'));
  const precedence = token(firstHeader(headers, 'precedence') ?? firstHeader(headers, 'x-precedence'));
  if (autoSubmitted === 'auto-replied') return hold('auto-reply', 'auto-submitted');
  for (const name of ['x-autoreply', 'x-autorespond', 'x-auto-reply']) {
    const value = token(firstHeader(headers, name));
    if (value !== undefined && value !== 'no' && value !== 'false') return hold('auto-reply', name);
  }
  if (precedence === 'auto_reply' || precedence === 'auto-reply') return hold('auto-reply', 'precedence');
  if (AUTO_REPLY_SUBJECT.test(subject)) return hold('auto-reply', 'oof-subject');

  if (autoSubmitted !== undefined && autoSubmitted !== '' && autoSubmitted !== 'no')
    return hold('auto-generated', 'auto-submitted');
  if (isReport) return hold('auto-generated', 'report');
  if (fromMailboxes.some((mailbox) => NO_REPLY_MAILBOX.test(mailbox)))
    return hold('auto-generated', 'no-reply-sender');

  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list')
    return hold('bulk', 'precedence');

  if (
    headerValues(headers, 'return-path').some((value) =>
      /^<\s*>$/.test(value.replace(/\([^()]*\)/g, '').trim()),
    )
  )
    return hold('bounce', 'null-return-path');
  return undefined;
}

/** The one plausible sender of a message, or why there is none (`no-from`, `unknown-sender`). */
export function senderOf(email: Pick<InboundEmail, 'from'>): Sender | HoldDecision {
  const from = email.from.filter((entry) => entry.address !== '' || entry.name !== undefined);
  if (from.length === 0) return { route: 'hold', kind: 'no-from', detail: 'no-from-header' };
  if (from.length > 1) return { route: 'hold', kind: 'unknown-sender', detail: 'several-from' };
  const [only] = from as [InboundAddress];
  if (only.group === true) return { route: 'hold', kind: 'unknown-sender', detail: 'group-syntax' };
  if (only.address === '') return { route: 'hold', kind: 'no-from', detail: 'no-address' };
  if (!EmailAddressSchema.safeParse(only.address).success)
    return { route: 'hold', kind: 'unknown-sender', detail: 'invalid-address' };
  return { address: only.address, ...(only.name !== undefined ? { name: only.name } : {}) };
}

/**
 * The addresses of the intake domain a message was sent to, lower case: the envelope recipient the receiving
 * server recorded (`Received: … for <x>`, `X-Original-To`, `Delivered-To`), then `To:` and `Cc:`.
 */
export function intakeRecipients(
  headers: readonly RawHeader[],
  email: Pick<InboundEmail, 'to' | 'cc'>,
  intakeDomain: string,
): string[] {
  const domain = `@${intakeDomain.toLowerCase()}`;
  const topReceived = firstHeader(headers, 'received');
  const envelope = [
    ...(topReceived !== undefined ? [envelopeRecipientOf(topReceived)] : []),
    ...headerValues(headers, 'x-original-to'),
    ...headerValues(headers, 'delivered-to'),
  ];
  const all = [
    ...envelope,
    ...email.to.map((entry) => entry.address),
    ...email.cc.map((entry) => entry.address),
  ];
  const addresses = all
    .flatMap((address) => (address === undefined ? [] : [address.trim().replace(/^<|>$/g, '').toLowerCase()]))
    .filter((address) => address.endsWith(domain));
  return [...new Set(addresses)];
}

/**
 * Decides where a received message goes, before reply tokens are looked up (first rule that applies):
 * 1. the server's virus or spam verdict is FAIL → quarantine (`verdictOf`);
 * 2. machine mail (bounce, auto-reply, automatic, bulk) → holding pen, never answered (`automatedKindOf`);
 * 3. no plausible sender → holding pen (`senderOf`);
 * 4. sent from the intake domain or the organization's own address → holding pen (`loop`);
 * 5. sent to a reply address (`<mailbox>+<token>@<intake domain>`) → `reply` (the token is checked next);
 * 6. a case reference in the subject but no token → holding pen (`reference-without-token`): staff decide
 *    whether it belongs to that case;
 * 7. otherwise a new request, in the category of the mailbox it was sent to (`categoryFor`).
 */
export function classify(
  headers: readonly RawHeader[],
  email: InboundEmail,
  context: ClassifyContext,
): Classification {
  const recipients = intakeRecipients(headers, email, context.intakeDomain);
  const tokens = [
    ...new Set(recipients.flatMap((address) => replyTokenOf(address, context.intakeDomain) ?? [])),
  ];
  const reference = referenceIn(email.subject);
  const held = (decision: HoldDecision): Classification => ({
    ...decision,
    ...(reference !== undefined ? { reference } : {}),
    tokens,
  });

  const verdict = verdictOf(headers);
  if (verdict !== undefined) return held(verdict);
  const automated = automatedKindOf(headers, email);
  if (automated !== undefined) return held(automated);
  const sender = senderOf(email);
  if ('route' in sender) return held(sender);
  const address = sender.address.toLowerCase();
  if (address.endsWith(`@${context.intakeDomain.toLowerCase()}`))
    return held({ route: 'hold', kind: 'loop', detail: 'intake-domain' });
  if (context.ownAddresses.includes(address))
    return held({ route: 'hold', kind: 'loop', detail: 'own-address' });
  if (tokens.length > 0) return { route: 'reply', tokens, sender };
  if (reference !== undefined)
    return held({ route: 'hold', kind: 'reference-without-token', detail: 'reference-in-subject' });
  return {
    route: 'new',
    category: categoryFor(context.routing, context.policy, recipients),
    sender,
    tokens: [],
  };
}

/**
 * Whether the organization's own receiving server found the sender forged (`senderAuthenticationOf`: its
 * topmost `Authentication-Results`, and only when written by `authservId`): `dmarc=fail`, or `spf=fail`
 * without any `dkim=pass`. Without such a field nothing is known and nothing is assumed; a field written by
 * anybody else is not read.
 */
export function senderForged(headers: readonly RawHeader[], authservId: string = SES_AUTHSERV_ID): boolean {
  return senderAuthenticationFailed(senderAuthenticationOf(headers, authservId));
}

/**
 * Whether a message sent to reply addresses may be filed on the case: exactly one case behind its tokens,
 * sent from that case's requester address (`sameEmailAddress`: without case, quoting aside), and not found
 * forged by the receiving server. Anything else is held for staff, never attached to a case and never dropped.
 */
export function decideReply(
  targets: readonly (ReplyTarget | undefined)[],
  sender: Sender,
  headers: readonly RawHeader[],
  authservId: string = SES_AUTHSERV_ID,
): { readonly route: 'reply'; readonly target: ReplyTarget } | (HoldDecision & { readonly caseId?: string }) {
  const known = targets.filter((target): target is ReplyTarget => target !== undefined);
  const caseIds = [...new Set(known.map((target) => target.caseId))];
  const [target] = known;
  if (target === undefined) return { route: 'hold', kind: 'unknown-token', detail: 'token-not-issued' };
  if (caseIds.length > 1) return { route: 'hold', kind: 'token-mismatch', detail: 'several-cases' };
  if (!sameEmailAddress(target.requesterEmail, sender.address))
    return { route: 'hold', kind: 'token-mismatch', detail: 'not-the-requester', caseId: target.caseId };
  if (senderForged(headers, authservId))
    return {
      route: 'hold',
      kind: 'sender-unverified',
      detail: 'authentication-failed',
      caseId: target.caseId,
    };
  return { route: 'reply', target };
}
