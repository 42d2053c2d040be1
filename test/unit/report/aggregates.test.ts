import type { LedgerEvent } from '../../../shared/domain/ledger';
import {
  InMemoryReportAggregates,
  caseReportFacts,
  caseReportRecord,
  projectReportAggregate,
  replayReportAggregates,
  reportFactsFromRecord,
  EMPTY_TALLY,
  serviceStatementReport,
} from '../../../shared/domain/report';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { AUDITOR, FixedClock } from '../commands/fixtures';
import { bundledCalendars } from '../../../shared/domain/time';
import { buildScenario } from './scenario';
import { listedFigures } from './listed-cases';

const calendars = bundledCalendars();
let histories: LedgerEvent[][];

beforeAll(async () => {
  histories = await (await buildScenario()).histories();
});

/** Every event instant and a millisecond either side, and the end (UTC) of every day from February to May. */
function cutOffs(events: readonly LedgerEvent[]): Date[] {
  const instants = new Set<number>();
  for (const event of events) {
    const at = Date.parse(event.at);
    for (const delta of [-1, 0, 1]) instants.add(at + delta);
  }
  for (let day = Date.parse('2026-02-10T04:59:59.999Z'); day < Date.parse('2026-05-15'); day += 86_400_000) {
    instants.add(day);
  }
  return [...instants].sort((a, b) => a - b).map((instant) => new Date(instant));
}

function expectSameFactsEverywhere(events: readonly LedgerEvent[]): void {
  const record = caseReportRecord(events)!;
  for (const asOf of cutOffs(events)) {
    const expected = caseReportFacts(events, asOf, calendars);
    const actual = reportFactsFromRecord(record, asOf, calendars);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      expect({ asOf: asOf.toISOString(), facts: actual }).toEqual({
        asOf: asOf.toISOString(),
        facts: expected,
      });
    }
  }
}

describe('report aggregate of a case (caseReportRecord)', () => {
  it('gives the facts a ledger replay gives, at any cut-off, for every case of the scenario', () => {
    expect(histories.length).toBe(12);
    for (const events of histories) expectSameFactsEverywhere(events);
  });

  it('keeps fewer states than events (equal consecutive states merged) and knows when a case settled', () => {
    const records = histories.map((events) => caseReportRecord(events)!);
    const events = histories.reduce((sum, h) => sum + h.length, 0);
    const epochs = records.reduce((sum, r) => sum + r.epochs.length, 0);
    expect(epochs).toBeLessThan(events);
    for (const record of records) {
      const last = record.epochs[record.epochs.length - 1]!.state;
      const open = ['received', 'acknowledged', 'dissatisfied'].includes(last.status);
      expect(record.settledAt === undefined).toBe(open);
    }
  });

  it('stays exact when an event was recorded with an instant earlier than the one before it', () => {
    // The answer of a case recorded (by its instant) an hour before the acknowledgement recorded before it.
    const events = structuredClone(histories.find((h) => h.some((e) => e.type === 'case.answered'))!);
    const answered = events.findIndex((event) => event.type === 'case.answered');
    const acknowledged = events.find((event) => event.type === 'case.acknowledged')!;
    events[answered] = {
      ...events[answered]!,
      at: new Date(Date.parse(acknowledged.at) - 3_600_000).toISOString(),
    };
    expectSameFactsEverywhere(events);
  });
});

describe('projectReportAggregate (the stream projector)', () => {
  it('ends equal to a replay whatever the order of the records, and a replayed record changes nothing', async () => {
    for (const events of histories) {
      const store = new InMemoryReportAggregates();
      let visible: LedgerEvent[] = [];
      const deps = { ledger: { read: async () => visible }, store };
      // The ledger grows one event at a time; each append is followed by its stream record.
      for (const event of events) {
        visible = [...visible, event];
        expect(await projectReportAggregate(deps, event.caseId)).toEqual({
          outcome: 'applied',
          lastSeq: event.seq,
        });
        expect(await store.get(event.caseId)).toEqual(caseReportRecord(visible));
      }
      const final = structuredClone(await store.get(events[0]!.caseId));
      // A duplicated stream record, then every record again in reverse order: nothing changes.
      for (const event of [events[events.length - 1]!, ...[...events].reverse()]) {
        expect(await projectReportAggregate(deps, event.caseId)).toMatchObject({
          outcome: 'already-applied',
        });
      }
      expect(await store.get(events[0]!.caseId)).toEqual(final);
    }
  });

  it('folds a record with one read of the ledger and one write, never reading the aggregate first', async () => {
    const events = histories[0]!;
    const store = new InMemoryReportAggregates();
    const calls: string[] = [];
    const counted = {
      get: (caseId: string) => (calls.push('get'), store.get(caseId)),
      put: (...args: Parameters<typeof store.put>) => (calls.push('put'), store.put(...args)),
      putReturningPrevious: (record: Parameters<typeof store.putReturningPrevious>[0]) => (
        calls.push('putReturningPrevious'),
        store.putReturningPrevious(record)
      ),
      markDayChanged: (...args: Parameters<typeof store.markDayChanged>) => store.markDayChanged(...args),
    };
    const deps = { ledger: { read: async () => events }, store: counted };

    expect(await projectReportAggregate(deps, events[0]!.caseId)).toMatchObject({ outcome: 'applied' });

    expect(calls).toEqual(['putReturningPrevious']);
    expect(await store.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
  });

  it('never lets an older rebuild overwrite a newer aggregate (conditional on lastSeq)', async () => {
    const events = histories[1]!;
    const store = new InMemoryReportAggregates();
    await store.put(caseReportRecord(events)!);
    expect(await store.put(caseReportRecord(events.slice(0, 3))!)).toBe(false);
    expect(await store.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
  });
});

describe('replayReportAggregates (the full replay)', () => {
  it('matches when the aggregates are right, and repairs and lists missing and altered ones', async () => {
    const store = new InMemoryReportAggregates();
    const byCase = new Map(histories.map((h) => [h[0]!.caseId, h]));
    const deps = { ledger: { read: async (caseId: string) => byCase.get(caseId) ?? [] }, store };
    for (const events of histories) await store.put(caseReportRecord(events)!);
    expect(await replayReportAggregates(deps, histories, EMPTY_TALLY)).toEqual({
      cases: 12,
      differences: 0,
      differingCases: [],
    });

    const [first, second] = histories.map((h) => h[0]!.caseId) as [string, string];
    store.records.delete(first);
    const altered = structuredClone(store.records.get(second)!);
    store.records.set(second, { ...altered, epochs: altered.epochs.slice(0, 1) });
    const tally = await replayReportAggregates(deps, histories, EMPTY_TALLY);
    expect(tally).toEqual({ cases: 12, differences: 2, differingCases: [first, second] });
    expect(await replayReportAggregates(deps, histories, EMPTY_TALLY)).toMatchObject({ differences: 0 });
  });
});

describe('serviceStatementReport from the aggregates', () => {
  const deps = (reportSource: Parameters<typeof serviceStatementReport>[0]['reportSource'], now: string) => ({
    reportSource,
    clock: new FixedClock(now),
    policy: loadSctPolicy(),
    calendars,
    accessJournal: new InMemoryAccessJournal(),
  });
  const ledger = {
    async *caseHistories() {
      for (const events of histories) yield events;
    },
  };

  it.each([
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-04-02T14:00:00.000Z'],
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-03-12T14:00:00.000Z'],
    [{ from: '2026-02-01', to: '2026-02-28' }, '2026-05-02T14:00:00.000Z'],
    [{ from: '2026-03-10', to: '2026-03-20' }, '2026-05-02T14:00:00.000Z'],
    [{ from: '2026-04-01', to: '2026-04-30' }, '2026-05-02T14:00:00.000Z'],
  ])(
    'gives the figures of the ledger replay (%j asked at %s), reading only the cases it needs',
    async (period, now) => {
      const aggregates = new InMemoryReportAggregates();
      for (const events of histories) await aggregates.put(caseReportRecord(events)!);
      const fromLedger = await serviceStatementReport(deps(ledger, now), AUDITOR, period);
      const fromAggregates = await serviceStatementReport(deps(aggregates, now), AUDITOR, period);
      const { source: ledgerSource, ...ledgerFigures } = fromLedger;
      const { source, ...figures } = fromAggregates;
      expect(figures).toEqual(ledgerFigures);
      // Every figure's drill-down list too (the report lists no reference).
      expect(await listedFigures(deps(aggregates, now), AUDITOR, period)).toEqual(
        await listedFigures(deps(ledger, now), AUDITOR, period),
      );
      expect(ledgerSource).toEqual({ kind: 'ledger-replay', casesRead: 12 });
      expect(source).toMatchObject({ kind: 'aggregates', lastChecked: null });
      expect(source.casesRead).toBeLessThan(12);
    },
  );

  it('states when a replay last checked the aggregates and whether they matched', async () => {
    const aggregates = new InMemoryReportAggregates();
    await aggregates.saveReplayResult({
      runId: 'r1',
      startedAt: '2026-04-01T10:00:00.000Z',
      checkedAt: '2026-04-01T10:05:00.000Z',
      matched: false,
      differences: 1,
      cases: 12,
      differingCases: ['x'],
    });
    const report = await serviceStatementReport(deps(aggregates, '2026-04-02T14:00:00.000Z'), AUDITOR, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(report.source).toEqual({
      kind: 'aggregates',
      casesRead: 0,
      lastChecked: { at: '2026-04-01T10:05:00.000Z', matched: false },
    });
  });
});
