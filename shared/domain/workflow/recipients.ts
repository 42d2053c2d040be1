import type { CaseProjection } from '../ledger/projection';
import type { StaffDirectory } from '../identity/staff-directory';
import type { Category, NotifyTarget, Policy, Routing } from '../policy/schema';

/**
 * The routing of the unit that has the case now: the unit (queue) and assignee the ledger records
 * (`case.assigned`, `case.reassigned`), not the category the case came in with. The unit's groups are those of
 * the policy's category routed to that queue, the case's own category first (two categories may share a
 * queue); a case not yet routed, or in a unit the policy no longer routes to, keeps its category's routing.
 */
export function currentRouting(
  policy: Pick<Policy, 'categories'>,
  projection: Pick<CaseProjection, 'unit'>,
  category: Category,
): Routing {
  const unit = projection.unit;
  if (unit === undefined || category.routing.queue === unit) return category.routing;
  return policy.categories.find((c) => c.routing.queue === unit)?.routing ?? category.routing;
}

/**
 * Who a staff message about a case goes to, read from the case as it is when the message is sent (messages
 * already sent are never re-sent: the caller keys them):
 * - `assignee` (task notification, reminders): the person the case is assigned to, at their own address when
 *   the directory has one, and always the unit's queue group, so the work is seen when that person is away;
 *   for a unit whose cases the complaints officer handles, the complaints officer.
 * - `supervisor`, `director` (escalations, the deadline-day message): the current unit's supervisors or
 *   directors, who answer for the unit's work.
 * - `complaints-officer`, `operations`: those groups, whatever the unit.
 * Addresses are de-duplicated, the assignee first.
 */
export async function recipientsFor(
  deps: { readonly policy: Pick<Policy, 'categories'>; readonly directory: StaffDirectory },
  projection: Pick<CaseProjection, 'unit' | 'assignee'>,
  category: Category,
  target: NotifyTarget,
): Promise<string[]> {
  const routing = currentRouting(deps.policy, projection, category);
  const group = groupOf(routing, target);
  const addresses: string[] = [];
  if (target === 'assignee' && projection.assignee !== undefined) {
    const email = (await deps.directory.member(projection.assignee))?.email;
    if (email !== undefined) addresses.push(email);
  }
  addresses.push(...(await deps.directory.addressesOf(group)));
  return [...new Set(addresses)];
}

/**
 * Every staff group the policy can notify: each category's assignee, supervisor and director groups, plus
 * the complaints officer and operations. A directory missing one of them drops those notifications.
 */
export function notifiedGroups(policy: Pick<Policy, 'categories'>): string[] {
  const groups = new Set<string>(['complaints-officer', 'operations']);
  for (const { routing } of policy.categories) {
    groups.add(routing.assigneeGroup);
    groups.add(routing.supervisor);
    groups.add(routing.director);
  }
  return [...groups].sort();
}

function groupOf(routing: Routing, target: NotifyTarget): string {
  switch (target) {
    case 'assignee':
      return routing.handlerRole === 'complaints-officer' ? 'complaints-officer' : routing.assigneeGroup;
    case 'supervisor':
      return routing.supervisor;
    case 'director':
      return routing.director;
    case 'complaints-officer':
      return 'complaints-officer';
    case 'operations':
      return 'operations';
  }
}
