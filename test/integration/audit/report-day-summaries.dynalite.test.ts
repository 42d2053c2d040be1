import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReportAggregates } from '../../../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  caseReportRecord,
  projectReportAggregate,
  serviceStatementReport,
  stableFrom,
} from '../../../shared/domain/report';
import type { CaseReportRecord, ReportRecordSource } from '../../../shared/domain/report';
import { bundledCalendars, endOfLocalDay } from '../../../shared/domain/time';
import { parseLocalDate } from '../../../shared/domain/time/local-date';
import type { LocalDate } from '../../../shared/domain/time/types';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { AUDITOR, FixedClock, SUPERVISOR, staffIdentity } from '../../unit/commands/fixtures';
import { countCaseReads } from '../../unit/report/case-reads';
import { listedFigures } from '../../unit/report/listed-cases';
import { buildScenario } from '../../unit/report/scenario';

const calendars = bundledCalendars();
const policy = loadSctPolicy();
const ALL_UNITS_SUPERVISOR = staffIdentity({
  id: 'sup-all',
  roles: ['supervisor'],
  units: [...new Set(policy.categories.map((c) => c.routing.queue))],
});
const PERIOD = { from: '2026-02-01', to: '2026-05-31' };
const NOW = '2026-06-02T14:00:00.000Z';
/** The period's cut-off, more than `EARLY_CHANGE_MS` before `NOW`: summaries at it are built and used. */
const CUTOFF = new Date(endOfLocalDay(parseLocalDate(PERIOD.to)));

let dynamo: LocalDynamo;
let histories: LedgerEvent[][];
let store: DynamoDbReportAggregates;
let final: CaseReportRecord;

beforeAll(async () => {
  dynamo = await startDynalite();
  histories = await (await buildScenario()).histories();
  store = new DynamoDbReportAggregates({
    client: dynamo.client,
    tables: dynamo.tables,
    clock: { now: () => new Date(NOW) },
    daySettleMs: 0,
  });
  const records = histories.map((events) => caseReportRecord(events)!);
  final = records.find((record) => stableFrom(record) !== undefined)!;
  for (const record of records) {
    if (record !== final) {
      expect(await store.put(record)).toBe(true);
      continue;
    }
    // This case is stored one event behind, with other hand-offs than its ledger says (changed later).
    const older = structuredClone(record) as CaseReportRecord & { lastSeq: number };
    older.lastSeq = record.lastSeq - 1;
    (older.epochs.at(-1)!.state as { handoffs: number }).handoffs += 7;
    expect(await store.put(older)).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
});

const perCase: () => ReportRecordSource = () => ({
  recordsFor: (period, asOf) => store.recordsFor(period, asOf),
  latestReplayResult: () => store.latestReplayResult(),
});

async function reportsOf(identity: StaffIdentity, now = NOW) {
  const deps = (reportSource: ReportRecordSource, journal: InMemoryAccessJournal) => ({
    reportSource,
    clock: new FixedClock(now),
    policy,
    calendars,
    accessJournal: journal,
  });
  const [expectedJournal, journal] = [new InMemoryAccessJournal(), new InMemoryAccessJournal()];
  const expected = await serviceStatementReport(deps(perCase(), expectedJournal), identity, PERIOD);
  const before = { ...store.meter };
  const reads = countCaseReads(store);
  const actual = await serviceStatementReport(deps(store, journal), identity, PERIOD);
  const itemsRead = store.meter.items - before.items;
  const casesRead = reads.records;
  reads.restore();
  // The report lists no reference: every figure's drill-down list, in every scope, compared with it.
  const [expectedLists, actualLists] = [
    await listedFigures(deps(perCase(), new InMemoryAccessJournal()), identity, PERIOD),
    await listedFigures(deps(store, new InMemoryAccessJournal()), identity, PERIOD),
  ];
  return {
    expected: JSON.stringify([expected, expectedJournal, expectedLists]),
    actual: JSON.stringify([actual, journal, actualLists]),
    itemsRead,
    casesRead,
  };
}

describe('report by day summaries on DynamoDB (dynalite)', () => {
  it('summarizes the settled days it reads whole, then reads them as one item each: same report', async () => {
    const first = await reportsOf(AUDITOR);
    expect(first.actual).toBe(first.expected);
    const days = [
      ...new Set(histories.map((events) => caseReportRecord(events)!.receivedDay)),
    ] as LocalDate[];
    const states = await store.dayStates(days);
    const summaries = [...states.values()].flatMap((state) => state.summary ?? []);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((summary) => Date.parse(summary.stableThrough) <= Date.parse(NOW))).toBe(true);
    // And, the cut-off being past, each day with a case summarized at it, in its own item.
    const atCutoff = [...(await store.dayStates(days, CUTOFF)).values()].flatMap(
      (state) => state.cutoffSummary ?? [],
    );
    expect(atCutoff.map((summary) => summary.day).sort()).toEqual(
      days.filter((day) => day >= PERIOD.from && day <= PERIOD.to).sort(),
    );
    expect(first.casesRead).toBeGreaterThan(0);

    for (const identity of [AUDITOR, SUPERVISOR, ALL_UNITS_SUPERVISOR]) {
      const again = await reportsOf(identity);
      expect(again.actual).toBe(again.expected);
      // No case aggregate read: every day from its summary at the cut-off (one item).
      expect(again.casesRead).toBe(0);
    }
  }, 90_000);

  it('gives the per-case report for a cut-off before a summary is valid', async () => {
    const states = await store.dayStates([final.receivedDay]);
    const summary = states.get(final.receivedDay)!.summary!;
    const reports = await reportsOf(AUDITOR, new Date(Date.parse(summary.stableThrough) - 1).toISOString());
    expect(reports.actual).toBe(reports.expected);
  }, 30_000);

  it('reads a day whole again once a summarized case is written anew, and summarizes it again', async () => {
    const before = (await store.dayStates([final.receivedDay])).get(final.receivedDay)!;
    expect(before.summary?.included).toBeGreaterThan(0);
    const events = histories.find((h) => h[0]!.caseId === final.caseId)!;
    const deps = { ledger: { read: async () => events }, store };
    expect(await projectReportAggregate(deps, final.caseId)).toMatchObject({ outcome: 'applied' });
    const marked = (await store.dayStates([final.receivedDay])).get(final.receivedDay)!;
    expect(marked.changes).toBe(before.changes + 1);
    // A state from months before the write changed: an early change too.
    expect(marked.earlyChanges).toBe((before.earlyChanges ?? 0) + 1);

    const reports = await reportsOf(AUDITOR);
    expect(reports.actual).toBe(reports.expected);
    expect(JSON.parse(reports.actual)[0].total.handoffs.max).toBe(
      Math.max(...histories.map((h) => caseReportRecord(h)!.epochs.at(-1)!.state.handoffs)),
    );
    const rebuilt = (await store.dayStates([final.receivedDay])).get(final.receivedDay)!;
    expect(rebuilt.summary?.changes).toBe(marked.changes);
    const atCutoff = (await store.dayStates([final.receivedDay], CUTOFF)).get(final.receivedDay)!;
    expect(atCutoff.cutoffSummary?.earlyChanges).toBe(marked.earlyChanges);
    // Current, it stands for the day: the day summary is not read with it.
    expect(atCutoff.summary).toBeUndefined();
  }, 30_000);
});

describe('a day summary larger than one piece (dynalite)', () => {
  let split: LocalDynamo;
  let pieces: DynamoDbReportAggregates;

  beforeAll(async () => {
    split = await startDynalite();
    // Pieces of 200 bytes: the 2 March summary (four final cases) takes several.
    pieces = new DynamoDbReportAggregates({
      client: split.client,
      tables: split.tables,
      clock: { now: () => new Date(NOW) },
      daySettleMs: 0,
      summaryPartBytes: 200,
    });
    for (const events of histories) await pieces.put(caseReportRecord(events)!);
  }, 60_000);

  afterAll(async () => {
    await split?.stop();
  });

  const report = (reportSource: ReportRecordSource) =>
    serviceStatementReport(
      {
        reportSource,
        clock: new FixedClock(NOW),
        policy,
        calendars,
        accessJournal: new InMemoryAccessJournal(),
      },
      AUDITOR,
      PERIOD,
    );
  const dayItem = async (key: string) =>
    (await split.client.send(new GetCommand({ TableName: split.tables.reports, Key: { caseId: key } }))).Item;

  it('is saved in pieces under #day#YYYY-MM-DD#part#N, read back whole, and gives the same report', async () => {
    const perCaseStart = { ...pieces.meter };
    const expected = JSON.stringify(
      await report({
        recordsFor: (period, asOf) => pieces.recordsFor(period, asOf),
        latestReplayResult: () => pieces.latestReplayResult(),
      }),
    );
    const perCaseItems = pieces.meter.items - perCaseStart.items;
    expect(JSON.stringify(await report(pieces))).toBe(expected);

    const item = (await dayItem('#day#2026-03-02'))!;
    const parts = item['summaryParts'] as number;
    expect(parts).toBeGreaterThan(2);
    expect((item['summary'] as Uint8Array).byteLength).toBeLessThanOrEqual(200);
    for (let part = 1; part < parts; part += 1) {
      const piece = (await dayItem(`#day#2026-03-02#part#${part}`))!;
      expect(piece['summaryDigest']).toBe(item['summaryDigest']);
    }
    const summary = (await pieces.dayStates(['2026-03-02'])).get('2026-03-02')!.summary!;
    expect(summary.included).toBe(4);
    // The summary at the cut-off too, under its own key.
    const atKey = `#day#2026-03-02#at#${CUTOFF.toISOString()}`;
    const atItem = (await dayItem(atKey))!;
    expect(atItem['summaryParts']).toBeGreaterThan(2);
    for (let part = 1; part < (atItem['summaryParts'] as number); part += 1) {
      expect((await dayItem(`${atKey}#part#${part}`))!['summaryDigest']).toBe(atItem['summaryDigest']);
    }
    const atCutoff = (await pieces.dayStates(['2026-03-02'], CUTOFF)).get('2026-03-02')!.cutoffSummary!;
    expect(atCutoff.included).toBe(histories.filter((h) => h[0]!.at.startsWith('2026-03-02')).length);

    const reads = countCaseReads(pieces);
    expect(JSON.stringify(await report(pieces))).toBe(expected);
    // Read as summaries (the items and their pieces): no case aggregate.
    expect(reads.records).toBe(0);
    expect(perCaseItems).toBeGreaterThan(0);
  }, 60_000);

  it('is not used when a piece is from another save: the day is read whole, same report', async () => {
    for (const key of ['#day#2026-03-02', `#day#2026-03-02#at#${CUTOFF.toISOString()}`]) {
      await split.client.send(
        new UpdateCommand({
          TableName: split.tables.reports,
          Key: { caseId: `${key}#part#1` },
          UpdateExpression: 'SET summaryDigest = :other',
          ExpressionAttributeValues: { ':other': 'another-save' },
        }),
      );
    }
    expect((await pieces.dayStates(['2026-03-02'])).get('2026-03-02')!.summary).toBeUndefined();
    expect((await pieces.dayStates(['2026-03-02'], CUTOFF)).get('2026-03-02')!.cutoffSummary).toBeUndefined();
    const expected = JSON.stringify(
      await report({
        recordsFor: (period, asOf) => pieces.recordsFor(period, asOf),
        latestReplayResult: () => pieces.latestReplayResult(),
      }),
    );
    expect(JSON.stringify(await report(pieces))).toBe(expected);
    // Read whole, the day was summarized again, in pieces that agree.
    expect((await pieces.dayStates(['2026-03-02'])).get('2026-03-02')!.summary?.included).toBe(4);
    const again = (await pieces.dayStates(['2026-03-02'], CUTOFF)).get('2026-03-02')!;
    expect(again.cutoffSummary?.included).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
