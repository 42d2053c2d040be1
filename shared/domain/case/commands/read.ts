import type { StaffIdentity } from '../../identity/identity';
import { staffNamesOf } from '../../identity/staff-names';
import type { Actor } from '../../ledger/events';
import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { Clock } from '../../messaging/ports';
import type { StaffDirectory } from '../../identity/staff-directory';
import type { Policy } from '../../policy/schema';
import type { CalendarRegistry } from '../../time/calendars';
import { isConfidentialCase } from '../../access/case-access';
import type { ReadScope } from '../../access/case-access';
import { loadCaseFor } from './case-state';
import type { AccessContext } from './case-state';
import { answerTemplatesFor } from './answer-templates';
import { assigneeChoices } from './assignee-choices';
import { toDetail } from './views';
import type { CaseDetail } from './views';

export interface ReadDeps {
  readonly ledger: CaseLedger;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Calendars business days left are counted on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
  /** Who the staff ids a page shows are (display names); ids alone when absent. */
  readonly directory?: Pick<StaffDirectory, 'member' | 'members'>;
}

/**
 * The case page for a staff member: metadata, deadlines with proofs and history for everyone allowed to see
 * the case; requester, subject, body, attachments, messages, internal notes and the category's answer
 * templates (filled from the case) only with the `content` scope (see `authorize`).
 *
 * Every read of a confidential case, and every read by an administrator (who runs the system and handles no
 * case, so each look at one is worth a trace), is recorded first (`case.read {scope}`, the reader as actor);
 * if that record cannot be written, nothing is shown. A confidential case the reader may not see is reported as not
 * found (404), like an unknown one, and the attempt is recorded on it (`access.refused`, see `loadCaseFor`).
 *
 * @throws AccessDeniedError, CaseNotFoundError
 */
export async function getCase(
  deps: ReadDeps,
  identity: StaffIdentity,
  caseId: string,
  context: AccessContext = {},
): Promise<CaseDetail> {
  const { projection, category, history, decision, actor } = await loadCaseFor(
    deps,
    identity,
    'read',
    caseId,
    context,
  );
  // The history as it stood before this read is recorded.
  const events = await history.events();
  const now = deps.clock.now();
  if (decision.grantedBy === 'admin')
    await recordRead(deps.ledger, projection.caseId, actor, 'metadata', now);
  else await recordConfidentialRead(deps, projection, actor, decision.scope, now);
  const shown = toDetail(projection, events, decision.scope, now, deps.calendars);
  // The names of the assignee and of the staff in the history (actors, note authors), for the bylines.
  const staffNames = await staffNamesOf(deps.directory, [
    shown.assignee,
    ...shown.history.map((entry) => (entry.actor.kind === 'staff' ? entry.actor.id : undefined)),
  ]);
  const detail = { ...shown, staffNames };
  if (decision.scope !== 'content') return detail;
  return {
    ...detail,
    answerTemplates: answerTemplatesFor(deps.policy, category, projection),
    assigneeChoices: await assigneeChoices(deps, projection),
  };
}

/**
 * Records a read of a confidential case (`case.read {scope}`, the reader as actor) before anything is shown;
 * other cases' reads are not recorded. Throws when the record cannot be written, so nothing is shown then.
 */
export async function recordConfidentialRead(
  deps: { readonly ledger: CaseLedger; readonly policy: Pick<Policy, 'categories'> },
  projection: CaseProjection,
  actor: Actor,
  scope: ReadScope,
  at: Date,
): Promise<void> {
  if (!isConfidentialCase(projection, deps.policy)) return;
  await recordRead(deps.ledger, projection.caseId, actor, scope, at);
}

function recordRead(ledger: CaseLedger, caseId: string, actor: Actor, scope: ReadScope, at: Date) {
  return ledger.append(caseId, { type: 'case.read', at: at.toISOString(), actor, data: { scope } });
}
