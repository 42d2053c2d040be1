import {
  isStaleRun,
  settleLatestRun,
  STALE_RUN_AFTER_MS,
} from '../../../shared/domain/audit/job-run-liveness';
import type {
  RunExecutions,
  RunExecutionStatus,
  StoredJobRun,
} from '../../../shared/domain/audit/job-run-liveness';

const UPDATED = '2026-03-04T15:00:00.000Z';
const RUNNING: StoredJobRun & { readonly cases: number } = {
  runId: 'run-1',
  status: 'running',
  updatedAt: UPDATED,
  cases: 4000,
};
const FINISHED: StoredJobRun = {
  runId: 'run-0',
  status: 'succeeded',
  updatedAt: '2026-03-01T10:00:00.000Z',
  finishedAt: '2026-03-01T10:00:00.000Z',
};

const at = (msAfterUpdate: number) => new Date(Date.parse(UPDATED) + msAfterUpdate);

/** A store whose reads answer in turn (the last answer repeats). */
function storeAnswering(...answers: { latest: StoredJobRun | null; lastFinished: StoredJobRun | null }[]) {
  const store = {
    reads: 0,
    latest: async () => {
      const answer = answers[Math.min(store.reads, answers.length - 1)]!;
      store.reads += 1;
      return answer;
    },
  };
  return store;
}

function engineSaying(status: RunExecutionStatus | Error, stoppedAt?: string) {
  const engine: RunExecutions & { asked: string[] } = {
    asked: [],
    executionStatus: async (runId) => {
      engine.asked.push(runId);
      if (status instanceof Error) throw status;
      return { status, ...(stoppedAt === undefined ? {} : { stoppedAt }) };
    },
  };
  return engine;
}

describe('a stored running run is stale', () => {
  it('only once its record is older than a live run can leave it', () => {
    expect(isStaleRun(RUNNING, at(STALE_RUN_AFTER_MS))).toBe(false);
    expect(isStaleRun(RUNNING, at(STALE_RUN_AFTER_MS + 1))).toBe(true);
  });

  it('never when it has ended, and always when its update time does not read', () => {
    expect(isStaleRun({ ...RUNNING, status: 'failed' }, at(10 * STALE_RUN_AFTER_MS))).toBe(false);
    expect(isStaleRun({ ...RUNNING, updatedAt: 'yesterday' }, at(0))).toBe(true);
  });

  it('outlasts a step and its failure record with every retry (7,812 s)', () => {
    expect(STALE_RUN_AFTER_MS).toBeGreaterThanOrEqual(7_812_000);
  });
});

describe('the latest run as it really stands', () => {
  it('answers a run whose execution still runs as stored, however old its record', async () => {
    const store = storeAnswering({ latest: RUNNING, lastFinished: FINISHED });
    const engine = engineSaying('running');

    const answer = await settleLatestRun({
      store,
      executions: engine,
      now: () => at(STALE_RUN_AFTER_MS * 3),
    });

    expect(answer).toEqual({ latest: RUNNING, lastFinished: FINISHED });
    expect(engine.asked).toEqual(['run-1']);
  });

  it('answers a run whose execution was stopped as failed, with why and when, without losing its counts', async () => {
    const store = storeAnswering({ latest: RUNNING, lastFinished: FINISHED });
    const engine = engineSaying('aborted', '2026-03-04T15:02:00.000Z');

    const answer = await settleLatestRun({ store, executions: engine, now: () => at(60_000) });

    expect(answer.latest).toEqual({
      ...RUNNING,
      status: 'failed',
      error: 'ExecutionAborted',
      finishedAt: '2026-03-04T15:02:00.000Z',
    });
    expect(answer.lastFinished).toEqual(FINISHED);
  });

  it.each([
    ['timed-out', 'ExecutionTimedOut'],
    ['failed', 'ExecutionFailed'],
    ['succeeded', 'ExecutionEndedUnrecorded'],
    ['missing', 'ExecutionNotFound'],
  ] as const)('names an execution %s that stored no end %s', async (status, error) => {
    const store = storeAnswering({ latest: RUNNING, lastFinished: null });

    const answer = await settleLatestRun({ store, executions: engineSaying(status), now: () => at(0) });

    expect(answer.latest).toMatchObject({ status: 'failed', error });
    expect(answer.latest).not.toHaveProperty('finishedAt');
  });

  it('lets the end the run stored before its execution closed win over the verdict (read again)', async () => {
    const ended = { ...RUNNING, status: 'succeeded', finishedAt: '2026-03-04T15:03:00.000Z' };
    const store = storeAnswering(
      { latest: RUNNING, lastFinished: FINISHED },
      { latest: ended, lastFinished: ended },
    );

    const answer = await settleLatestRun({
      store,
      executions: engineSaying('succeeded'),
      now: () => at(0),
    });

    expect(answer).toEqual({ latest: ended, lastFinished: ended });
    expect(store.reads).toBe(2);
  });

  it('judges by age alone when the engine cannot be asked, and says so', async () => {
    const told: string[] = [];
    const settle = (now: Date) =>
      settleLatestRun({
        store: storeAnswering({ latest: RUNNING, lastFinished: FINISHED }),
        executions: engineSaying(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
        now: () => now,
        onEngineUnavailable: (runId) => told.push(runId),
      });

    const young = await settle(at(STALE_RUN_AFTER_MS));
    const old = await settle(at(STALE_RUN_AFTER_MS + 1));

    expect(young.latest).toEqual(RUNNING);
    expect(old.latest).toEqual({ ...RUNNING, status: 'failed', error: 'RunStale' });
    expect(told).toEqual(['run-1', 'run-1']);
  });

  it('asks nothing of the engine when no run is stored as running', async () => {
    const engine = engineSaying('missing');

    const answer = await settleLatestRun({
      store: storeAnswering({ latest: FINISHED, lastFinished: FINISHED }),
      executions: engine,
      now: () => at(0),
    });

    expect(answer.latest).toEqual(FINISHED);
    expect(engine.asked).toEqual([]);
  });
});
