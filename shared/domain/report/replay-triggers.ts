import type { ReportReplayStarter } from './aggregates';

/** A record of the stream consumer's failure queue: its id, and when the failure was sent there. */
export interface AggregateFailureNotice {
  readonly id: string;
  /** When the failed stream records reached the queue (after every retry). */
  readonly failedAt: Date;
}

/** What `replayAfterFailures` did: the run that repairs, and the notices it cannot cover (to see again). */
export interface ReplayAfterFailures {
  readonly run: { readonly runId: string; readonly startedAt: string };
  /** Notices older than the run in progress, which may already have passed their cases. */
  readonly notCovered: readonly string[];
}

/**
 * Report aggregates the stream consumer could not update (its retries exhausted, the records sent to the
 * failure queue with their stream positions only) are repaired by a full replay: one that starts after the
 * failure reads the ledger as it is then and rebuilds every case. So a batch of notices needs one run, and a
 * run already in progress is enough for every notice older than its start. A notice sent after the run in
 * progress started may concern a case that run has already passed: it is not covered, and comes back (the
 * queue shows it again later) until a run that started after it exists. A burst of failures therefore starts
 * at most two runs: the first, and one after it for the failures that arrived while it ran.
 *
 * @returns the run (started now or in progress) and the ids of the notices it does not cover.
 */
export async function replayAfterFailures(
  replay: ReportReplayStarter,
  notices: readonly AggregateFailureNotice[],
): Promise<ReplayAfterFailures> {
  const run = await replay.start();
  const startedAt = Date.parse(run.startedAt);
  const notCovered = notices.filter((notice) => notice.failedAt.getTime() >= startedAt).map((n) => n.id);
  return { run, notCovered };
}
