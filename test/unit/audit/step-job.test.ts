import * as z from 'zod';

import { storeRunEnd } from '../../../shared/domain/audit/step-job';
import type { StepJobRecord } from '../../../shared/domain/audit/step-job';
import { failTaskSchema, stepJobHandler } from '../../../shared/schemas/step-job';

const RUN = { runId: 'run-7', startedAt: '2026-03-02T15:00:00.000Z' };

interface CountingRecord extends StepJobRecord {
  readonly pages: number;
  readonly ok?: boolean;
}

class NotATask extends Error {
  override readonly name = 'NotATask';
}

const FailSchema = failTaskSchema({ pages: z.number().int().optional() });
const TaskSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('walk'), pages: z.number().int() }),
  FailSchema,
]);

/** A job whose `walk` step counts the pages its budget lets it start, on a clock that moves 1 s per read. */
function arrange() {
  let clock = Date.parse('2026-03-02T16:00:00.000Z');
  const now = () => new Date((clock += 1000));
  const failed: { pages: number | undefined; error: string }[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const handler = stepJobHandler<z.infer<typeof TaskSchema>, z.infer<typeof FailSchema>>({
    schema: TaskSchema,
    invalid: () => new NotATask('not a task'),
    now,
    stepBudgetMs: 3500,
    logger: {
      info: (message, fields) => logs.push({ message, fields }),
      warn: (message, fields) => logs.push({ message, fields }),
    },
    label: 'test job',
    run: (task, mayContinue) => {
      let pages = task.pages;
      do pages += 1;
      while (mayContinue());
      return Promise.resolve({ pages });
    },
    fail: (task, error) => {
      failed.push({ pages: task.step.pages, error });
      return Promise.resolve();
    },
  });
  return { handler, failed, logs };
}

describe('step jobs (ledger verification, mirror back-fill)', () => {
  it('refuses a task that does not parse with the job’s own error, running nothing', async () => {
    const { handler, failed } = arrange();

    await expect(handler({ action: 'walk' })).rejects.toBeInstanceOf(NotATask);
    await expect(handler({ action: 'fail', step: { pages: 1 } })).rejects.toBeInstanceOf(NotATask);
    expect(failed).toEqual([]);
  });

  it('lets a step start pages while its budget lasts, counted from the step’s start', async () => {
    const { handler } = arrange();

    // Started at +1 s; each check reads the clock (+1 s): 2, 3 and 4 s are within 3.5 s of the start, 5 is not.
    await expect(handler({ action: 'walk', pages: 10 })).resolves.toEqual({ pages: 14 });
  });

  it('stores a failed run through the job, logs its run id and error name, and answers failed', async () => {
    const { handler, failed, logs } = arrange();

    const answer = await handler({
      action: 'fail',
      step: { run: RUN, pages: 3, error: { Error: 'States.Timeout' }, more: true },
    });
    await handler({ action: 'fail', step: { run: RUN } });

    expect(answer).toEqual({ failed: true });
    expect(failed).toEqual([
      { pages: 3, error: 'States.Timeout' },
      { pages: undefined, error: 'unknown' },
    ]);
    expect(logs).toEqual([
      { message: 'test job failed', fields: { runId: 'run-7', errorName: 'States.Timeout' } },
      { message: 'test job failed', fields: { runId: 'run-7', errorName: 'unknown' } },
    ]);
  });

  it('stores a run’s end from its record at that instant: succeeded with its result, or failed with why', async () => {
    const saved: CountingRecord[] = [];
    const deps = {
      store: {
        save: (record: CountingRecord) => {
          saved.push(record);
          return Promise.resolve();
        },
      },
      now: () => new Date('2026-03-02T17:00:00.000Z'),
    };
    const recordAt = (now: Date): CountingRecord => ({
      ...RUN,
      updatedAt: now.toISOString(),
      status: 'running',
      pages: 12,
    });

    const succeeded = await storeRunEnd(deps, recordAt, { status: 'succeeded', ok: true });
    const failedRun = await storeRunEnd(deps, recordAt, { status: 'failed', error: 'ExecutionAborted' });

    const end = { updatedAt: '2026-03-02T17:00:00.000Z', finishedAt: '2026-03-02T17:00:00.000Z' };
    expect(succeeded).toEqual({ ...RUN, ...end, status: 'succeeded', pages: 12, ok: true });
    expect(failedRun).toEqual({ ...RUN, ...end, status: 'failed', pages: 12, error: 'ExecutionAborted' });
    expect(saved).toEqual([succeeded, failedRun]);
  });
});
