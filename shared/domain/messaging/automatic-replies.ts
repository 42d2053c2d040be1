import { createHash } from 'node:crypto';

import { senderAuthenticationFailed } from '../case/sender-authentication';
import type { Actor, LedgerEvent, ReceiptWithheldReason } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import { DEFAULT_AUTOMATIC_REPLIES } from '../policy/automatic-reply-defaults';
import type { AutomaticReplies, Policy } from '../policy/schema';
import { localDateOf } from '../time/local-date-of';
import type { Clock } from './ports';
import type { RateCounter } from './rate-counter';

/** What deciding on an automatic receipt needs. */
export interface AutomaticReceiptDeps {
  readonly ledger: CaseLedger;
  readonly rateCounter: RateCounter;
  readonly clock: Clock;
  readonly policy: Policy;
}

/** Idempotency key of the `receipt.withheld` event (one per case). */
export const RECEIPT_WITHHELD_KEY = 'notify:receipt:withheld';

const SYSTEM: Actor = { kind: 'system', id: 'workflow' };
const DAY_MS = 24 * 60 * 60 * 1000;

/** The policy's limits on automatic replies, or the defaults when it states none. */
export function automaticReplyLimits(policy: Policy): AutomaticReplies {
  return policy.automaticReplies ?? DEFAULT_AUTOMATIC_REPLIES;
}

/** An address as an opaque key: the SHA-256 of its lower-case form (no address is stored by the counters). */
export function addressKey(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * Whether the case's requester address was verified by a person: staff entered the case from a letter, a
 * call or a visit, so a member of staff took the address from the requester. Anything typed into the form or
 * read from a `From:` field is the sender's word only, even when staff register it from the holding pen.
 */
export function requesterAddressVerified(events: readonly LedgerEvent[]): boolean {
  const received = events.find((event) => event.type === 'case.received');
  return (
    received?.type === 'case.received' &&
    received.actor.kind === 'staff' &&
    received.data.channel !== 'email' &&
    received.data.channel !== 'web'
  );
}

/**
 * Why no automatic message may go to the requester of a case whatever the day's count: the receiving mail
 * server found the sender forged (DMARC fail, or SPF fail without a DKIM pass). Undefined when one may go.
 */
export function automaticRepliesBarred(events: readonly LedgerEvent[]): ReceiptWithheldReason | undefined {
  const received = events.find((event) => event.type === 'case.received');
  if (received?.type !== 'case.received') return undefined;
  return senderAuthenticationFailed(received.data.senderAuthentication)
    ? 'sender-unauthenticated'
    : undefined;
}

/**
 * Decides, once per case, whether its automatic receipt may be sent, so that Jalon cannot be used to mail
 * anyone: anybody can give any address (a forged `From:`, someone else's address on the form).
 * - A receipt already sent or withheld stays so (a retried step decides the same way).
 * - Mail whose sender the receiving server found forged gets none (`sender-unauthenticated`).
 * - One address gets at most `receiptsPerAddressPerDay` receipts per local day, counted per case on the shared
 *   rate counter (conditional writes: correct under concurrent intakes, a retry counts once); past it,
 *   `daily-limit`. Addresses entered by staff are not counted (`requesterAddressVerified`).
 * A withheld receipt is recorded as `receipt.withheld` (with the reason) so that staff see why; the case is
 * registered and handled as usual. `events`: the case's events when the caller has just read them (otherwise
 * they are read here).
 */
export async function automaticReceiptAllowed(
  deps: AutomaticReceiptDeps,
  projection: CaseProjection,
  receiptKey: string,
  events?: readonly LedgerEvent[],
): Promise<boolean> {
  const email = projection.requester.email;
  if (email === undefined) return false;
  events ??= await deps.ledger.read(projection.caseId);
  if (events.some((event) => event.type === 'message.sent' && event.idempotencyKey === receiptKey))
    return true;
  if (events.some((event) => event.type === 'receipt.withheld')) return false;

  const barred = automaticRepliesBarred(events);
  if (barred !== undefined) {
    await withhold(deps, projection.caseId, barred);
    return false;
  }
  if (requesterAddressVerified(events)) return true;

  const limit = automaticReplyLimits(deps.policy).receiptsPerAddressPerDay;
  const now = deps.clock.now();
  const rank = await deps.rateCounter.rank(
    `receipt#${localDateOf(now)}#${addressKey(email)}`,
    projection.caseId,
    new Date(now.getTime() + 2 * DAY_MS),
  );
  if (rank <= limit) return true;
  await withhold(deps, projection.caseId, 'daily-limit', limit);
  return false;
}

async function withhold(
  deps: AutomaticReceiptDeps,
  caseId: string,
  reason: ReceiptWithheldReason,
  limit?: number,
): Promise<void> {
  await deps.ledger.append(
    caseId,
    {
      type: 'receipt.withheld',
      at: deps.clock.now().toISOString(),
      actor: SYSTEM,
      data: { reason, ...(limit !== undefined ? { limit } : {}) },
    },
    { idempotencyKey: RECEIPT_WITHHELD_KEY },
  );
}
