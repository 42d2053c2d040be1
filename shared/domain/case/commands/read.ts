import type { StaffIdentity } from '../../identity/identity';
import type { Actor } from '../../ledger/events';
import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { Clock } from '../../messaging/ports';
import type { Policy } from '../../policy/schema';
import type { CalendarRegistry } from '../../time/calendars';
import { authorize, isConfidentialCase, requireRoleFor, staffActor } from './access';
import type { ReadScope } from './access';
import type { AccessJournal } from '../../audit/access-journal';
import { loadCaseFor } from './case-state';
import type { AccessContext } from './case-state';
import type { CaseQueries, OpenStatus } from './queries';
import { answerTemplatesFor } from './answer-templates';
import { toDetail, toSummary } from './views';
import type { CaseDetail, CaseListItem } from './views';

export interface ReadDeps {
  readonly ledger: CaseLedger;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Calendars business days left are counted on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
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
  const { projection, category, events, decision, actor } = await loadCaseFor(
    deps,
    identity,
    'read',
    caseId,
    context,
  );
  const now = deps.clock.now();
  if (decision.grantedBy === 'admin')
    await recordRead(deps.ledger, projection.caseId, actor, 'metadata', now);
  else await recordConfidentialRead(deps, projection, actor, decision.scope, now);
  const detail = toDetail(projection, events, decision.scope, now, deps.calendars);
  if (decision.scope !== 'content') return detail;
  return { ...detail, answerTemplates: answerTemplatesFor(deps.policy, category, projection) };
}

export interface ListCasesFilters {
  readonly assignee?: string;
  readonly unit?: string;
  readonly status?: OpenStatus;
  readonly overdueOnly?: boolean;
  /** Only cases with a letter to post (the "to mail" task), closed ones included. */
  readonly toMailOnly?: boolean;
}

/**
 * Open cases matching the filters that the person may see, the most urgent first (with `toMailOnly`, the cases
 * with a letter to post, closed or not, see `CaseQueries`). Rows are metadata; the
 * subject is added for non-confidential cases the person may read in full. A confidential case appears only to
 * those allowed to see it (complaints officer, auditors), and listing it is a read: the view is recorded once,
 * in the access journal (who, when, which route, the ids of the confidential cases listed), before anything is
 * shown; if that record cannot be written, nothing is shown. One write per list view, not one per row on each
 * case's ledger (see `docs/access-records.md`).
 *
 * @throws AccessDeniedError (no staff role)
 */
export async function listCases(
  deps: ReadDeps & { readonly queries: CaseQueries; readonly accessJournal: AccessJournal },
  identity: StaffIdentity,
  filters: ListCasesFilters = {},
  context: AccessContext = {},
): Promise<CaseListItem[]> {
  requireRoleFor(identity, 'read');
  const now = deps.clock.now();
  const candidates = await deps.queries.listOpenCases({ ...filters, asOf: now });
  const items: CaseListItem[] = [];
  const confidentialIds: string[] = [];
  let actor: Actor | undefined;
  for (const projection of candidates) {
    const decision = authorize(identity, 'read', projection, deps.policy);
    if (!decision.allowed) continue;
    const confidential = isConfidentialCase(projection, deps.policy);
    if (confidential) {
      confidentialIds.push(projection.caseId);
      actor ??= staffActor(identity, decision);
    }
    const summary = toSummary(projection, now, deps.calendars);
    items.push(
      decision.scope === 'content' && !confidential
        ? { ...summary, subject: projection.subject, requesterName: projection.requester.name }
        : summary,
    );
  }
  if (actor !== undefined) {
    await deps.accessJournal.recordListView({
      at: now.toISOString(),
      actor,
      ...(context.route !== undefined ? { route: context.route } : {}),
      caseIds: [...new Set(confidentialIds)].sort(),
    });
  }
  return items;
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
