import type { StaffDirectory } from '../../identity/staff-directory';
import type { Policy } from '../../policy/schema';
import { authorize } from '../../access/case-access';
import type { AccessTarget } from '../../access/case-access';
import { assignableUnits } from './assignment-target';
import { isConfidentialCase } from '../../access/case-access';

/** A person a case may be handed to, with the units where they may take it. */
export interface AssigneeChoice {
  readonly id: string;
  /** Their display name, when the directory has one. */
  readonly name?: string;
  readonly units: readonly string[];
}

/**
 * The people the reassignment form offers for a case: every staff member the directory lists who could be its
 * assignee in one of the units the case may go to, by the same rule the reassignment checks
 * (`checkAssignmentTarget`: an agent or supervisor of the unit, or the complaints officer; for a confidential
 * case only the complaints officer), sorted by name. Empty when the directory cannot list its members: the
 * form then takes an id typed by hand, and the API still checks it.
 */
export async function assigneeChoices(
  deps: { readonly policy: Pick<Policy, 'categories'>; readonly directory?: Pick<StaffDirectory, 'members'> },
  target: AccessTarget,
): Promise<AssigneeChoice[]> {
  const members = (await deps.directory?.members?.()) ?? [];
  const units = assignableUnits(deps.policy, isConfidentialCase(target, deps.policy));
  const choices: AssigneeChoice[] = [];
  for (const member of members) {
    const where = units.filter(
      (unit) =>
        authorize(
          { ...member },
          'answer',
          { confidential: target.confidential, category: target.category, unit },
          deps.policy,
        ).allowed,
    );
    if (where.length === 0) continue;
    choices.push({
      id: member.id,
      ...(member.name !== undefined ? { name: member.name } : {}),
      units: where,
    });
  }
  return choices.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id, 'fr'));
}
