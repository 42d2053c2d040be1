import { CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { LedgerEvent } from '../../ledger/events';
import { caseContactBlock } from '../../messaging/values';
import { dateInWords } from '../../time/date-in-words';
import { citizenLanguage } from '../../../templates/language';
import { parseOrThrow } from '../parse';
import { calendarFor, loadCaseFor, requireReference, requireStatus } from './case-state';
import { deliverToRequester, goesByMail } from './delivery';
import type { Delivery } from './delivery';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { ExtendInputSchema } from './inputs';
import type { ExtendInput } from './inputs';
import { checkAnswerDate, promisedAnswerDeadline } from './promised-date';
import { draftsOf, recordAllOnce, recordPart } from './record';
import { CommandLedger } from '../../ledger/command-ledger';

export interface ExtendResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly previousAnswerDate: string;
  readonly answerDeadline: { readonly dueDate: string; readonly dueAt: string };
  readonly delivery: Delivery;
}

/**
 * Moves the promised answer date later, with a reason, and tells the requester (template `extension-notice`:
 * previous date, new date, reason, contact). Records `message.sent` and `deadline.extended {kind: 'answer',
 * deadline, reason, noticeMessageId}`, in one ledger item when the notice is an email sent now. Both dates stay in the ledger: the earlier promise is in the
 * acknowledgement (and any earlier extension), the new one in this event; the projection keeps
 * `originalDueAt` and bumps the deadline's revision.
 *
 * Rules, checked before anything is sent or recorded: the case is `acknowledged` (an answered, closed or
 * not-yet-acknowledged case has no pending promise to move, 409); the reason is given (400); the new date is
 * later than the current one, not in the past, a business day, and within the category's maximum answer delay
 * from receipt (422, see `checkAnswerDate`).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, BusinessRuleError,
 *   IdempotencyKeyReuseError
 */
export async function extend(
  deps: CommandDeps,
  identity: StaffIdentity,
  input: ExtendInput,
  options: CommandOptions = {},
): Promise<ExtendResult> {
  const { caseId, answerBy, reason, sentByMail } = parseOrThrow(ExtendInputSchema, input, 'extend request');
  const { projection, category, history, actor } = await loadCaseFor(
    deps,
    identity,
    'extend',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'extend',
    input: { answerBy, reason, sentByMail: sentByMail ?? false },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const now = deps.clock.now();
  const at = now.toISOString();
  const calendar = calendarFor(deps.calendars, category, now);
  const reference = requireReference(projection);
  const recordedNotice = keys.recorded.get('done');
  const previous =
    recordedNotice?.type === 'deadline.extended'
      ? previousPromise(await history.events(), recordedNotice.seq)
      : (projection.deadlines.answer?.dueDate ?? projection.promisedAnswerDate);
  if (keys.recorded.size === 0) {
    requireStatus(projection, 'extend', ['acknowledged']);
    if (previous === undefined) {
      throw new CaseStateConflictError(
        'NO_ANSWER_DATE',
        {
          fr: 'Ce dossier n’a pas de date de réponse promise à prolonger.',
          en: 'This case has no promised answer date to extend.',
        },
        { caseId },
      );
    }
    checkAnswerDate(answerBy, {
      caseId,
      receivedAt: projection.receivedAt,
      now,
      calendar,
      maximumDelay: category.answer.maximumDelay,
      workingHours: deps.policy.organization.workingHours,
      currentlyPromised: previous,
    });
  }
  const previousDate = previous ?? answerBy;

  const language = citizenLanguage(projection.requester);
  const record = { caseId, keys, actor, at };
  // The extension, from the notice's message id.
  const parts = (messageId: string | undefined) =>
    [
      recordPart('done', 'deadline.extended', () => ({
        kind: 'answer' as const,
        deadline: promisedAnswerDeadline({
          receivedAt: projection.receivedAt,
          answerBy,
          calendar,
          purpose: 'extension',
        }),
        reason,
        noticeMessageId: messageId,
      })),
    ] as const;
  // An email sent now is recorded with the extension in one ledger item, which writes the read model; a letter,
  // or a notice sent by an earlier attempt, leaves it to the record below.
  const ledger = new CommandLedger(deps.ledger, projection);
  ledger.deferReadModel = true;
  const delivery = await deliverToRequester(
    { ...deps, ledger },
    { projection, actor, at, keys },
    {
      content: {
        template: 'extension-notice',
        values: {
          reference,
          requesterName: projection.requester.name,
          previousAnswerByDate: dateInWords(previousDate, language),
          answerByDate: dateInWords(answerBy, language),
          reason,
          contact: caseContactBlock(deps.policy, category, language),
        },
      },
      language,
      purpose: 'extension-notice',
      byMail: goesByMail(projection, sentByMail),
    },
    (_at, messageId) => draftsOf(record, parts(messageId)),
  );
  ledger.deferReadModel = false;
  const [extended] = await recordAllOnce(ledger, record, parts(delivery.messageId));
  return {
    caseId,
    replayed: !extended.appended,
    previousAnswerDate: previousDate,
    answerDeadline: {
      dueDate: extended.event.data.deadline.dueDate,
      dueAt: extended.event.data.deadline.dueAt,
    },
    delivery,
  };
}

/** The answer date promised just before the event at `seq` (for replaying an extension already recorded). */
function previousPromise(events: readonly LedgerEvent[], seq: number): string | undefined {
  let promised: string | undefined;
  for (const event of events) {
    if (event.seq >= seq) break;
    if (event.type === 'case.acknowledged') promised = event.data.promisedAnswerDate;
    if (
      (event.type === 'deadline.planned' ||
        event.type === 'deadline.recalculated' ||
        event.type === 'deadline.extended') &&
      event.data.kind === 'answer'
    )
      promised = event.data.deadline.dueDate;
  }
  return promised;
}
