import {
  AccessDeniedError,
  CaseNotFoundError,
  CaseStateConflictError,
  InvalidRequestError,
} from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { LedgerEvent } from '../../ledger/events';
import type { SentMessage } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { Category } from '../../policy/schema';
import { bundledCalendars } from '../../time/calendars';
import type { Deadline } from '../../time/types';
import { acknowledgementDeadline } from '../../workflow/acknowledgement-deadline';
import { parseOrThrow } from '../parse';
import { isConfidentialCase } from '../../access/case-access';
import { loadCaseFor, requireStatus } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeys, commandKeysOf } from './idempotency';
import { RecategorizeInputSchema } from './inputs';
import type { RecategorizeInput } from './inputs';
import { recordOnce } from './record';

export interface RecategorizeResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly from: string;
  readonly category: string;
  /** The unit (queue) that has the case afterwards: the new category's. */
  readonly unit: string;
  readonly confidential: boolean;
  /** The acknowledgement deadline afterwards, when the case still has one to meet. */
  readonly acknowledgementDeadline?: { readonly dueDate: string; readonly dueAt: string };
}

/**
 * Moves an open case to another category, with a reason code (`wrong-mailbox`, `wrong-form-choice`,
 * `content-reviewed`, `requester-clarified`, `other`): a supplier complaint mailed to the complaints address,
 * say, filed as a service complaint.
 *
 * Records `case.recategorized {from, to, reason, confidential}`; then what follows the category:
 * - **Confidentiality**: the case is as confidential as its new category, at once. A case moved *into* a
 *   confidential category is confidential from this event on (the person who moved it may lose sight of it).
 *   Only the complaints officer may move a case *out of* the confidential compartment: on a confidential case
 *   nobody else may act at all (see `authorize`).
 * - **Routing**: when the case is not in the new category's queue, `case.reassigned {unit: <queue>,
 *   reasonCode: 'misrouted'}` (a hand-off: another unit takes the case over; the person it was assigned to is
 *   dropped) or, for a case routing never assigned, `case.assigned`. Reminders and escalations then go to
 *   that unit (see `recipientsFor`).
 * - **Answer delays**: the workflow and the commands read the case's current category, so the answer delay
 *   and maximum of the new category apply to an acknowledgement still to come. A promised answer date
 *   (already acknowledged) is a promise to the requester and stays.
 * - **Acknowledgement deadline**: still counted from the original receipt, and never shortened. The new
 *   category's delay is computed from the receipt; an earlier date keeps the current deadline. A later date
 *   replaces it (`deadline.recalculated`, reason `category-changed`, with its proof) only when no date was
 *   communicated to the requester (no automatic receipt sent): a date the receipt gave them is kept, so the
 *   organization never breaks what it told them.
 *
 * Refused before anything is written: an agent, an auditor or anyone without access to the case (403/404,
 * see `authorize`); a closed case (409); the case's own category (409 `ALREADY_IN_CATEGORY`); a category the
 * policy does not have (400 on `category`, listing the possible ones).
 *
 * @throws ValidationError, InvalidRequestError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError,
 *   IdempotencyKeyReuseError
 */
export async function recategorize(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy' | 'calendars'>,
  identity: StaffIdentity,
  input: RecategorizeInput,
  options: CommandOptions = {},
): Promise<RecategorizeResult> {
  const {
    caseId,
    category: to,
    reason,
  } = parseOrThrow(RecategorizeInputSchema, input, 'recategorize request');
  let loaded;
  try {
    loaded = await loadCaseFor(deps, identity, 'recategorize', caseId, options);
  } catch (error) {
    if (!(error instanceof AccessDeniedError || error instanceof CaseNotFoundError)) throw error;
    const own = await ownRecordedOutcome(deps, identity, caseId, { category: to, reason }, options);
    if (own !== undefined) return own;
    throw error;
  }
  const { projection, history, actor, decision } = loaded;
  const keys = await commandKeysOf({
    caseId,
    command: 'recategorize',
    input: { category: to, reason },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const recorded = keys.recorded.get('done');
  const from = recorded?.type === 'case.recategorized' ? recorded.data.from : projection.category;
  const target = deps.policy.categories.find((c) => c.id === to);
  if (recorded === undefined) {
    requireStatus(projection, 'recategorize', ['received', 'acknowledged', 'answered', 'dissatisfied']);
    if (target === undefined) {
      const ids = deps.policy.categories.map((c) => c.id).join(', ');
      throw new InvalidRequestError([
        {
          path: 'category',
          fr: `n’est pas une catégorie de la politique; catégories possibles : ${ids}`,
          en: `is not a category of the policy; possible categories: ${ids}`,
        },
      ]);
    }
    if (projection.category === to) {
      throw new CaseStateConflictError(
        'ALREADY_IN_CATEGORY',
        { fr: 'Le dossier est déjà dans cette catégorie.', en: 'The case is already in this category.' },
        { caseId },
      );
    }
    // Defence in depth: `authorize` lets only the complaints officer act on a confidential case.
    if (
      isConfidentialCase(projection, deps.policy) &&
      !target.confidential &&
      decision.grantedBy !== 'complaints-officer'
    ) {
      throw new AccessDeniedError('recategorize', { caseId });
    }
  }
  if (target === undefined) throw new Error(`category ${to} left the policy after it was recorded`);
  const context = { caseId, keys, actor, at: deps.clock.now().toISOString() };
  const { event, appended } = await recordOnce(deps.ledger, context, 'done', 'case.recategorized', () => ({
    from,
    to,
    reason,
    confidential: target.confidential,
  }));

  const queue = target.routing.queue;
  // Events after the recategorization exist only when an earlier attempt recorded it (then already read).
  const after = recorded !== undefined ? await history.events() : [];
  if (keys.recorded.has('assigned') || needsRouting(projection, after, event, queue)) {
    if (keys.recorded.get('assigned')?.type === 'case.assigned' || projection.unit === undefined) {
      await recordOnce(deps.ledger, context, 'assigned', 'case.assigned', () => ({ unit: queue }));
    } else {
      await recordOnce(deps.ledger, context, 'assigned', 'case.reassigned', () => ({
        unit: queue,
        reasonCode: 'misrouted',
      }));
    }
  }

  const acknowledgement = projection.deadlines.acknowledgement;
  const previous = keys.recorded.get('deadline');
  const later =
    previous?.type === 'deadline.recalculated'
      ? previous.data.deadline
      : laterAcknowledgementDeadline(deps, projection, (await history.index()).messages, target);
  if (later !== undefined) {
    await recordOnce(deps.ledger, context, 'deadline', 'deadline.recalculated', () => ({
      kind: 'acknowledgement',
      deadline: later,
      reason: 'category-changed',
    }));
  }
  const due = acknowledgement?.metAt === undefined ? (later ?? acknowledgement) : undefined;

  return {
    caseId,
    replayed: !appended,
    from: event.data.from,
    category: event.data.to,
    unit: queue,
    confidential: event.data.confidential,
    ...(due !== undefined ? { acknowledgementDeadline: { dueDate: due.dueDate, dueAt: due.dueAt } } : {}),
  };
}

/**
 * The outcome of this person's own recategorization, already recorded under the same command key, when they
 * can no longer reach the case: the move itself took it out of their sight (out of the confidential
 * compartment to a unit the complaints officer is not in, or into it). A retry of the same request then
 * replays what they did, and reveals nothing they had not seen; anyone else is refused as usual.
 */
async function ownRecordedOutcome(
  deps: Pick<CommandDeps, 'ledger' | 'policy'>,
  identity: StaffIdentity,
  caseId: string,
  input: { readonly category: string; readonly reason: string },
  options: CommandOptions,
): Promise<RecategorizeResult | undefined> {
  const events = await deps.ledger.read(caseId);
  if (events.length === 0) return undefined;
  let keys;
  try {
    keys = commandKeys({
      caseId,
      command: 'recategorize',
      input,
      events,
      ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
    });
  } catch {
    return undefined;
  }
  const done = keys.recorded.get('done');
  if (done?.type !== 'case.recategorized' || done.actor.kind !== 'staff' || done.actor.id !== identity.id)
    return undefined;
  const queue = deps.policy.categories.find((c) => c.id === done.data.to)?.routing.queue;
  if (queue === undefined) return undefined;
  return {
    caseId,
    replayed: true,
    from: done.data.from,
    category: done.data.to,
    unit: queue,
    confidential: done.data.confidential,
  };
}

/**
 * Whether the case must still be routed to the new category's queue: it is not there, and nobody assigned it
 * since the recategorization (a retry after a crash completes the routing; it never undoes a later
 * reassignment).
 */
function needsRouting(
  projection: CaseProjection,
  events: readonly LedgerEvent[],
  recategorized: LedgerEvent,
  queue: string,
): boolean {
  if (projection.unit === queue) return false;
  return !events.some(
    (e) => e.seq > recategorized.seq && (e.type === 'case.assigned' || e.type === 'case.reassigned'),
  );
}

/**
 * The new category's acknowledgement deadline, counted from the original receipt, when it must replace the
 * current one: it is later, the current one is not met, and no date was communicated to the requester (an
 * automatic receipt gives them one). `undefined` otherwise: the current deadline stays.
 */
function laterAcknowledgementDeadline(
  deps: Pick<CommandDeps, 'clock' | 'policy' | 'calendars'>,
  projection: CaseProjection,
  messages: readonly SentMessage[],
  target: Category,
): Deadline | undefined {
  const current = projection.deadlines.acknowledgement;
  if (current === undefined || current.metAt !== undefined) return undefined;
  const communicated = messages.some(
    (message) => message.recipient === 'requester' && message.purpose === 'receipt',
  );
  if (communicated) return undefined;
  const recomputed = acknowledgementDeadline({
    policy: deps.policy,
    category: target,
    calendars: deps.calendars ?? bundledCalendars(),
    receivedAt: projection.receivedAt,
    computedAt: deps.clock.now(),
  });
  if (recomputed === undefined || Date.parse(recomputed.dueAt) <= Date.parse(current.dueAt)) return undefined;
  return recomputed;
}
