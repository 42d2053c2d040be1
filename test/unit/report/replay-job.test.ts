import type { LedgerEvent } from '../../../shared/domain/ledger';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  EMPTY_TALLY,
  InMemoryReportAggregates,
  caseReportRecord,
  replayReportPages,
  serviceStatementReport,
  summarizeReportDays,
  usualCutoffs,
} from '../../../shared/domain/report';
import type { ReportRecordSource } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { AUDITOR } from '../commands/fixtures';
import type { LedgerCasePages, LedgerCursor } from '../../../shared/domain/ledger/case-pages';
import type { ReplayStep } from '../../../shared/domain/report';
import { countCaseReads } from './case-reads';
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

describe('usualCutoffs', () => {
  it('are the ends of the last closed month and year (Québec time), once an hour and the settling time past', () => {
    expect(usualCutoffs(new Date('2026-04-10T12:00:00.000Z'), 60_000).map((c) => c.toISOString())).toEqual([
      '2026-04-01T03:59:59.999Z',
      '2026-01-01T04:59:59.999Z',
    ]);
    // In January both are the end of December.
    expect(usualCutoffs(new Date('2026-01-15T12:00:00.000Z'), 60_000).map((c) => c.toISOString())).toEqual([
      '2026-01-01T04:59:59.999Z',
    ]);
    // Half an hour into April in Québec: the end of March is not yet far enough.
    expect(usualCutoffs(new Date('2026-04-01T04:30:00.000Z'), 60_000).map((c) => c.toISOString())).toEqual([
      '2026-01-01T04:59:59.999Z',
    ]);
  });
});

describe('summarizeReportDays (the replay job’s day walk)', () => {
  it('also summarizes each day at the usual cut-offs: the report of the closed month then reads no case', async () => {
    const store = new InMemoryReportAggregates({ daySummaries: true });
    for (const events of histories) await store.put(caseReportRecord(events)!);
    const now = new Date('2026-04-10T12:00:00.000Z');
    const walked = await summarizeReportDays(
      { days: store, calendars: bundledCalendars(), now: () => now, mayContinue: () => true },
      { run: START.run, tally: EMPTY_TALLY, firstDay: '2026-02-16', day: null },
    );
    expect(walked.more).toBe(false);
    const march = '2026-04-01T03:59:59.999Z';
    const days = new Set(
      histories
        .map((events) => caseReportRecord(events)!.receivedDay)
        .filter((day) => day >= '2026-02-16' && day <= '2026-03-31'),
    );
    expect([...store.cutoffItems.values()].map((summary) => `${summary.day}@${summary.at}`).sort()).toEqual(
      [...days].map((day) => `${day}@${march}`).sort(),
    );

    const deps = (reportSource: ReportRecordSource) => ({
      reportSource,
      clock: { now: () => now },
      policy: loadSctPolicy(),
      calendars: bundledCalendars(),
      accessJournal: new InMemoryAccessJournal(),
    });
    const period = { from: '2026-03-01', to: '2026-03-31' };
    const perCase: ReportRecordSource = {
      recordsFor: (p, asOf) => store.recordsFor(p, asOf),
      latestReplayResult: () => store.latestReplayResult(),
    };
    const expected = JSON.stringify(await serviceStatementReport(deps(perCase), AUDITOR, period));
    const read = countCaseReads(store);
    expect(JSON.stringify(await serviceStatementReport(deps(store), AUDITOR, period))).toBe(expected);
    expect(read.records).toBe(0);
    read.restore();
    // A second walk finds them current: nothing saved again.
    const again = await summarizeReportDays(
      { days: store, calendars: bundledCalendars(), now: () => now, mayContinue: () => true },
      { run: START.run, tally: EMPTY_TALLY, firstDay: '2026-02-16', day: null },
    );
    expect(again.saved).toBe(0);
  });
});
