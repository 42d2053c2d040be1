import { BusinessRuleError, CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { ReachChannel } from '../../ledger/events';
import { parseOrThrow } from '../parse';
import { loadCaseFor } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { RequesterReachedInputSchema } from './inputs';
import type { RequesterReachedInput } from './inputs';
import { recordOnce } from './record';

export interface RequesterReachedResult {
  readonly caseId: string;
  readonly replayed: boolean;
  /** The record's place in the case's ledger. */
  readonly seq: number;
  readonly channel: ReachChannel;
  readonly reachedAt: string;
  /** The undelivered messages the contact settled. */
  readonly messageIds: readonly string[];
  /** Undelivered messages still to settle after it (0: the task is gone). */
  readonly undeliveredMessages: number;
}

/**
 * Records that staff reached the requester another way (`requester.reached {channel, reachedAt, messageIds,
 * note?}`, the staff member as actor) after messages to them never arrived (a permanent bounce or a reject:
 * the case's `undeliveredMessages`, the « joindre le demandeur » task). The promise those messages carried
 * (receipt, acknowledgement, answer, notice) was kept by a call, a letter, a visit or another address: the
 * task clears for the messages settled, and the legal clock is unchanged (the law counts the sending).
 *
 * - Who: whoever may act on the case (see `authorize`): the agents and supervisor of its unit, the complaints
 *   officer; on a confidential case the complaints officer only (404 for anyone else, the attempt recorded).
 *   Administrators and auditors record nothing (403).
 * - When: in every status (an answer may bounce after the case was closed). `reachedAt` is not in the future
 *   (`REACHED_AT_IN_FUTURE`) nor before the case was received (`REACHED_AT_BEFORE_CASE`), 422 on the field.
 * - Which: the messages named (`messageIds`, each one of the case's undelivered messages, else
 *   `UNDELIVERED_MESSAGE_UNKNOWN`, 422), or all of them; a case with none is refused (`NO_UNDELIVERED_MESSAGE`,
 *   409). The event names the messages it settled, so a message that bounces afterwards stays a task.
 * - The note is case content, like an internal note: listed with the case's content, never shown to auditors
 *   (they see the channel, the instant and the messages settled).
 * - Idempotency as for every command: the same `Idempotency-Key` replays the record (checks not repeated),
 *   with another request it is refused.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, BusinessRuleError,
 *   IdempotencyKeyReuseError
 */
export async function recordRequesterReached(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: RequesterReachedInput,
  options: CommandOptions = {},
): Promise<RequesterReachedResult> {
  const { caseId, channel, reachedAt, messageIds, note } = parseOrThrow(
    RequesterReachedInputSchema,
    input,
    'requester reached',
  );
  const { projection, history, actor } = await loadCaseFor(
    deps,
    identity,
    'requester-reached',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'requester-reached',
    input: { channel, reachedAt, messageIds, note },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const now = deps.clock.now();
  const undelivered = (projection.undeliveredMessages ?? []).map((message) => message.messageId);
  if (keys.recorded.size === 0) {
    if (undelivered.length === 0) {
      throw new CaseStateConflictError(
        'NO_UNDELIVERED_MESSAGE',
        {
          fr: 'Aucun courriel au demandeur n’est en attente d’un autre moyen de contact sur ce dossier.',
          en: 'No email to the requester on this case is waiting to be made up for another way.',
        },
        { caseId },
      );
    }
    checkReachedAt(reachedAt, projection.receivedAt, now);
    const unknown = (messageIds ?? []).filter((id) => !undelivered.includes(id));
    if (unknown.length > 0) {
      throw new BusinessRuleError(
        'UNDELIVERED_MESSAGE_UNKNOWN',
        {
          fr: 'Ces messages ne sont pas des courriels non remis de ce dossier (ou ont déjà été réglés).',
          en: 'These messages are not undelivered emails of this case (or were already settled).',
        },
        { field: 'messageIds', unknownCount: unknown.length },
      );
    }
  }
  const recorded = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: now.toISOString() },
    'done',
    'requester.reached',
    () => ({
      channel,
      reachedAt: new Date(reachedAt).toISOString(),
      messageIds: messageIds ?? undelivered,
      ...(note !== undefined ? { note } : {}),
    }),
  );
  const after = await deps.ledger.getCase(caseId);
  return {
    caseId,
    replayed: !recorded.appended,
    seq: recorded.event.seq,
    channel: recorded.event.data.channel,
    reachedAt: recorded.event.data.reachedAt,
    messageIds: recorded.event.data.messageIds,
    undeliveredMessages: after?.undeliveredMessages?.length ?? 0,
  };
}

/** @throws BusinessRuleError REACHED_AT_IN_FUTURE, REACHED_AT_BEFORE_CASE (on the `reachedAt` field) */
function checkReachedAt(reachedAt: string, receivedAt: string, now: Date): void {
  const at = Date.parse(reachedAt);
  if (at > now.getTime()) {
    throw new BusinessRuleError(
      'REACHED_AT_IN_FUTURE',
      {
        fr: 'Le moment du contact ne peut pas être dans le futur : indiquez quand le demandeur a été joint.',
        en: 'The time of the contact cannot be in the future: give when the requester was reached.',
      },
      { field: 'reachedAt' },
    );
  }
  if (at < Date.parse(receivedAt)) {
    throw new BusinessRuleError(
      'REACHED_AT_BEFORE_CASE',
      {
        fr: 'Le moment du contact ne peut pas précéder la réception de la demande.',
        en: 'The time of the contact cannot be before the request was received.',
      },
      { field: 'reachedAt' },
    );
  }
}
