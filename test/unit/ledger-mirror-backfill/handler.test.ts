import { InvalidBackfillTaskError, makeHandler } from '../../../functions/ledger-mirror-backfill/handler';
import type { LedgerMirrorBackfillRecord } from '../../../shared/domain/audit/mirror-backfill';
import { EMPTY_BACKFILL_TALLY } from '../../../shared/domain/audit/mirror-backfill';

const RUN = { runId: 'run-1', startedAt: '2026-03-02T15:00:00.000Z' };

function arrange(closed: Record<string, { names: string[]; next?: string }>) {
  const saved: LedgerMirrorBackfillRecord[] = [];
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const pageCalls: [string, string | undefined][] = [];
  const none = () => Promise.reject(new Error('not called'));
  const handler = makeHandler({
    pages: { casePage: none },
    items: { itemSeqs: none },
    mirror: { ledger: { events: none }, mirror: { putIfAbsent: none } },
    closedExecutions: {
      closedPage: (status, token) => {
        pageCalls.push([status, token]);
        return Promise.resolve(closed[`${status}:${token ?? ''}`] ?? { names: [] });
      },
    },
    executions: { describe: none, history: none },
    archive: { get: () => Promise.resolve('{}'), putIfAbsent: none },
    store: {
      save: (record) => {
        saved.push(record);
        return Promise.resolve();
      },
    },
    now: () => new Date('2026-03-02T16:00:00.000Z'),
    stepBudgetMs: 0,
    logger: {
      info: (message, fields) => logs.push({ level: 'info', message, fields }),
      warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    },
  });
  return { handler, saved, logs, pageCalls };
}

describe('ledger mirror back-fill task handler', () => {
  it('refuses a task that does not parse with its named error', async () => {
    const { handler } = arrange({});

    await expect(handler({ action: 'mirror-ledger', step: { run: RUN } })).rejects.toBeInstanceOf(
      InvalidBackfillTaskError,
    );
    await expect(handler({ action: 'unknown' })).rejects.toMatchObject({ name: 'InvalidBackfillTaskError' });
  });

  it('resumes the executions listing at the status and token the state carries, and returns the next', async () => {
    const { handler, pageCalls } = arrange({ 'FAILED:t-2': { names: ['a'], next: 't-3' } });

    const next = await handler({
      action: 'archive-executions',
      step: { run: RUN, tally: EMPTY_BACKFILL_TALLY, listing: { status: 1, token: 't-2' }, more: true },
    });

    expect(pageCalls).toEqual([['FAILED', 't-2']]);
    expect(next).toMatchObject({
      listing: { status: 1, token: 't-3' },
      more: true,
      tally: { executions: 1, alreadyArchived: 1, archived: 0 },
    });
  });

  it('stores a run that failed for good with its error name, empty counts when the state had none', async () => {
    const { handler, saved, logs } = arrange({});

    await handler({ action: 'fail', step: { run: RUN, error: { Error: 'ObjectStoreUnavailableError' } } });

    expect(saved).toEqual([
      expect.objectContaining({
        runId: 'run-1',
        status: 'failed',
        error: 'ObjectStoreUnavailableError',
        items: 0,
        finishedAt: '2026-03-02T16:00:00.000Z',
      }),
    ]);
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'mirror back-fill failed',
        fields: { runId: 'run-1', errorName: 'ObjectStoreUnavailableError' },
      },
    ]);
  });
});
