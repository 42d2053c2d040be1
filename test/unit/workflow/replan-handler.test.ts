import { makeHandler } from '../../../functions/replan/handler';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import { bundledCalendars } from '../../../shared/domain/time';
import { receiveCase } from '../../support/workflow-fixtures';

describe('replan function handler', () => {
  it('re-plans the cases the ledger lists, logs counts only, and fails named when a case could not be', async () => {
    const ledger = new InMemoryCaseLedger();
    const caseId = await receiveCase(ledger, {
      receivedAt: '2026-12-18T15:00:00Z',
      email: 'marie@example.com',
    });
    const logged: Record<string, unknown>[] = [];
    const handler = makeHandler({
      ledger,
      calendars: bundledCalendars(),
      clock: { now: () => new Date('2026-12-21T15:00:00Z') },
      workingHours: { start: '08:30', end: '16:30' },
      caseIds: () => Promise.resolve([caseId, 'missing-case']),
      log: (_message, fields) => logged.push(fields),
    });

    await expect(handler({})).rejects.toMatchObject({
      name: 'ReplanIncompleteError',
      details: { caseIds: ['missing-case'] },
    });
    expect(logged).toEqual([{ checked: 1, changed: 0, keptCommunicated: 0, woken: 0, failed: 1 }]);
    expect(JSON.stringify(logged)).not.toContain('marie');
  });
});
