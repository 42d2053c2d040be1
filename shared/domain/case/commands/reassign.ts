import { CaseStateConflictError, InvalidRequestError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { StaffDirectory } from '../../identity/staff-directory';
import { parseOrThrow } from '../parse';
import { checkAssignmentTarget } from './assignment-target';
import { loadCaseFor, requireStatus } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { ReassignInputSchema } from './inputs';
import type { ReassignInput } from './inputs';
import { recordOnce } from './record';

export interface ReassignResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly unit: string;
  readonly assignee?: string;
  /** `case.reassigned` (a hand-off) or, for a case never assigned, `case.assigned` (its first assignment). */
  readonly recordedAs: 'case.reassigned' | 'case.assigned';
}

/**
 * Moves an open case to another unit and/or person, with a reason code (`misrouted`, `expertise`,
 * `workload`, `absence`, `conflict-of-interest`, `escalation`, `other`, `self-assigned`). `self-assigned` (« assign
 * to me ») is only for a person taking the case for themself: refused (400, on `reason`) with another assignee.
 *
 * Records `case.reassigned {unit, assignee, reasonCode}`, which the projection counts as one hand-off (fewer
 * hand-offs is a commitment). A case that routing never assigned (no unit yet) gets `case.assigned` instead:
 * taking a case out of its queue is its first assignment, not a hand-off (that event has no reason field).
 *
 * Refused (409) on a closed case and when the case is already exactly there (same unit and assignee): that
 * would count a hand-off that did not happen. Refused (400, nothing written) when the unit or the assignee
 * would leave the case without an owner (see `checkAssignmentTarget`: a unit the policy routes to, an assignee
 * the staff directory knows who can act on the case there). An administrator may reassign any case that is
 * not confidential, to repair an assignment. No message goes to the requester.
 *
 * @throws ValidationError, InvalidRequestError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError,
 *   IdempotencyKeyReuseError
 */
export async function reassign(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'> & { readonly directory: StaffDirectory },
  identity: StaffIdentity,
  input: ReassignInput,
  options: CommandOptions = {},
): Promise<ReassignResult> {
  const { caseId, to, reason } = parseOrThrow(ReassignInputSchema, input, 'reassign request');
  if (reason === 'self-assigned' && to.assignee !== identity.id) {
    throw new InvalidRequestError([
      {
        path: 'reason',
        fr: '« Assignation à soi-même » ne vaut que si la personne assignée est vous.',
        en: '“Assigned to oneself” only applies when you are the assignee.',
      },
    ]);
  }
  const { projection, history, actor } = await loadCaseFor(deps, identity, 'reassign', caseId, options);
  const keys = await commandKeysOf({
    caseId,
    command: 'reassign',
    input: { to, reason },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const recorded = keys.recorded.get('done');
  const firstAssignment =
    recorded !== undefined ? recorded.type === 'case.assigned' : projection.unit === undefined;
  if (recorded === undefined) {
    requireStatus(projection, 'reassign', ['received', 'acknowledged', 'answered', 'dissatisfied']);
    if (projection.unit === to.unit && projection.assignee === to.assignee) {
      throw new CaseStateConflictError(
        'ALREADY_ASSIGNED',
        {
          fr: 'Le dossier est déjà assigné à cette unité et à cette personne.',
          en: 'The case is already assigned to this unit and person.',
        },
        { caseId },
      );
    }
    await checkAssignmentTarget(deps, projection, to);
  }
  const context = { caseId, keys, actor, at: deps.clock.now().toISOString() };
  const assignment = { unit: to.unit, ...(to.assignee !== undefined ? { assignee: to.assignee } : {}) };
  const result = firstAssignment
    ? await recordOnce(deps.ledger, context, 'done', 'case.assigned', () => assignment)
    : await recordOnce(deps.ledger, context, 'done', 'case.reassigned', () => ({
        ...assignment,
        reasonCode: reason,
      }));
  return {
    caseId,
    replayed: !result.appended,
    unit: result.event.data.unit,
    ...(result.event.data.assignee !== undefined ? { assignee: result.event.data.assignee } : {}),
    recordedAs: result.event.type,
  };
}
