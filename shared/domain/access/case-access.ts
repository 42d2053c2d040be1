import type * as z from 'zod';

import { AccessDeniedError, CaseNotFoundError } from '../../errors';
import type { Role, StaffIdentity } from '../identity/identity';
import type { Actor, StaffActionSchema } from '../ledger/events';
import type { Policy } from '../policy/schema';
import type { Case } from '../case/case';

/** What a staff member can ask to do with a case. */
export type StaffAction = z.infer<typeof StaffActionSchema>;

/** How much of a case a reader sees: everything, or metadata only (no requester, subject, body, attachments). */
export type ReadScope = 'content' | 'metadata';

/**
 * The outcome of an access check. A refusal is `hidden` when even the existence of the case must not be
 * revealed (answer 404, as for an unknown case), `forbidden` when the person may know the case exists (403).
 */
export type AccessDecision =
  | { readonly allowed: true; readonly scope: ReadScope; readonly grantedBy: Role }
  | { readonly allowed: false; readonly refusal: 'hidden' | 'forbidden' };

/**
 * The case fields access depends on; `dissatisfiedAt` (from the case's projection) opens an ordinary case to
 * the complaints officer, whose review it is.
 */
export type AccessTarget = Pick<Case, 'confidential' | 'category' | 'unit' | 'assignee'> & {
  readonly dissatisfiedAt?: string | undefined;
};

/**
 * What each role may read of a case in its units: an ordinary case and a confidential one (`none`: refused).
 * `authorize` applies it, the user pool's group descriptions state it (tests hold the three together).
 */
export const ROLE_CASE_READS: Readonly<
  Record<Role, { readonly ordinary: ReadScope | 'none'; readonly confidential: ReadScope | 'none' }>
> = {
  agent: { ordinary: 'content', confidential: 'none' },
  supervisor: { ordinary: 'content', confidential: 'none' },
  'complaints-officer': { ordinary: 'content', confidential: 'content' },
  auditor: { ordinary: 'metadata', confidential: 'metadata' },
  admin: { ordinary: 'metadata', confidential: 'none' },
};

/**
 * Roles that handle cases (acknowledge, answer, extend, reassign, close, record dissatisfaction, write internal
 * notes).
 */
const HANDLER_ROLES = ['agent', 'supervisor', 'complaints-officer'] as const;

/**
 * Roles that may change a case's category (`recategorize`): it moves the case between units and in or out of
 * the confidential compartment, a decision for those who answer for the routing, not for an agent.
 */
const RECATEGORIZE_ROLES = ['supervisor', 'complaints-officer', 'admin'] as const;

/**
 * A case is confidential when it was received as such or when its category is confidential in the policy
 * (service complaints, comments): either is enough, so a policy change never exposes a case received as
 * confidential, and a case received before its category became confidential is protected too.
 */
export function isConfidentialCase(
  target: Pick<Case, 'confidential' | 'category'>,
  policy: Pick<Policy, 'categories'>,
): boolean {
  return target.confidential || policy.categories.some((c) => c.id === target.category && c.confidential);
}

/**
 * The unit (queue) a case belongs to: its assigned unit, or, before routing assigned one, the queue its
 * category lands in.
 */
export function effectiveUnit(target: AccessTarget, policy: Pick<Policy, 'categories'>): string | undefined {
  return target.unit ?? policy.categories.find((c) => c.id === target.category)?.routing.queue;
}

/**
 * Who may do what with a case (pure; several roles add up, the widest grant wins).
 *
 * Confidential cases (complaints, comments, any case received as confidential):
 * - `complaints-officer`: reads the content and handles every action, whatever the unit;
 * - `auditor`: reads metadata only, acts on nothing (403: auditors know every case exists);
 * - everyone else: the case is hidden (404), as if it did not exist.
 *
 * Other cases:
 * - `agent` (and `complaints-officer`): content and actions on cases of their units or assigned to them;
 * - `complaints-officer`, whatever the unit: records a requester's dissatisfaction (`dissatisfied`) on any
 *   case, and reads and handles every case a requester said they were not satisfied with (the review and its
 *   conclusion are theirs, see docs/complaint-procedure.md); `recategorize` stays with the unit's supervisor;
 * - `supervisor`: content and actions on cases of their units;
 * - `admin`: metadata only, like the user pool's group says ("no case content by virtue of this role"):
 *   administrators run the system, they do not handle cases; their actions are `reassign` and `recategorize`,
 *   to repair an assignment or a category (a case left without a valid unit, filed under the wrong
 *   category), whatever the unit;
 * - `recategorize` is never an agent's: the supervisor of the unit, the complaints officer or an admin;
 * - `auditor`: metadata only (compliance needs dates and outcomes, not what people wrote), no action;
 * - anyone else: 403.
 *
 * A case not yet routed to a unit belongs to its category's queue (`routing.queue`).
 */
export function authorize(
  identity: StaffIdentity,
  action: StaffAction,
  target: AccessTarget,
  policy: Pick<Policy, 'categories'>,
): AccessDecision {
  const has = (role: Role) => identity.roles.includes(role);
  if (isConfidentialCase(target, policy)) {
    if (has('complaints-officer')) return grant('content', 'complaints-officer');
    if (has('auditor')) return action === 'read' ? grant('metadata', 'auditor') : forbidden;
    return hidden;
  }
  const unit = effectiveUnit(target, policy);
  const inUnit = unit !== undefined && identity.units.includes(unit);
  const assignedToMe = target.assignee !== undefined && target.assignee === identity.id;
  if (inUnit || assignedToMe) {
    if (has('agent') && action !== 'recategorize') return grant('content', 'agent');
    if (has('complaints-officer')) return grant('content', 'complaints-officer');
  }
  if (inUnit && has('supervisor')) return grant('content', 'supervisor');
  if (
    has('complaints-officer') &&
    action !== 'recategorize' &&
    (action === 'dissatisfied' || target.dissatisfiedAt !== undefined)
  )
    return grant('content', 'complaints-officer');
  if ((action === 'reassign' || action === 'recategorize') && has('admin')) return grant('metadata', 'admin');
  if (action !== 'read') return forbidden;
  if (has('admin')) return grant('metadata', 'admin');
  if (has('auditor')) return grant('metadata', 'auditor');
  return forbidden;
}

function grant(scope: ReadScope, grantedBy: Role): AccessDecision {
  return { allowed: true, scope, grantedBy };
}

const hidden: AccessDecision = { allowed: false, refusal: 'hidden' };
const forbidden: AccessDecision = { allowed: false, refusal: 'forbidden' };

/**
 * Refuses early a person whose roles can never do `action`, before any case is looked up (so the refusal
 * says nothing about any case): reading needs a staff role, acting needs a handler role (or, to reassign,
 * the admin role: the repair of an assignment).
 *
 * @throws AccessDeniedError
 */
export function requireRoleFor(identity: StaffIdentity, action: StaffAction): void {
  const allowed =
    action === 'read'
      ? identity.roles.length > 0
      : action === 'recategorize'
        ? identity.roles.some((role) => (RECATEGORIZE_ROLES as readonly string[]).includes(role))
        : identity.roles.some((role) => (HANDLER_ROLES as readonly string[]).includes(role)) ||
          (action === 'reassign' && identity.roles.includes('admin'));
  if (!allowed) throw new AccessDeniedError(action);
}

/**
 * Turns a decision into the error to throw: a hidden case is reported exactly like an unknown one.
 *
 * @throws CaseNotFoundError, AccessDeniedError
 */
export function enforce(
  decision: AccessDecision,
  caseId: string,
  action: StaffAction,
): Extract<AccessDecision, { allowed: true }> {
  if (decision.allowed) return decision;
  if (decision.refusal === 'hidden') throw new CaseNotFoundError(caseId);
  throw new AccessDeniedError(action, { caseId });
}

/**
 * The ledger actor of a staff action: the person's subject id and the role that granted the action, so an
 * auditor reads in which capacity the person acted.
 */
export function staffActor(
  identity: StaffIdentity,
  decision: Extract<AccessDecision, { allowed: true }>,
): Actor {
  return { kind: 'staff', id: identity.id, role: decision.grantedBy };
}
