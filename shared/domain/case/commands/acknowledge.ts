import { CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import { caseContactBlock } from '../../messaging/values';
import { dateInWords, instantDateInWords } from '../../time/date-in-words';
import { citizenLanguage } from '../../../templates/language';
import { parseOrThrow } from '../parse';
import { calendarFor, loadCaseFor, requireReference, requireStatus } from './case-state';
import { deliverToRequester, goesByMail } from './delivery';
import type { Delivery } from './delivery';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { AcknowledgeInputSchema } from './inputs';
import type { AcknowledgeInput } from './inputs';
import { checkAnswerDate, promisedAnswerDeadline } from './promised-date';
import { CommandLedger } from '../../ledger/command-ledger';
import { draftsOf, recordAllOnce, recordPart } from './record';

export interface AcknowledgeResult {
  readonly caseId: string;
  /** True when this call only replayed an acknowledgement already recorded under the same key. */
  readonly replayed: boolean;
  readonly promisedAnswerDate: string;
  /** The answer deadline now bound to the promised date. */
  readonly answerDeadline: { readonly dueDate: string; readonly dueAt: string };
  readonly delivery: Delivery;
}

/**
 * Sends the legal acknowledgement: the message states the case reference, the promised answer date (in
 * words) and the organization's contact, in the requester's language (template `acknowledgement`). Then it
 * records `message.sent`, `case.acknowledged {messageId, promisedAnswerDate, automatic: false}` and plans the
 * `answer` deadline at the end of the promised day (`deadline.planned`: the promise replaces the provisional
 * answer deadline; its proof says the date was promised, see `promisedAnswerDeadline`).
 *
 * Rules, all checked before anything is sent or recorded:
 * - the actor may act on the case (see `authorize`); the case exists and is registered (has a reference);
 * - it was not acknowledged yet (`ALREADY_ACKNOWLEDGED`, 409) and is still `received` (409 otherwise);
 * - `answerBy` is not before today, after the day of receipt, a business day of the category's calendar, and
 *   not after the category's maximum answer delay from receipt (see `checkAnswerDate`, 422 in both languages).
 *
 * A requester without an email address (letter, phone) gets a letter: nothing is emailed, the message id
 * `mail:<letter id>` is recorded and the letter's template and values are returned for printing. The staff
 * member who runs the command answers for posting it; the acknowledgement counts from that moment, as the
 * ledger says.
 * `sentByMail: true` asks for a letter even when an email address is known.
 *
 * Idempotent: the same request retried (same client key, or same input) replays the recorded outcome and
 * sends nothing; after a crash midway it completes the missing events without sending again.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, BusinessRuleError,
 *   IdempotencyKeyReuseError
 */
export async function acknowledge(
  deps: CommandDeps,
  identity: StaffIdentity,
  input: AcknowledgeInput,
  options: CommandOptions = {},
): Promise<AcknowledgeResult> {
  const { caseId, answerBy, sentByMail } = parseOrThrow(AcknowledgeInputSchema, input, 'acknowledge request');
  const { projection, category, history, actor } = await loadCaseFor(
    deps,
    identity,
    'acknowledge',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'acknowledge',
    input: { answerBy, sentByMail: sentByMail ?? false },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const now = deps.clock.now();
  const at = now.toISOString();
  const calendar = calendarFor(deps.calendars, category, now);
  const reference = requireReference(projection);
  if (keys.recorded.size === 0) {
    if (projection.acknowledgedAt !== undefined) {
      throw new CaseStateConflictError(
        'ALREADY_ACKNOWLEDGED',
        {
          fr: 'Ce dossier a déjà reçu son accusé de réception; pour reporter la date de réponse, utilisez une prolongation.',
          en: 'This case was already acknowledged; to move the answer date, use an extension.',
        },
        { caseId, status: projection.status },
      );
    }
    requireStatus(projection, 'acknowledge', ['received']);
    checkAnswerDate(answerBy, {
      caseId,
      receivedAt: projection.receivedAt,
      now,
      calendar,
      maximumDelay: category.answer.maximumDelay,
      workingHours: deps.policy.organization.workingHours,
    });
  }

  const language = citizenLanguage(projection.requester);
  const record = { caseId, keys, actor, at };
  // The acknowledgement and its answer deadline, from the message's id.
  const parts = (messageId: string) =>
    [
      recordPart('done', 'case.acknowledged', () => ({
        messageId,
        promisedAnswerDate: answerBy,
        automatic: false,
      })),
      recordPart('deadline', 'deadline.planned', () => ({
        kind: 'answer' as const,
        deadline: promisedAnswerDeadline({
          receivedAt: projection.receivedAt,
          answerBy,
          calendar,
          purpose: 'acknowledgement',
        }),
      })),
    ] as const;
  // An email sent now is recorded with both in one ledger item, which writes the read model; a letter, or a
  // message sent by an earlier attempt, leaves them to the item below.
  const ledger = new CommandLedger(deps.ledger, projection);
  ledger.deferReadModel = true;
  const delivery = await deliverToRequester(
    { ...deps, ledger },
    { projection, actor, at, keys },
    {
      content: {
        template: 'acknowledgement',
        values: {
          reference,
          requesterName: projection.requester.name,
          subject: projection.subject,
          receivedDate: instantDateInWords(projection.receivedAt, language),
          answerByDate: dateInWords(answerBy, language),
          contact: caseContactBlock(deps.policy, category, language),
        },
      },
      language,
      purpose: 'acknowledgement',
      byMail: goesByMail(projection, sentByMail),
    },
    (_at, messageId) => draftsOf(record, parts(messageId)),
  );
  ledger.deferReadModel = false;
  const [acknowledged, planned] = await recordAllOnce(ledger, record, parts(delivery.messageId));
  return {
    caseId,
    replayed: !acknowledged.appended && !planned.appended,
    promisedAnswerDate: acknowledged.event.data.promisedAnswerDate,
    answerDeadline: {
      dueDate: planned.event.data.deadline.dueDate,
      dueAt: planned.event.data.deadline.dueAt,
    },
    delivery,
  };
}
