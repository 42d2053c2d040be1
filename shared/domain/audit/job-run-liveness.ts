/**
 * Whether a job run stored as `running` (the ledger verification, the mirror back-fill) still runs. A run's
 * state machine stores its end itself: `Finish`, or `RecordFailure` for any error a step's retries did not
 * absorb. An execution that ends without running either (stopped by an operator, the execution's own
 * timeout, `RecordFailure` itself out of retries, a local engine that lost it) leaves the stored run
 * `running` for ever: the reader then reports it as failed, and says why, without writing anything.
 */

/** What the engine (Step Functions, the local engine) says of a run's execution. */
export type RunExecutionStatus =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed-out'
  | 'aborted'
  /** The engine has no such execution (forgotten after 90 days; a local engine restarted since). */
  | 'missing';

/** The engine's view of a run's execution. */
export interface RunExecutions {
  executionStatus(
    runId: string,
  ): Promise<{ readonly status: RunExecutionStatus; readonly stoppedAt?: string }>;
}

/**
 * The longest a live run goes without rewriting its stored record: one step's Task with every retry (7
 * attempts of at most 960 s, the Task's `TimeoutSeconds`, and back-offs of at most 2 + 4 + 8 + 16 + 32 + 64 s:
 * 6,846 s), then `RecordFailure` with every retry (7 × 120 s + 126 s: 966 s), 7,812 s in all, rounded up to
 * 2 h 15 min. `test/statemachines/job-run-staleness.test.ts` computes the same sum from the ASL files.
 */
export const STALE_RUN_AFTER_MS = 135 * 60_000;

/** The error a reader gives a run stored as running whose execution has ended without storing its end. */
export const UNRECORDED_END_ERRORS = {
  aborted: 'ExecutionAborted',
  'timed-out': 'ExecutionTimedOut',
  failed: 'ExecutionFailed',
  succeeded: 'ExecutionEndedUnrecorded',
  missing: 'ExecutionNotFound',
} as const satisfies Record<Exclude<RunExecutionStatus, 'running'>, string>;

/** The error of a run stored as running that the engine could not be asked about and that is stale. */
export const STALE_RUN_ERROR = 'RunStale';

/** A job run as stored, as far as its liveness goes. */
export interface StoredJobRun {
  readonly runId: string;
  readonly status: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  readonly error?: string;
}

/**
 * A run stored as `running` is stale when its record has not been rewritten for longer than a live run can
 * go without rewriting it (`STALE_RUN_AFTER_MS`). An unreadable `updatedAt` counts as stale.
 */
export function isStaleRun(run: StoredJobRun, now: Date): boolean {
  if (run.status !== 'running') return false;
  const updated = Date.parse(run.updatedAt);
  return !(now.getTime() - updated <= STALE_RUN_AFTER_MS);
}

/**
 * The latest run and the last finished one, the latest as it really stands: a run stored as `running` whose
 * execution has ended (or that the engine no longer knows) is answered `failed`, with the execution's ending
 * as `error` (`UNRECORDED_END_ERRORS`) and its stop time as `finishedAt`. The engine is asked first; only
 * when it cannot answer is the run judged by its age (`isStaleRun`, error `RunStale`). A run whose execution
 * still runs is answered as stored, however old its record.
 *
 * Nothing is lost: once the engine says the execution has ended, the store is read again, and a record the
 * run wrote before its end (its result, its failure) wins over the reader's verdict. Nothing is written.
 */
export async function settleLatestRun<R extends StoredJobRun>(deps: {
  readonly store: {
    latest(): Promise<{ readonly latest: R | null; readonly lastFinished: R | null }>;
  };
  readonly executions: RunExecutions;
  readonly now: () => Date;
  /** Told when the engine could not be asked (the answer then rests on the record's age). */
  readonly onEngineUnavailable?: (runId: string, error: unknown) => void;
}): Promise<{ readonly latest: R | null; readonly lastFinished: R | null }> {
  const stored = await deps.store.latest();
  const run = stored.latest;
  if (run === null || run.status !== 'running') return stored;
  let execution: Awaited<ReturnType<RunExecutions['executionStatus']>>;
  try {
    execution = await deps.executions.executionStatus(run.runId);
  } catch (error) {
    deps.onEngineUnavailable?.(run.runId, error);
    return isStaleRun(run, deps.now()) ? { ...stored, latest: endedRun(run, STALE_RUN_ERROR) } : stored;
  }
  if (execution.status === 'running') return stored;
  const again = await deps.store.latest();
  const latest = again.latest;
  if (latest === null || latest.runId !== run.runId || latest.status !== 'running') return again;
  return { ...again, latest: endedRun(latest, UNRECORDED_END_ERRORS[execution.status], execution.stoppedAt) };
}

function endedRun<R extends StoredJobRun>(run: R, error: string, stoppedAt?: string): R {
  return {
    ...run,
    status: 'failed',
    error,
    ...(stoppedAt === undefined ? {} : { finishedAt: stoppedAt }),
  };
}
