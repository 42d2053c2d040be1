import { InvalidRequestError } from '../../../errors';
import type { RequestIssue } from '../../../errors';
import type { StaffDirectory } from '../../identity/staff-directory';
import type { Policy } from '../../policy/schema';
import { authorize, isConfidentialCase } from '../../access/case-access';
import type { AccessTarget } from '../../access/case-access';

/** Where a case is sent: a unit (queue) and, optionally, a person of it. */
export interface AssignmentTarget {
  readonly unit: string;
  readonly assignee?: string;
}

/**
 * The units a case may be in: the queues the policy routes categories to. A confidential case may only be in
 * a queue of a category the complaints officer handles, so it never sits in an ordinary unit's queue.
 */
export function assignableUnits(policy: Pick<Policy, 'categories'>, confidential: boolean): string[] {
  const units = policy.categories
    .filter((category) => !confidential || category.routing.handlerRole === 'complaints-officer')
    .map((category) => category.routing.queue);
  return [...new Set(units)].sort();
}

/**
 * No case without an owner: checks, before anything is written, that a case can go where a reassignment
 * sends it.
 * - The unit is one the policy routes cases to (for a confidential case, a complaints queue).
 * - The assignee, when given, is a staff member the directory knows who can act on the case in that unit
 *   without being its assignee (`authorize` on the case as it would be, unassigned): an agent or supervisor of
 *   the unit, or the complaints officer; for a confidential case, only the complaints officer. An auditor or
 *   an administrator is never an assignee.
 * Otherwise nobody, or the wrong person, could act on the case afterwards.
 *
 * @throws InvalidRequestError (400) with one issue per wrong field (`to.unit`, `to.assignee`), in French and
 *   English.
 */
export async function checkAssignmentTarget(
  deps: { readonly policy: Pick<Policy, 'categories'>; readonly directory: StaffDirectory },
  target: AccessTarget,
  to: AssignmentTarget,
): Promise<void> {
  const confidential = isConfidentialCase(target, deps.policy);
  const units = assignableUnits(deps.policy, confidential);
  const issues: RequestIssue[] = [];
  if (!units.includes(to.unit)) {
    issues.push({
      path: 'to.unit',
      fr: `n’est pas une unité à laquelle ce dossier peut être confié; unités possibles : ${units.join(', ')}`,
      en: `is not a unit this case can be assigned to; possible units: ${units.join(', ')}`,
    });
  }
  if (to.assignee !== undefined) {
    const member = await deps.directory.member(to.assignee);
    if (member === undefined) {
      issues.push({
        path: 'to.assignee',
        fr: 'n’est pas un membre du personnel connu du répertoire',
        en: 'is not a staff member known to the directory',
      });
    } else {
      const afterwards = { confidential: target.confidential, category: target.category, unit: to.unit };
      if (!authorize({ ...member }, 'answer', afterwards, deps.policy).allowed) {
        issues.push({
          path: 'to.assignee',
          fr: confidential
            ? 'ne peut pas traiter ce dossier confidentiel : seul le responsable des plaintes le peut'
            : 'ne peut pas traiter les dossiers de cette unité : choisissez un agent ou un superviseur de l’unité',
          en: confidential
            ? 'cannot handle this confidential case: only the complaints officer can'
            : 'cannot handle the cases of this unit: choose an agent or a supervisor of the unit',
        });
      }
    }
  }
  if (issues.length > 0) throw new InvalidRequestError(issues);
}
