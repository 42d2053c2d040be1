import type * as z from 'zod';

import { NoRecipientError } from '../../errors';
import type { TemplateRequest } from '../../templates/render';
import type { Actor, FailureRecordedDataSchema, LedgerEvent, MessagePurposeSchema } from '../ledger/events';
import type { KeyedDraft } from '../ledger/chain';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import { letterIdOf, prepareLetter } from '../letters/prepare';
import type { LetterDeps } from '../letters/ports';
import type { Policy } from '../policy/schema';
import { deliveryKeyOf } from './delivery-key';
import type { AcceptedMessages, Clock, Notifier, OutgoingMessage, ReplyAddresses } from './ports';

/** Prefix of the message id recorded for a letter sent by post (there is no provider message id). */
export const MAIL_MESSAGE_PREFIX = 'mail:';

/** The ports the outbox sends and records with. */
export interface OutboxDeps {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** The case's reply address, the Reply-To of requester-bound email (unless the message brings its own). */
  readonly replyAddresses?: ReplyAddresses;
  /** The mail service's record of accepted messages, where it keeps one (see `AcceptedMessages`). */
  readonly acceptedMessages?: AcceptedMessages;
  /** Letters for messages that go by post (`docs/letters.md`); needed only for those. */
  readonly letters?: LetterDeps;
  readonly policy?: Policy;
}

/** One message of a case: under which key it is sent once, by whom and when it is recorded. */
export interface OutboxEntry {
  readonly caseId: string;
  /** The message's idempotency key in the case: the key of its `message.sent`. */
  readonly key: string;
  /** The actor of record: the system part that sends, or the staff member whose command sends. */
  readonly actor: Actor;
  /** The instant recorded (and dated on a letter); the clock's, at the record, when absent. */
  readonly at?: string;
  /**
   * The case's events the caller has just read (a staff command's own, say): the outbox looks for the
   * message's record among them instead of reading the ledger again. Absent: the outbox reads the ledger.
   */
  readonly events?: readonly LedgerEvent[];
  /**
   * Events the caller records right after the message's record, with nothing in between (a workflow step's
   * `step.done`, a staff command's events), given the instant and message id of that record: for an email sent now, they are written with its
   * `message.sent` in one ledger item (`CaseLedger.appendAll`: all or none). Not written when the message was
   * already sent, nor for a letter (prepared after its record): the caller appends what the case lacks. They
   * end the caller's command: that item writes the read model (`readModelLater: false`), unless `moreFollows`.
   */
  readonly then?: (at: string, messageId: string) => readonly KeyedDraft[];
  /**
   * The caller's command appends more after the item of `then` (the automatic acknowledgement, then the
   * director's message): that item leaves the read model to the command's last append, as its ledger says.
   */
  readonly moreFollows?: boolean;
}

/** How a message travels: by email to addresses, or by post to the requester as a letter. */
export type OutboxChannel =
  | {
      readonly by: 'email';
      readonly to: readonly string[];
      /** The case's reply address when the caller already has it; otherwise asked of `ReplyAddresses`. */
      readonly replyTo?: string;
    }
  | {
      readonly by: 'post';
      /** The case as the letter shows it (addressee, postal address). */
      readonly projection: CaseProjection;
      /** The key of the letter's `letter.prepared`: `<message key>:letter` when absent. */
      readonly letterKey?: string;
    };

/** A message: its template, language and values, to whom by role, why, and how it travels. */
export type OutboxMessage = TemplateRequest & {
  readonly recipient: 'requester' | 'staff';
  readonly purpose: z.infer<typeof MessagePurposeSchema>;
  readonly via: OutboxChannel;
};

/**
 * A send the mail service may refuse for good (a bad address, rejected content): such a refusal is recorded
 * once as `failure.recorded` under `<message key>:failed`, and the message is never tried again.
 */
export interface PermanentFailures {
  /** Whether the error is a refusal for good; any other error is thrown, so the caller retries. */
  isPermanent(error: unknown): boolean;
  /** The record's code and message (names only, never the error's text, which may quote content). */
  describe(error: unknown): Pick<z.infer<typeof FailureRecordedDataSchema>, 'code' | 'message'>;
}

/** A message sent (now, or by an earlier attempt whose record is found). */
export interface SentMessage {
  readonly outcome: 'sent' | 'already-sent';
  /** The mail service's message id, or `mail:<letter id>` for a letter. */
  readonly messageId: string;
  /** The letter to post, for a message that went by post. */
  readonly letterId?: string;
}

/** A message the mail service refused for good (only with `PermanentFailures`). */
export interface RefusedMessage {
  readonly outcome: 'refused';
}

/**
 * The outbox: sends a message of a case once per key and records it (`message.sent` under that key, the
 * recipient named by role, never by address). The workflow, the staff commands and email intake all send
 * through it.
 *
 * - Once: a message already recorded under the key is not sent again (`already-sent`).
 * - Nothing before the send: a failed send records nothing (the case is unchanged) and throws, so the caller
 *   retries; with `PermanentFailures`, a refusal for good is recorded instead and never retried.
 * - Crash between send and record: every attempt carries the same delivery key (`deliveryKeyOf`); where the
 *   mail service keeps a record of what it accepted (`acceptedMessages`), a message it already accepted is
 *   recorded with its message id and not sent again (exactly once). Without that record (SES in AWS keeps none
 *   that can be asked), that one message goes again on retry (at least once).
 * - Reply-To: a requester-bound email carries the case's own reply address (created on first use, the same
 *   every time), so the answer joins the case; staff-bound email carries none.
 * - By post: nothing is sent; `mail:<letter id>` (derived from the case and the key) is recorded, then the
 *   letter is prepared (`letter.prepared`: a "to mail" task until staff record its mailing).
 *
 * @throws NoRecipientError when an email has no address to go to (and was not already sent)
 */
export async function sendOnce(
  deps: OutboxDeps,
  entry: OutboxEntry,
  message: OutboxMessage,
): Promise<SentMessage>;
export async function sendOnce(
  deps: OutboxDeps,
  entry: OutboxEntry,
  message: OutboxMessage,
  failures: PermanentFailures,
): Promise<SentMessage | RefusedMessage>;
export async function sendOnce(
  deps: OutboxDeps,
  entry: OutboxEntry,
  message: OutboxMessage,
  failures?: PermanentFailures,
): Promise<SentMessage | RefusedMessage> {
  const { caseId, key } = entry;
  const failedKey = `${key}:failed`;
  const events = entry.events ?? (await deps.ledger.read(caseId));
  const previous = events.find(
    (e): e is Extract<LedgerEvent, { type: 'message.sent' }> =>
      e.type === 'message.sent' && e.idempotencyKey === key,
  );
  if (previous !== undefined) {
    return withLetter(deps, entry, message, { outcome: 'already-sent', messageId: previous.data.messageId });
  }
  if (failures !== undefined && events.some((e) => e.idempotencyKey === failedKey)) {
    return { outcome: 'refused' };
  }

  let messageId: string;
  if (message.via.by === 'post') {
    messageId = `${MAIL_MESSAGE_PREFIX}${letterIdOf(caseId, key)}`;
  } else {
    const sent = await sendEmail(deps, entry, message, message.via, failures);
    if (sent === undefined) return { outcome: 'refused' };
    messageId = sent;
  }
  const at = entry.at ?? deps.clock.now().toISOString();
  const sent: KeyedDraft = {
    draft: {
      type: 'message.sent',
      at,
      actor: entry.actor,
      data: {
        messageId,
        purpose: message.purpose,
        recipient: message.recipient,
        template: message.template,
        language: message.language,
      },
    },
    idempotencyKey: key,
  };
  const then = message.via.by === 'email' ? (entry.then?.(at, messageId) ?? []) : [];
  if (then.length > 0)
    await deps.ledger.appendAll(caseId, [sent, ...then], entry.moreFollows ? {} : { readModelLater: false });
  else await deps.ledger.append(caseId, sent.draft, { idempotencyKey: key });
  return withLetter(deps, entry, message, { outcome: 'sent', messageId });
}

/**
 * The message id of the email: the one the mail service already accepted under the delivery key, or that of a
 * new send. `undefined` when the mail service refused it for good (then recorded as such).
 */
async function sendEmail(
  deps: OutboxDeps,
  entry: OutboxEntry,
  message: OutboxMessage,
  via: Extract<OutboxChannel, { by: 'email' }>,
  failures: PermanentFailures | undefined,
): Promise<string | undefined> {
  const { caseId, key } = entry;
  const to = via.to;
  if (to.length === 0) throw new NoRecipientError(caseId, key);
  const deliveryKey = deliveryKeyOf(caseId, key);
  const accepted = await deps.acceptedMessages?.find(deliveryKey);
  if (accepted !== undefined) return accepted.messageId;
  const replyTo = await replyToOf(deps, caseId, message.recipient, via);
  const outgoing = {
    template: message.template,
    language: message.language,
    values: message.values,
    to,
    ...(replyTo !== undefined ? { replyTo } : {}),
    caseId,
    deliveryKey,
  } as OutgoingMessage;
  try {
    return (await deps.notifier.send(outgoing)).messageId;
  } catch (error) {
    if (failures === undefined || !failures.isPermanent(error)) throw error;
    await deps.ledger.append(
      caseId,
      {
        type: 'failure.recorded',
        at: deps.clock.now().toISOString(),
        actor: entry.actor,
        data: { ...failures.describe(error), retryable: false },
      },
      { idempotencyKey: `${key}:failed` },
    );
    return undefined;
  }
}

/** The Reply-To of an email: the case's reply address for the requester (its one recipient), none for staff. */
async function replyToOf(
  deps: OutboxDeps,
  caseId: string,
  recipient: OutboxMessage['recipient'],
  via: Extract<OutboxChannel, { by: 'email' }>,
): Promise<string | undefined> {
  if (recipient !== 'requester') return undefined;
  if (via.replyTo !== undefined) return via.replyTo;
  // Never a requester-bound email without the case's reply address: its answer would join no case.
  if (deps.replyAddresses === undefined) throw new Error('a requester-bound email needs the reply addresses');
  return (await deps.replyAddresses.addressFor(caseId, via.to[0] as string)).address;
}

/** For a message by post, prepares its letter (once, under the letter key) and adds its id. */
async function withLetter(
  deps: OutboxDeps,
  entry: OutboxEntry,
  message: OutboxMessage,
  sent: SentMessage,
): Promise<SentMessage> {
  if (message.via.by !== 'post') return sent;
  const { letters, policy } = deps;
  if (letters === undefined || policy === undefined) {
    throw new Error('a message by post needs the letters port and the policy');
  }
  const { letterId } = await prepareLetter(
    { ledger: deps.ledger, letters, policy },
    {
      projection: message.via.projection,
      actor: entry.actor,
      at: entry.at ?? deps.clock.now().toISOString(),
      messageId: sent.messageId,
      idempotencyKey: message.via.letterKey ?? `${entry.key}:letter`,
    },
    { template: message.template, language: message.language, values: message.values } as TemplateRequest,
  );
  return { ...sent, letterId };
}
