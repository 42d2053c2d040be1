import type {
  ReplayTally,
  ReportProjectorDeps,
  ReportReplayResult,
  ReportAggregateStore,
} from './aggregates';
import { replayReportAggregates, replayResultOf } from './aggregates';

/** Cases of a page read from the ledger at once. */
const READ_CONCURRENCY = 16;

/** Where a page of the ledger's case list ends: the key of the last ledger item read (keys only). */
export interface LedgerCursor {
  readonly caseId: string;
  readonly seq: number;
}

/** The ledger listed by case, a page at a time (in AWS a Scan of the ledger table, resumable at a cursor). */
export interface LedgerCasePages {
  /**
   * The cases whose first event (`seq = 1`) lies in the next page of the ledger after `cursor` (from the
   * start without one), and the cursor of the page after it (none at the end of the ledger).
   */
  casePage(
    cursor: LedgerCursor | undefined,
  ): Promise<{ readonly caseIds: readonly string[]; readonly next?: LedgerCursor }>;
}

/** The state a replay run carries from one step to the next: keys and counts only, no personal data. */
export interface ReplayStep {
  readonly run: { readonly runId: string; readonly startedAt: string };
  readonly tally: ReplayTally;
  /** Where the next step resumes; absent at the start. */
  readonly cursor?: LedgerCursor;
}

export interface ReplayPagesDeps extends ReportProjectorDeps {
  readonly pages: LedgerCasePages;
  /** Whether the step may start another page (a time budget: the step must end well within its timeout). */
  readonly mayContinue: () => boolean;
}

/**
 * One step of the full replay job (the Step Functions run in AWS): page after page of the ledger's cases,
 * while the step's budget allows, each case read whole from the ledger (one consistent Query, so a case is
 * never split between pages or steps), replayed into its aggregate, compared and repaired
 * (`replayReportAggregates`); the tally and the cursor are handed on. `more` is false once the ledger's last
 * page is done. At least one page is done per step, so a run always advances.
 */
export async function replayReportPages(
  deps: ReplayPagesDeps,
  step: ReplayStep,
): Promise<ReplayStep & { readonly more: boolean }> {
  let { tally, cursor } = step;
  let more = true;
  do {
    const page = await deps.pages.casePage(cursor);
    // The cases of a page are read a group at a time, concurrently (one Query each), in page order.
    const histories = async function* () {
      for (let i = 0; i < page.caseIds.length; i += READ_CONCURRENCY) {
        const group = page.caseIds.slice(i, i + READ_CONCURRENCY);
        yield* await Promise.all(group.map((caseId) => deps.ledger.read(caseId)));
      }
    };
    tally = await replayReportAggregates(deps, histories(), tally);
    cursor = page.next;
    more = cursor !== undefined;
  } while (more && deps.mayContinue());
  return { run: step.run, tally, ...(cursor === undefined ? {} : { cursor }), more };
}

/**
 * The last step of the full replay job: the run's result (`{checkedAt, matched, differences, cases}`) stored
 * where the report reads it (`source.lastChecked`; the report reads the aggregates once one is stored).
 */
export async function finishReportReplay(
  deps: { readonly store: Pick<ReportAggregateStore, 'saveReplayResult'>; readonly now: () => Date },
  step: Pick<ReplayStep, 'run' | 'tally'>,
): Promise<ReportReplayResult> {
  const result = replayResultOf(step.run, step.tally, deps.now().toISOString());
  await deps.store.saveReplayResult(result);
  return result;
}
