import { STALE_RUN_AFTER_MS } from '../../shared/domain/audit/job-run-liveness';
import {
  readLedgerMirrorBackfillDefinition,
  readLedgerVerificationDefinition,
} from '../../statemachines/definition';

interface RetryRule {
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxAttempts?: number;
  readonly MaxDelaySeconds?: number;
}
interface TaskState {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly RetryRule[];
}

/**
 * The longest a Task may take with every retry: each attempt up to its `TimeoutSeconds`, each back-off at
 * most its interval times the rate to the power of the retry (capped by `MaxDelaySeconds`; the full jitter
 * only shortens it). A state whose rules differ counts each rule's attempts (an over-estimate).
 */
function longestTaskSeconds(state: TaskState): number {
  if (state.TimeoutSeconds === undefined) throw new Error('a job Task without TimeoutSeconds has no bound');
  let retries = 0;
  let delays = 0;
  for (const rule of state.Retry ?? []) {
    const attempts = rule.MaxAttempts ?? 3;
    retries += attempts;
    for (let n = 0; n < attempts; n += 1) {
      const delay = (rule.IntervalSeconds ?? 1) * (rule.BackoffRate ?? 2) ** n;
      delays += Math.min(delay, rule.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    }
  }
  return (retries + 1) * state.TimeoutSeconds + delays;
}

/**
 * A live run rewrites its stored record at the end of every Task but `RecordFailure`: the longest silence is
 * the slowest such Task with every retry, then `RecordFailure` with every retry. The reader's staleness bound
 * (`STALE_RUN_AFTER_MS`) must outlast it, or a run alive in its retries would be reported failed.
 */
describe.each([
  ['ledger-verification', readLedgerVerificationDefinition],
  ['ledger-mirror-backfill', readLedgerMirrorBackfillDefinition],
])('%s: the staleness bound outlasts the longest silence of a live run', (_name, read) => {
  const states = (JSON.parse(read()) as { States: Record<string, TaskState> }).States;
  const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

  it('covers the slowest step and the failure record, with every retry', () => {
    const recordFailure = longestTaskSeconds(states['RecordFailure']!);
    const slowestStep = Math.max(
      ...tasks.filter(([name]) => name !== 'RecordFailure').map(([, state]) => longestTaskSeconds(state)),
    );

    expect(slowestStep).toBe(6_846);
    expect(recordFailure).toBe(966);
    expect((slowestStep + recordFailure) * 1000).toBeLessThanOrEqual(STALE_RUN_AFTER_MS);
  });
});
