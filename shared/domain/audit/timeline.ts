import { CaseNotFoundError } from '../../errors';
import { CaseIdSchema } from '../case/case';
import type { DeadlineKind } from '../case/case';
import { recordConfidentialRead } from '../case/commands/read';
import { toDetail, toSummary } from '../case/commands/views';
import type { CaseDetail, DeadlineSummary } from '../case/commands/views';
import type { StaffIdentity } from '../identity/identity';
import { staffNamesOf } from '../identity/staff-names';
import type { StaffNames } from '../identity/staff-names';
import type { ChainVerification } from '../ledger/chain';
import type { CaseLedger } from '../ledger/ports';
import type { Clock } from '../messaging/ports';
import type { StaffDirectory } from '../identity/staff-directory';
import type { Policy } from '../policy/schema';
import type { Deadline } from '../time/types';
import { executionName } from '../workflow/ports';
import { requireAuditor } from './access';
import { buildChronology } from './chronology';
import type { ChronologyEntry } from './chronology';
import { toAuditEvents } from './event-details';
import type { AuditEvent } from './event-details';
import type { ExecutionHistoryEvent, ExecutionHistoryReader, ExecutionSummary } from './ports';

export interface TimelineDeps {
  readonly ledger: CaseLedger;
  readonly clock: Clock;
  readonly policy: Pick<Policy, 'categories'>;
  readonly executions: ExecutionHistoryReader;
  /** Who the staff ids of the timeline are (display names); ids alone when absent. */
  readonly directory?: Pick<StaffDirectory, 'member'>;
}

/** A deadline of the case with its proof as stored (inputs, rule, calendar id and version, days skipped). */
export type TimelineDeadline = DeadlineSummary & {
  readonly kind: DeadlineKind;
  readonly proof: Deadline['proof'];
};

/** One execution of the case's workflow with its history. */
export type TimelineExecution = ExecutionSummary & { readonly events: readonly ExecutionHistoryEvent[] };

export interface CaseTimeline {
  /** Metadata only (scope `metadata`): no requester, subject, body or attachments. */
  readonly case: Omit<CaseDetail, 'history' | 'content'>;
  readonly deadlines: readonly TimelineDeadline[];
  readonly events: readonly AuditEvent[];
  readonly execution: readonly TimelineExecution[];
  /** The ledger events and the workflow's steps interleaved by time (see `buildChronology`). */
  readonly chronology: readonly ChronologyEntry[];
  readonly chain: ChainVerification;
  /** Display names of the staff ids shown (assignee, event actors); an id without one shows as the id. */
  readonly staffNames: StaffNames;
}

/** A bound on generations probed, far above any real case (each generation lives up to 360 days). */
const MAX_GENERATIONS = 1_000;

/**
 * The complete history of one case for an auditor: its metadata, its deadlines with their proofs, every
 * ledger event (non-personal details only, see `toAuditEvents`), every execution of its workflow with the
 * execution events (Wait states included), and whether its hash chain verifies.
 *
 * Rules: only auditors (403 for any other role, see `requireAuditor`); an unknown or malformed case id is a
 * 404; the case is always shown with scope `metadata`, whatever other roles the auditor holds. Reading a
 * confidential case is recorded first (`case.read {scope: 'metadata'}`, the auditor as actor), as every
 * confidential read is: if the record cannot be written, nothing is shown; the timeline then includes that
 * read. Executions are found by name, not by listing the state machine: `caseId`, then `caseId--g2`,
 * `caseId--g3`… until a name has no execution (an execution whose history Step Functions has already expired
 * ends the search). `chronology` gives the ledger events and the workflow's steps as one list by time.
 *
 * @throws AccessDeniedError, CaseNotFoundError, LedgerIntegrityError (the projection needed a repair and the
 *   chain is broken, or a stored event no longer fits its schema: the whole-ledger verification names the
 *   break).
 */
export async function getCaseTimeline(
  deps: TimelineDeps,
  identity: StaffIdentity,
  caseId: string,
): Promise<CaseTimeline> {
  const actor = requireAuditor(identity, 'audit-timeline');
  if (!CaseIdSchema.safeParse(caseId).success) throw new CaseNotFoundError(caseId);
  const projection = await deps.ledger.getCase(caseId);
  if (projection === undefined) throw new CaseNotFoundError(caseId);
  const now = deps.clock.now();
  await recordConfidentialRead(deps, projection, actor, 'metadata', now);
  const events = await deps.ledger.read(caseId);
  const chain = await deps.ledger.verifyChain(caseId);
  const execution = await caseExecutions(deps.executions, caseId);
  const detail = toDetail(projection, events, 'metadata', now);
  const metadata = { ...toSummary(projection, now), scope: detail.scope, deadlines: detail.deadlines };
  const deadlines = (['acknowledgement', 'answer', 'review'] as const).flatMap((kind) => {
    const deadline = detail.deadlines[kind];
    return deadline !== undefined ? [{ kind, ...deadline }] : [];
  });
  const auditEvents = toAuditEvents(events);
  const chronology = buildChronology(auditEvents, execution);
  const staffNames = await staffNamesOf(deps.directory, [
    metadata.assignee,
    ...auditEvents.map((event) => (event.actor.kind === 'staff' ? event.actor.id : undefined)),
  ]);
  return { case: metadata, deadlines, events: auditEvents, execution, chronology, chain, staffNames };
}

/** Every generation of the case's workflow, first first, each with its full history. */
async function caseExecutions(reader: ExecutionHistoryReader, caseId: string): Promise<TimelineExecution[]> {
  const executions: TimelineExecution[] = [];
  for (let generation = 1; generation <= MAX_GENERATIONS; generation += 1) {
    const summary = await reader.describe(executionName(caseId, generation));
    if (summary === undefined) break;
    executions.push({ ...summary, events: await reader.history(summary.executionArn) });
  }
  return executions;
}
