import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  CUTOFF_SUMMARY_SAVES_IN_FLIGHT,
  DAYS_READ_IN_FLIGHT,
  DAY_SUMMARY_SETTLE_MS,
  EARLY_CHANGE_MS,
  InMemoryReportAggregates,
  caseReportRecord,
  earliestDifference,
  emptyTally,
  isEarlyChange,
  projectReportAggregate,
  readPeriodByDays,
  receiptDays,
  serviceStatementCases,
  serviceStatementReport,
  stableFrom,
} from '../../../shared/domain/report';
import type {
  CaseReportRecord,
  DaySummaryNotSaved,
  ReportDayState,
  ReportDayStore,
  ReportRecordSource,
} from '../../../shared/domain/report';
import { bundledCalendars, endOfLocalDay, localDateOf } from '../../../shared/domain/time';
import { parseLocalDate } from '../../../shared/domain/time/local-date';
import { AUDITOR, FixedClock, SUPERVISOR, staffIdentity } from '../commands/fixtures';
import { countCaseReads } from './case-reads';
import { listedFigures } from './listed-cases';
import { buildScenario } from './scenario';

const calendars = bundledCalendars();
const policy = loadSctPolicy();
/** A supervisor of every unit: every category in scope, the confidential ones withheld. */
const ALL_UNITS_SUPERVISOR = staffIdentity({
  id: 'sup-all',
  roles: ['supervisor'],
  units: [...new Set(policy.categories.map((c) => c.routing.queue))],
});
let histories: LedgerEvent[][];
/** The scenario's case ids by letter. */
let ids: Record<string, string>;

beforeAll(async () => {
  const scenario = await buildScenario();
  histories = await scenario.histories();
  ids = scenario.ids;
});

function deps(reportSource: ReportRecordSource, now: string, journal = new InMemoryAccessJournal()) {
  return { reportSource, clock: new FixedClock(now), policy, calendars, accessJournal: journal };
}

/** The same aggregates read case by case (no day summaries): the reference. */
function perCase(store: InMemoryReportAggregates): ReportRecordSource {
  return {
    recordsFor: (period, asOf) => store.recordsFor(period, asOf),
    latestReplayResult: () => store.latestReplayResult(),
  };
}

async function expectSameReport(
  store: InMemoryReportAggregates,
  identity: StaffIdentity,
  period: { from: string; to: string },
  now: string,
  { lists = true }: { lists?: boolean } = {},
): Promise<void> {
  const journal = new InMemoryAccessJournal();
  const expectedJournal = new InMemoryAccessJournal();
  const expected = await serviceStatementReport(deps(perCase(store), now, expectedJournal), identity, period);
  const actual = await serviceStatementReport(deps(store, now, journal), identity, period);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(JSON.stringify(journal)).toBe(JSON.stringify(expectedJournal));
  // The report lists no reference: every figure's drill-down list, in every scope, compared apart.
  if (!lists) return;
  expect(JSON.stringify(await listedFigures(deps(store, now), identity, period))).toBe(
    JSON.stringify(await listedFigures(deps(perCase(store), now), identity, period)),
  );
}

async function storeOf(records: readonly CaseReportRecord[]): Promise<InMemoryReportAggregates> {
  const store = new InMemoryReportAggregates({ daySummaries: true });
  for (const record of records) await store.put(record);
  return store;
}

describe('report by day summaries', () => {
  const cases: [{ from: string; to: string }, string][] = [
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-04-02T14:00:00.000Z'],
    [{ from: '2026-02-01', to: '2026-05-31' }, '2026-06-02T14:00:00.000Z'],
    [{ from: '2026-03-10', to: '2026-03-20' }, '2026-05-02T14:00:00.000Z'],
    [{ from: '2026-04-01', to: '2026-04-30' }, '2026-05-02T14:00:00.000Z'],
  ];

  it.each(cases)(
    'gives the report of the per-case read, JSON and journal, when built and when used (%j at %s)',
    async (period, now) => {
      const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
      for (const identity of [AUDITOR, SUPERVISOR, ALL_UNITS_SUPERVISOR]) {
        await expectSameReport(store, identity, period, now);
        await expectSameReport(store, identity, period, now);
      }
    },
  );

  it('reads a summarized day as one item plus its pending cases, and the drill-down agrees', async () => {
    const records = histories.map((events) => caseReportRecord(events)!);
    const final = records.filter((record) => stableFrom(record) !== undefined);
    expect(final.length).toBeGreaterThan(0);
    const store = await storeOf(records);
    const period = { from: '2026-02-01', to: '2026-05-31' };
    const now = '2026-06-02T14:00:00.000Z';
    await serviceStatementReport(deps(store, now), AUDITOR, period);
    const summaries = [...store.dayItems.values()].flatMap((item) => item.summary ?? []);
    expect(summaries.reduce((sum, s) => sum + s.included, 0)).toBe(final.length);

    // Without the summaries at this cut-off (next describe): the day summaries and their pending cases.
    store.cutoffItems.clear();
    const reads = countCaseReads(store);
    // The reads of the report alone (its drill-downs are compared below).
    await expectSameReport(store, AUDITOR, period, now, { lists: false });
    // Days with a summary are not read whole; their pending cases are read by id.
    const summarizedDays = new Set(summaries.map((s) => s.day));
    expect(reads.days).toBeLessThanOrEqual(120 - summarizedDays.size);
    expect(reads.byId).toBe(summaries.reduce((sum, s) => sum + s.pending.length, 0));

    for (const identity of [AUDITOR, ALL_UNITS_SUPERVISOR]) {
      for (const indicator of ['received', 'answer-delay', 'ack-on-time', 'open-at-end']) {
        const query = { ...period, indicator };
        const expected = await serviceStatementCases(deps(perCase(store), now), identity, query);
        const actual = await serviceStatementCases(deps(store, now), identity, query);
        expect(actual).toEqual(expected);
      }
    }
  });

  it('does not use a summary for a cut-off before its stableThrough', async () => {
    const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
    await serviceStatementReport(deps(store, '2026-06-02T14:00:00.000Z'), AUDITOR, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const summary = [...store.dayItems.values()].find((item) => item.summary !== undefined)!.summary!;
    const before = new Date(Date.parse(summary.stableThrough) - 1).toISOString();
    const reads = countCaseReads(store);
    await expectSameReport(store, AUDITOR, { from: '2026-03-01', to: '2026-03-31' }, before);
    expect(reads.days).toBeGreaterThan(0);
  });

  it('summarizes, for a past period, the cases final by its cut-off and leaves the ones final later pending', async () => {
    const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
    // Cut-off: the end of 20 March. A (answered 18 March) is final by then, D (answered 26 March) only later.
    const period = { from: '2026-03-01', to: '2026-03-20' };
    const now = '2026-06-02T14:00:00.000Z';
    await serviceStatementReport(deps(store, now), AUDITOR, period);

    const summary = store.dayItems.get('2026-03-02')!.summary!;
    expect(Date.parse(summary.stableThrough)).toBeLessThanOrEqual(Date.parse('2026-03-21T03:59:59.999Z'));
    expect(summary.pending).toContain(ids['D']);
    expect(summary.pending).not.toContain(ids['A']);
    store.cutoffItems.clear();
    const reads = countCaseReads(store);
    // The reads of the report alone (its drill-downs are compared below).
    await expectSameReport(store, AUDITOR, period, now, { lists: false });
    expect(reads.whole).not.toContain('2026-03-02');
    expect(reads.byId).toBeGreaterThan(0);
  });

  it('tells the monitor of each summary whose save failed, and still gives the per-case report', async () => {
    const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
    const unavailable = Object.assign(new Error('throttled'), { name: 'StoreUnavailableError' });
    store.saveDaySummary = async () => {
      throw unavailable;
    };
    const failures: DaySummaryNotSaved[] = [];
    const period = { from: '2026-03-01', to: '2026-03-31' };
    const now = '2026-04-02T14:00:00.000Z';
    const expected = await serviceStatementReport(deps(perCase(store), now), AUDITOR, period);

    const actual = await serviceStatementReport(
      { ...deps(store, now), daySummaryMonitor: { summaryNotSaved: (failure) => failures.push(failure) } },
      AUDITOR,
      period,
    );

    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(store.dayItems.size).toBe(0);
    // The days with a final case: 2 March (A, D, E, K).
    expect(failures).toEqual([{ day: '2026-03-02', error: 'StoreUnavailableError' }]);
  });

  it('reads a day whole again when a case included in its summary changed, then summarizes it anew', async () => {
    const records = histories.map((events) => caseReportRecord(events)!);
    const final = records.find((record) => stableFrom(record) !== undefined)!;
    const events = histories.find((h) => h[0]!.caseId === final.caseId)!;
    // The summary is built from an older aggregate of the case, with other hand-offs than the ledger's.
    const older = structuredClone(final) as CaseReportRecord & { lastSeq: number };
    older.lastSeq = final.lastSeq - 1;
    const last = older.epochs[older.epochs.length - 1]!;
    (last.state as { handoffs: number }).handoffs = final.epochs.at(-1)!.state.handoffs + 7;
    const store = await storeOf(records.map((record) => (record === final ? older : record)));
    const period = { from: '2026-02-01', to: '2026-05-31' };
    const now = '2026-06-02T14:00:00.000Z';
    await serviceStatementReport(deps(store, now), AUDITOR, period);
    expect(store.dayItems.get(final.receivedDay)?.summary?.included).toBeGreaterThan(0);

    await projectReportAggregate({ ledger: { read: async () => events }, store }, final.caseId);
    const item = store.dayItems.get(final.receivedDay)!;
    expect(item.changes).toBe(item.summary!.changes + 1);
    // A state from March changed, months later: early too, so the day's summary at the cut-off is not used.
    expect(item.earlyChanges).toBe(1);
    const reads = countCaseReads(store);
    // The reads of the report alone (its drill-downs are compared below).
    await expectSameReport(store, AUDITOR, period, now, { lists: false });
    expect(reads.days).toBeGreaterThan(0);
    const report = await serviceStatementReport(deps(store, now), AUDITOR, period);
    expect(report.total.handoffs.max).toBe(Math.max(...records.map((r) => r.epochs.at(-1)!.state.handoffs)));
    // Read whole, the day was summarized again at its new change count.
    expect(store.dayItems.get(final.receivedDay)!.summary!.changes).toBe(item.changes);
  });
});

describe('summaries at a past cut-off', () => {
  const periods: [{ from: string; to: string }, string][] = [
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-04-02T14:00:00.000Z'],
    [{ from: '2026-02-01', to: '2026-05-31' }, '2026-06-02T14:00:00.000Z'],
    [{ from: '2026-03-01', to: '2026-03-20' }, '2026-06-02T14:00:00.000Z'],
  ];

  it.each(periods)(
    'are built by a first report and then give every day: no case read, same report (%j at %s)',
    async (period, now) => {
      const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
      await serviceStatementReport(deps(store, now), AUDITOR, period);
      expect(store.cutoffItems.size).toBeGreaterThan(0);
      const cutoff = endOfLocalDay(parseLocalDate(period.to));
      expect([...store.cutoffItems.values()].every((summary) => summary.at === cutoff)).toBe(true);
      // Every case of the period is in one of them (the scenario's cases are all received by its cut-off).
      const inPeriod = histories
        .map((events) => caseReportRecord(events)!)
        .filter((record) => record.receivedDay >= period.from && record.receivedDay <= period.to);
      const included = [...store.cutoffItems.values()].reduce((sum, summary) => sum + summary.included, 0);
      expect(included).toBe(inPeriod.length);

      const reads = countCaseReads(store);
      for (const identity of [AUDITOR, SUPERVISOR, ALL_UNITS_SUPERVISOR]) {
        await expectSameReport(store, identity, period, now);
      }
      expect(reads.byId).toBe(0);
      expect(reads.records).toBe(0);
    },
  );

  it('are neither built nor used for a cut-off less than EARLY_CHANGE_MS before now', async () => {
    const store = await storeOf(histories.map((events) => caseReportRecord(events)!));
    const period = { from: '2026-03-01', to: '2026-03-31' };
    const cutoff = Date.parse(endOfLocalDay(parseLocalDate(period.to)));
    const soon = new Date(cutoff + EARLY_CHANGE_MS - 60_000).toISOString();
    await expectSameReport(store, AUDITOR, period, soon);
    expect(store.cutoffItems.size).toBe(0);
    const later = new Date(cutoff + EARLY_CHANGE_MS + 1).toISOString();
    await expectSameReport(store, AUDITOR, period, later);
    expect(store.cutoffItems.size).toBeGreaterThan(0);
  });

  /**
   * Case D (received 2 March, answered 26 March) stored as it stood at the cut-off (20 March), its events
   * after the cut-off then projected `lateBy` after the first of them.
   */
  async function projectedAfterCutoff(lateBy: number) {
    const period = { from: '2026-03-01', to: '2026-03-20' };
    const now = '2026-06-02T14:00:00.000Z';
    const cutoff = Date.parse(endOfLocalDay(parseLocalDate(period.to)));
    const events = histories.find((h) => h[0]!.caseId === ids['D'])!;
    const byCutoff = caseReportRecord(events.filter((event) => Date.parse(event.at) <= cutoff))!;
    const records = histories.map((h) => (h === events ? byCutoff : caseReportRecord(h)!));
    const store = await storeOf(records);
    await serviceStatementReport(deps(store, now), AUDITOR, period);
    const dayItem = store.cutoffItems.get(`${byCutoff.receivedDay}@${new Date(cutoff).toISOString()}`);
    expect(dayItem?.included).toBeGreaterThan(0);

    const after = events.find((event) => Date.parse(event.at) > cutoff)!;
    const write = new Date(Date.parse(after.at) + lateBy);
    const projected = await projectReportAggregate(
      { ledger: { read: async () => events }, store, now: () => write },
      ids['D']!,
    );
    expect(projected.outcome).toBe('applied');
    const reads = countCaseReads(store);
    await expectSameReport(store, AUDITOR, period, now, { lists: false });
    return { store, reads, day: byCutoff.receivedDay };
  }

  it('stay valid when a write changes only states after their cut-off', async () => {
    const { store, reads, day } = await projectedAfterCutoff(60_000);
    expect(store.dayItems.get(day)?.earlyChanges ?? 0).toBe(0);
    expect(reads.records).toBe(0);
  });

  it('are read again when a write changes a state from more than EARLY_CHANGE_MS before it', async () => {
    const { store, reads, day } = await projectedAfterCutoff(EARLY_CHANGE_MS + 60_000);
    expect(store.dayItems.get(day)?.earlyChanges).toBe(1);
    expect(reads.records).toBeGreaterThan(0);
    // Read again, the day's summary at the cut-off is saved anew at the new early change count.
    const rebuilt = [...store.cutoffItems.values()].find((summary) => summary.day === day)!;
    expect(rebuilt.earlyChanges).toBe(1);
  });
});

describe('saving summaries at a past cut-off from day summaries', () => {
  const period = { from: '2026-01-01', to: '2026-02-09' };
  const asOf = new Date(endOfLocalDay(parseLocalDate(period.to)));
  const days = receiptDays(period, asOf);
  const failing = '2026-01-15';

  /**
   * Every day of the period with a day summary valid at the cut-off (so each is read through it, and its
   * summary at the cut-off built from it), and saves that wait at a gate until it is opened.
   */
  function gatedStore() {
    const versions = Object.fromEntries(
      calendars.ids().map((id) => [id, calendars.at(id, localDateOf(asOf)).version.version]),
    );
    const states = new Map<string, ReportDayState>(
      days.map((day) => [
        day,
        {
          changes: 0,
          summary: {
            day,
            stableThrough: `${day}T12:00:00.000Z`,
            calendars: versions,
            changes: 0,
            included: 0,
            tally: emptyTally(),
            pending: [],
          },
        },
      ]),
    );
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const watch = { inFlight: 0, most: 0, saved: [] as string[] };
    const store: ReportDayStore = {
      dayStates: async () => states,
      recordsOfDay: async () => {
        throw new Error('no day is read whole here');
      },
      recordsOf: async () => [],
      openBefore: async () => [],
      saveDaySummary: async () => true,
      saveCutoffSummary: async (summary) => {
        watch.inFlight += 1;
        watch.most = Math.max(watch.most, watch.inFlight);
        try {
          await gate;
          if (summary.day === failing) {
            throw Object.assign(new Error('throttled'), { name: 'StoreUnavailableError' });
          }
          watch.saved.push(summary.day);
          return true;
        } finally {
          watch.inFlight -= 1;
        }
      },
      markDayChanged: async () => undefined,
    };
    return { store, watch, open: () => open() };
  }

  it('saves several at once, at most CUTOFF_SUMMARY_SAVES_IN_FLIGHT, and tells the monitor of a failed one', async () => {
    // Arrange
    const { store, watch, open } = gatedStore();
    const now = asOf.getTime() + EARLY_CHANGE_MS + DAY_SUMMARY_SETTLE_MS;

    // Act: the report runs until every save it started waits at the gate, then the gate opens.
    const reading = readPeriodByDays(store, period, asOf, calendars, now);
    for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const waitingAtGate = watch.inFlight;
    open();
    const result = await reading;

    // Assert
    expect(days.length).toBeGreaterThan(2 * CUTOFF_SUMMARY_SAVES_IN_FLIGHT);
    expect(CUTOFF_SUMMARY_SAVES_IN_FLIGHT).toBeGreaterThan(1);
    expect(waitingAtGate).toBe(CUTOFF_SUMMARY_SAVES_IN_FLIGHT);
    expect(watch.most).toBe(CUTOFF_SUMMARY_SAVES_IN_FLIGHT);
    expect(result.daysSummarized).toBe(days.length);
    expect(result.summariesSaved).toBe(days.length - 1);
    expect(result.summariesNotSaved).toEqual([{ day: failing, error: 'StoreUnavailableError' }]);
    expect(watch.saved.sort()).toEqual(days.filter((day) => day !== failing));
  });
});

describe('reading days whole', () => {
  it('reads at most DAYS_READ_IN_FLIGHT days at once, and every day of the period', async () => {
    // Arrange: no day has a summary, so every day is read whole; each read waits at a gate.
    const period = { from: '2026-01-01', to: '2026-02-09' };
    const asOf = new Date(endOfLocalDay(parseLocalDate(period.to)));
    const days = receiptDays(period, asOf);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const watch = { inFlight: 0, most: 0, read: [] as string[] };
    const store: ReportDayStore = {
      dayStates: async () => new Map(),
      recordsOfDay: async (day) => {
        watch.inFlight += 1;
        watch.most = Math.max(watch.most, watch.inFlight);
        try {
          await gate;
          watch.read.push(day);
          return [];
        } finally {
          watch.inFlight -= 1;
        }
      },
      recordsOf: async () => [],
      openBefore: async () => [],
      saveDaySummary: async () => true,
      saveCutoffSummary: async () => true,
      markDayChanged: async () => undefined,
    };

    // Act: the report runs until every read it started waits at the gate, then the gate opens.
    const reading = readPeriodByDays(store, period, asOf, calendars, asOf.getTime());
    for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const waitingAtGate = watch.inFlight;
    open();
    const result = await reading;

    // Assert
    expect(days.length).toBeGreaterThan(2 * DAYS_READ_IN_FLIGHT);
    expect(waitingAtGate).toBe(DAYS_READ_IN_FLIGHT);
    expect(watch.most).toBe(DAYS_READ_IN_FLIGHT);
    expect(result.daysRead).toBe(days.length);
    expect(watch.read.sort()).toEqual([...days].sort());
  });
});

describe('earliestDifference and isEarlyChange', () => {
  const record = () =>
    structuredClone(
      histories.map((h) => caseReportRecord(h)!).find((r) => r.epochs.length > 2)!,
    ) as CaseReportRecord;

  it('is the first epoch of a new case, nothing for equal epochs, the earlier start of the first that differs', () => {
    const a = record();
    expect(earliestDifference(undefined, a)).toBe(a.epochs[0]!.from);
    expect(earliestDifference(a, record())).toBeUndefined();
    const shorter = { ...a, epochs: a.epochs.slice(0, -1) };
    expect(earliestDifference(shorter, a)).toBe(a.epochs.at(-1)!.from);
    expect(earliestDifference(a, shorter)).toBe(a.epochs.at(-1)!.from);
    const changed = record();
    (changed.epochs[1]!.state as { handoffs: number }).handoffs += 1;
    expect(earliestDifference(a, changed)).toBe(a.epochs[1]!.from);
    const moved = record();
    (moved.epochs[2] as { from: string }).from = a.epochs[1]!.from;
    expect(earliestDifference(a, moved)).toBe(a.epochs[1]!.from);
  });

  it('calls early a change from more than EARLY_CHANGE_MS before the write, or from nowhere', () => {
    const at = new Date('2026-03-02T14:00:00.000Z');
    expect(isEarlyChange(undefined, at)).toBe(false);
    expect(isEarlyChange(new Date(at.getTime() - EARLY_CHANGE_MS).toISOString(), at)).toBe(false);
    expect(isEarlyChange(new Date(at.getTime() - EARLY_CHANGE_MS - 1).toISOString(), at)).toBe(true);
    expect(isEarlyChange('', at)).toBe(true);
  });
});

describe('stableFrom', () => {
  const settledRecord = () => {
    const record = histories
      .map((events) => caseReportRecord(events)!)
      .find((r) => stableFrom(r) !== undefined && r.epochs.at(-1)!.state.answer !== undefined)!;
    return structuredClone(record);
  };

  it('is the start of the last state of a settled case whose deadlines are met', () => {
    const record = settledRecord();
    expect(stableFrom(record)).toBe(record.epochs.at(-1)!.from);
  });

  it('is undefined for a case closed after its answer deadline passed unmet (late by more days each day)', () => {
    const record = settledRecord();
    const state = record.epochs.at(-1)!.state as {
      answer: { metAt?: string; dueAt: string };
      closedAt?: string;
    };
    delete state.answer.metAt;
    state.closedAt = new Date(Date.parse(state.answer.dueAt) + 86_400_000).toISOString();
    expect(stableFrom(record)).toBeUndefined();
    state.closedAt = state.answer.dueAt;
    expect(stableFrom(record)).toBe(record.epochs.at(-1)!.from);
  });

  it('is undefined while the case is open', () => {
    const record = settledRecord();
    (record.epochs.at(-1)!.state as { status: string }).status = 'dissatisfied';
    expect(stableFrom(record)).toBeUndefined();
  });
});
