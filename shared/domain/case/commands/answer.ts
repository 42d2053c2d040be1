import type { StaffIdentity } from '../../identity/identity';
import { referralFor } from '../../messaging/referral';
import { caseContactBlock, contactBlock } from '../../messaging/values';
import { citizenLanguage } from '../../../templates/language';
import { parseOrThrow } from '../parse';
import { loadCaseFor, requireReference, requireStatus } from './case-state';
import { deliverToRequester, goesByMail } from './delivery';
import type { Delivery } from './delivery';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { AnswerInputSchema } from './inputs';
import type { AnswerInput } from './inputs';
import { localDateOf } from '../../time/local-date-of';
import { CommandLedger } from '../../ledger/command-ledger';
import { draftsOf, recordAllOnce, recordOnce, recordPart } from './record';

export interface AnswerResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly delivery: Delivery;
  /** True when the answer also served as the legal acknowledgement (the case had not been acknowledged). */
  readonly acknowledgedByAnswer: boolean;
}

/**
 * Sends the answer to the requester (template `answer-cover`: reference, subject, the answer text, the
 * category's referral paragraph, contact) and records `message.sent` then `case.answered`.
 *
 * The referral (`referralFor`): for a complaint or a comment, the whole Protecteur du citoyen referral from the
 * policy (after the AMP paragraph for public-contract complaints); nothing for a request. The contact is the
 * category's (`caseContactBlock`).
 *
 * A new answer to a `dissatisfied` case ends the complaints officer's review: it goes out as the review's
 * closing message (template `review-conclusion`, the answer with the Protecteur du citoyen referral, whatever
 * the category) and meets the review deadline.
 *
 * Allowed on a case that is `received`, `acknowledged` or `dissatisfied` (a new answer after the requester
 * said they were not satisfied); refused (409) when already `answered` or `closed`.
 *
 * Answering a case not yet acknowledged: the answer states the reference and a contact and is itself the
 * answer, so it also meets the acknowledgement commitment. The command then records `case.acknowledged`
 * (same message id, promised date = today, `automatic: false`) before `case.answered`, and the case history
 * shows both commitments met by the same message.
 *
 * No delivery address: as for the acknowledgement, the answer goes by post (`mail:<letter id>`, letter returned).
 * Idempotent under retry like every staff command (see `commandKeys`).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function answer(
  deps: CommandDeps,
  identity: StaffIdentity,
  input: AnswerInput,
  options: CommandOptions = {},
): Promise<AnswerResult> {
  const { caseId, message, sentByMail } = parseOrThrow(AnswerInputSchema, input, 'answer request');
  const { projection, category, history, actor } = await loadCaseFor(
    deps,
    identity,
    'answer',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'answer',
    input: { message, sentByMail: sentByMail ?? false },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const reference = requireReference(projection);
  if (keys.recorded.size === 0)
    requireStatus(projection, 'answer', ['received', 'acknowledged', 'dissatisfied']);
  const now = deps.clock.now();
  const at = now.toISOString();
  const language = citizenLanguage(projection.requester);
  const mustAcknowledge = projection.acknowledgedAt === undefined || keys.recorded.has('acknowledged');

  const reviewing =
    projection.status === 'dissatisfied' ||
    (keys.recorded.size > 0 && projection.dissatisfiedAt !== undefined);
  // A review is the complaints officer's: its conclusion gives their contact, not the unit's.
  const contact = reviewing
    ? contactBlock(deps.policy, language)
    : caseContactBlock(deps.policy, category, language);
  const record = { caseId, keys, actor, at };
  const done = (messageId: string) => recordPart('done', 'case.answered', () => ({ messageId }));
  const acknowledgement = (messageId: string) =>
    recordPart('acknowledged', 'case.acknowledged', () => ({
      messageId,
      promisedAnswerDate: localDateOf(now),
      automatic: false,
    }));
  // An email sent now is recorded with the acknowledgement the answer makes and the answer in one ledger item,
  // which writes the read model; a letter, or a message sent by an earlier attempt, leaves them to the item
  // below.
  const ledger = new CommandLedger(deps.ledger, projection);
  ledger.deferReadModel = true;
  const delivery = await deliverToRequester(
    { ...deps, ledger },
    { projection, actor, at, keys },
    {
      content: reviewing
        ? {
            template: 'review-conclusion',
            values: {
              reference,
              requesterName: projection.requester.name,
              answer: message,
              referral: referralFor(deps.policy, category, language, reference, true),
              contact,
            },
          }
        : {
            template: 'answer-cover',
            values: {
              reference,
              requesterName: projection.requester.name,
              subject: projection.subject,
              answer: message,
              referral: referralFor(deps.policy, category, language, reference),
              contact,
            },
          },
      language,
      purpose: 'answer',
      byMail: goesByMail(projection, sentByMail),
    },
    (_at, messageId) =>
      draftsOf(record, mustAcknowledge ? [acknowledgement(messageId), done(messageId)] : [done(messageId)]),
  );
  ledger.deferReadModel = false;
  const { messageId } = delivery;
  const [acknowledged, answered] = mustAcknowledge
    ? await recordAllOnce(ledger, record, [acknowledgement(messageId), done(messageId)])
    : [undefined, await recordOnce(ledger, record, 'done', 'case.answered', done(messageId).makeData)];
  return {
    caseId,
    replayed: !answered.appended && !(acknowledged?.appended ?? false),
    delivery,
    acknowledgedByAnswer: acknowledged !== undefined,
  };
}
