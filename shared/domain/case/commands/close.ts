import { CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import { referralFor } from '../../messaging/referral';
import { contactBlock } from '../../messaging/values';
import { citizenLanguage } from '../../../templates/language';
import { parseOrThrow } from '../parse';
import { loadCaseFor, requireReference, requireStatus } from './case-state';
import { deliverToRequester, goesByMail } from './delivery';
import type { Delivery } from './delivery';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { CloseInputSchema } from './inputs';
import type { CloseInput } from './inputs';
import { draftsOf, recordAllOnce, recordPart } from './record';
import { CommandLedger } from '../../ledger/command-ledger';

export interface CloseResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly outcome: string;
  readonly closedAt: string;
  /** The review's closing message, when the case was closed while the requester was dissatisfied. */
  readonly delivery?: Delivery;
}

/**
 * Closes an open case with its outcome (`answered`, `withdrawn`, `duplicate`, `out-of-scope`, `referred`,
 * `no-response`, `other`) and records `case.closed`. No message goes to the requester, except when the case
 * was reopened because the requester was not satisfied: closing then ends the complaints officer's review, and
 * the requester gets the review's closing message (template `review-conclusion`, with the whole Protecteur du
 * citoyen referral from the policy, and the complaints officer as the contact: they did the review), recorded
 * before `case.closed`; a case closed with outcome `withdrawn`
 * gets it too, since the referral is the requester's remaining recourse.
 *
 * Refused (409) on a case already closed, and with outcome `answered` on a case that was never answered (the
 * outcome would misstate the record; use another outcome).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function close(
  deps: CommandDeps,
  identity: StaffIdentity,
  input: CloseInput,
  options: CommandOptions = {},
): Promise<CloseResult> {
  const { caseId, outcome } = parseOrThrow(CloseInputSchema, input, 'close request');
  const { projection, category, history, actor } = await loadCaseFor(
    deps,
    identity,
    'close',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'close',
    input: { outcome },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0) {
    requireStatus(projection, 'close', ['received', 'acknowledged', 'answered', 'dissatisfied']);
    if (outcome === 'answered' && projection.answeredAt === undefined) {
      throw new CaseStateConflictError(
        'NOT_ANSWERED',
        {
          fr: 'Le dossier ne peut pas être fermé comme « répondu » : aucune réponse n’a été envoyée.',
          en: 'The case cannot be closed as “answered”: no answer was sent.',
        },
        { caseId, status: projection.status },
      );
    }
  }
  const at = deps.clock.now().toISOString();
  const reviewEnds = projection.status === 'dissatisfied' || keys.recorded.has('message');
  const record = { caseId, keys, actor, at };
  const parts = [recordPart('done', 'case.closed', () => ({ reason: outcome }))] as const;
  // The review's conclusion emailed now is recorded with the closing in one ledger item, which writes the read
  // model; a letter, or a conclusion an earlier attempt sent, leaves the closing to its own item.
  const ledger = new CommandLedger(deps.ledger, projection);
  let delivery: Delivery | undefined;
  if (reviewEnds) {
    const reference = requireReference(projection);
    const language = citizenLanguage(projection.requester);
    ledger.deferReadModel = true;
    delivery = await deliverToRequester(
      { ...deps, ledger },
      { projection, actor, at, keys },
      {
        content: {
          template: 'review-conclusion',
          values: {
            reference,
            requesterName: projection.requester.name,
            answer: '',
            referral: referralFor(deps.policy, category, language, reference, true),
            // The complaints officer concluded the review: the requester's contact is theirs, not the unit's.
            contact: contactBlock(deps.policy, language),
          },
        },
        language,
        purpose: 'answer',
        byMail: goesByMail(projection, undefined),
      },
      () => draftsOf(record, parts),
    );
    ledger.deferReadModel = false;
  }
  const [closed] = await recordAllOnce(ledger, record, parts);
  return {
    caseId,
    replayed: !closed.appended,
    outcome: closed.event.data.reason,
    closedAt: closed.event.at,
    ...(delivery !== undefined ? { delivery } : {}),
  };
}
