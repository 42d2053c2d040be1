import type { LedgerEvent } from '../../../shared/domain/ledger';
import {
  EMPTY_TALLY,
  InMemoryReportAggregates,
  caseReportRecord,
  replayReportPages,
} from '../../../shared/domain/report';
import type { LedgerCasePages, LedgerCursor } from '../../../shared/domain/ledger/case-pages';
import type { ReplayStep } from '../../../shared/domain/report';
import { buildScenario } from './scenario';

let histories: LedgerEvent[][];

beforeAll(async () => {
  histories = await (await buildScenario()).histories();
});

/** The scenario's cases listed `size` at a time; the cursor is the last case id of a page (keys only). */
function pagesOf(size: number): LedgerCasePages & { readonly calls: (LedgerCursor | undefined)[] } {
  const calls: (LedgerCursor | undefined)[] = [];
  return {
    calls,
    async casePage(cursor) {
      calls.push(cursor);
      const ids = histories.map((events) => events[0]!.caseId);
      const start = cursor === undefined ? 0 : ids.indexOf(cursor.caseId) + 1;
      const caseIds = ids.slice(start, start + size);
      const last = caseIds[caseIds.length - 1];
      return start + size < ids.length && last !== undefined
        ? { caseIds, next: { caseId: last, seq: 1 } }
        : { caseIds };
    },
  };
}

function depsWith(store: InMemoryReportAggregates, pages: LedgerCasePages, mayContinue: () => boolean) {
  const byId = new Map(histories.map((events) => [events[0]!.caseId, events]));
  return { ledger: { read: async (id: string) => byId.get(id) ?? [] }, store, pages, mayContinue };
}

const START: ReplayStep = { run: { runId: 'r', startedAt: '2026-06-10T12:00:00.000Z' }, tally: EMPTY_TALLY };

describe('replayReportPages (a step of the replay job)', () => {
  it('within its budget, goes through every page in one step and says nothing is left', async () => {
    const store = new InMemoryReportAggregates();
    const pages = pagesOf(5);
    const step = await replayReportPages(
      depsWith(store, pages, () => true),
      START,
    );
    expect(step).toEqual({
      ...START,
      tally: expect.objectContaining({ cases: 12, differences: 12 }),
      // The earliest day of receipt met (case J, 16 February): where the day walk begins.
      firstDay: '2026-02-16',
      more: false,
    });
    expect(pages.calls).toHaveLength(3);
    for (const events of histories)
      expect(await store.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
  });

  it('out of budget, does one page per step and hands the cursor on; the steps add up to the same tally', async () => {
    const store = new InMemoryReportAggregates();
    const pages = pagesOf(5);
    const deps = depsWith(store, pages, () => false);
    let step: ReplayStep & { more?: boolean } = START;
    const cursors: (LedgerCursor | undefined)[] = [];
    do {
      step = await replayReportPages(deps, step);
      cursors.push(step.cursor);
    } while (step.more === true);
    expect(cursors).toEqual([
      { caseId: histories[4]![0]!.caseId, seq: 1 },
      { caseId: histories[9]![0]!.caseId, seq: 1 },
      undefined,
    ]);
    expect(step.tally).toMatchObject({ cases: 12, differences: 12 });
    expect(step.tally.differingCases).toEqual(histories.map((events) => events[0]!.caseId));
  });
});
