import { Session } from 'node:inspector/promises';
import { gzipSync } from 'node:zlib';

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReportAggregates, reportRecordItem } from '../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../shared/domain/access/access-journal';
import { loadSctPolicy } from '../shared/domain/policy';
import { caseReportRecord, receiptDays, serviceStatementReport, stableFrom } from '../shared/domain/report';
import type { CaseReportRecord, ReportDayStore, ReportRecordSource } from '../shared/domain/report';
import { bundledCalendars, endOfLocalDay } from '../shared/domain/time';
import { parseLocalDate } from '../shared/domain/time/local-date';
import { startDynalite } from '../test/support/dynalite';
import { AUDITOR } from '../test/unit/commands/fixtures';
import { buildScenario } from '../test/unit/report/scenario';
import type { ReportYearMix, ReportYearStore } from './args';
import { InMemoryReportsTable } from './in-memory-reports-table';
import { copyRecord, mixHistories, mixKind } from './report-year-mix';
import { elapsedMs, formatBytes, formatInt, formatMs, median, ratio, runPool } from './stats';

const DAY_MS = 86_400_000;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
/** The report is asked after the year, once its cases have settled. */
const NOW = new Date('2026-03-02T14:00:00Z');
/** The year report's cut-off: the end of 31 December 2025, Québec time. */
const CUTOFF = new Date(endOfLocalDay(parseLocalDate(YEAR.to)));

/** The store's day summaries without its summaries at a cut-off (neither read nor saved). */
function withoutCutoffSummaries(store: DynamoDbReportAggregates): ReportDayStore {
  return {
    dayStates: (days) => store.dayStates(days),
    recordsOfDay: (day) => store.recordsOfDay(day),
    recordsOf: (caseIds) => store.recordsOf(caseIds),
    openBefore: (from, asOf) => store.openBefore(from, asOf),
    saveDaySummary: (summary) => store.saveDaySummary(summary),
    saveCutoffSummary: async () => false,
    markDayChanged: (day, at, change) => store.markDayChanged(day, at, change),
    ...(store.settleMs !== undefined ? { settleMs: store.settleMs } : {}),
  };
}

/**
 * The aggregate of the `i`-th of `cases` cases received across 2025, spread evenly over the year's days: copies of
 * the realistic kinds of case (`report-year-mix.ts`, most answered on time and closed, a few late or waiting; the
 * last two weeks' cases more often still waiting) or of the report's 12 scripted cases in turn
 * (`test/unit/report/scenario.ts`, built to exercise every indicator: two in three never final), under new
 * ids and references, moved by whole days (every instant and date).
 */
async function syntheticRecord(cases: number, mix: ReportYearMix): Promise<(i: number) => CaseReportRecord> {
  const pick: (i: number, day: number) => CaseReportRecord =
    mix === 'scripted'
      ? await (async () => {
          const templates = (await (await buildScenario()).histories()).map((events) =>
            caseReportRecord(events)!,
          );
          return (i: number) => templates[i % templates.length]!;
        })()
      : await (async () => {
          const templates = new Map(
            [...(await mixHistories())].map(([kind, events]) => [kind, caseReportRecord(events)!]),
          );
          return (i: number, day: number) => templates.get(mixKind(i, day))!;
        })();
  return (i) => {
    const day = Math.floor((i * 365) / cases);
    return copyRecord(
      pick(i, day),
      `year-${String(i).padStart(6, '0')}`,
      `SCT-2025-${String(i).padStart(6, '0')}`,
      Date.parse('2025-01-01') + day * DAY_MS,
    );
  };
}

/** The year's aggregates seeded into a reports table, and the store that reads them. */
interface SeededYear {
  readonly store: DynamoDbReportAggregates;
  readonly seeded: number;
  /** The aggregates final (summarizable) at the report. */
  readonly final: number;
  readonly loadMs: number;
  /** The table in memory (`--report-year-store memory` or `memory-http`). */
  readonly table?: InMemoryReportsTable;
  stop(): Promise<void>;
}

/** `cases` aggregates written into dynalite's reports table (BatchWrite of 25, 8 in flight). */
async function seedDynalite(cases: number, mix: ReportYearMix): Promise<SeededYear> {
  const dynamo = await startDynalite('bench');
  try {
    const record = await syntheticRecord(cases, mix);
    const records = Array.from({ length: cases }, (_, i) => record(i));
    const begin = process.hrtime.bigint();
    const batches: CaseReportRecord[][] = [];
    for (let i = 0; i < records.length; i += 25) batches.push(records.slice(i, i + 25));
    await runPool(batches, 8, (batch) =>
      dynamo.client.send(
        new BatchWriteCommand({
          RequestItems: {
            [dynamo.tables.reports]: batch.map((record) => ({
              PutRequest: { Item: reportRecordItem(record) },
            })),
          },
        }),
      ),
    );
    const loadMs = elapsedMs(begin);
    return {
      store: new DynamoDbReportAggregates({
        client: dynamo.client,
        tables: dynamo.tables,
        clock: { now: () => NOW },
        daySettleMs: 0,
      }),
      seeded: records.length,
      final: records.filter((record) => stableFrom(record) !== undefined).length,
      loadMs,
      stop: () => dynamo.stop(),
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/**
 * `cases` aggregates put, one by one as they are made, into a reports table in memory, read by the same
 * DynamoDB store (`InMemoryReportsTable`), through a real `DynamoDBClient` when `http`.
 */
async function seedMemory(cases: number, mix: ReportYearMix, http: boolean): Promise<SeededYear> {
  const tables = { reports: 'reports' };
  const table = new InMemoryReportsTable(tables.reports, { http });
  const record = await syntheticRecord(cases, mix);
  const begin = process.hrtime.bigint();
  let final = 0;
  for (let i = 0; i < cases; i += 1) {
    const made = record(i);
    if (stableFrom(made) !== undefined) final += 1;
    table.put(reportRecordItem(made));
  }
  return {
    store: new DynamoDbReportAggregates({
      client: table.client,
      tables,
      clock: { now: () => NOW },
      daySettleMs: 0,
    }),
    seeded: cases,
    final,
    loadMs: elapsedMs(begin),
    table,
    stop: async () => undefined,
  };
}

/**
 * `npm run bench -- --only report-year [--report-year-cases N] [--report-year-store dynalite|memory|memory-http]`: the report
 * of a whole year at N cases (200,000 by default), its aggregates seeded directly into the reports table (no
 * ledger), on dynalite (by default) or in memory (`InMemoryReportsTable`: the same DynamoDB store without an
 * emulator, so only the report's own CPU is timed): read case by case (a Query per day) against read by day
 * summaries (one item per settled day and its pending cases), in the same run, with the items and bytes each
 * read, whether they give the same report, and the report JSON's size (`report.jsonBytes`). In memory, also
 * the median of 5 reports by day summaries, where their time goes (a CPU profile of one more) and the heap
 * they take.
 */
export async function benchReportYear(
  cases: number,
  mix: ReportYearMix = 'realistic',
  where: ReportYearStore = 'dynalite',
): Promise<void> {
  const inMemory = where !== 'dynalite';
  const seeded = inMemory
    ? await seedMemory(cases, mix, where === 'memory-http')
    : await seedDynalite(cases, mix);
  try {
    const { store } = seeded;
    const perCase: ReportRecordSource = {
      recordsFor: (period, asOf) => store.recordsFor(period, asOf),
      latestReplayResult: () => store.latestReplayResult(),
    };
    const report = async (source: ReportRecordSource) => {
      const before = { ...store.meter };
      const cpu = process.cpuUsage();
      const t = process.hrtime.bigint();
      const result = await yearReport(source);
      const ms = elapsedMs(t);
      const used = process.cpuUsage(cpu);
      return {
        ms,
        cpuMs: (used.user + used.system) / 1000,
        json: JSON.stringify(result),
        items: store.meter.items - before.items,
        bytes: store.meter.bytes - before.bytes,
        requests: store.meter.requests - before.requests,
      };
    };
    // The day summaries valid from their `stableThrough` alone, as before the summaries at a cut-off.
    const stableOnly: ReportRecordSource = { ...perCase, days: withoutCutoffSummaries(store) };
    const withoutSummaries = await report(perCase);
    // As a replay's day walk leaves them: day summaries, none at the cut-off.
    const building = await report(stableOnly);
    const withStableOnly = await report(stableOnly);
    // The first report at the cut-off after them: pending cases by id, and the summaries at the cut-off saved.
    const buildingAtCutoff = await report(store);
    const withSummaries = await report(store);
    const p = (line: string) => process.stdout.write(`${line}\n`);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    // In memory, the process's CPU time too (all its threads: the collector's included): the machine is shared.
    const cpu = (ms: number) => (inMemory ? ` (CPU ${formatMs(ms)})` : '');
    const line = (name: string, run: typeof withSummaries) =>
      `  ${name}: ${formatMs(run.ms)}${cpu(run.cpuMs)}, ${formatInt(run.items)} items (${mb(run.bytes)}) in ${formatInt(run.requests)} requests`;
    p(
      `\nYear report (${YEAR.from}..${YEAR.to}) at ${formatInt(cases)} cases (${mix} mix, aggregates seeded, ${where})`,
    );
    p(
      `  ${formatInt(seeded.seeded)} aggregates ${inMemory ? 'made and ' : ''}seeded in ${formatMs(seeded.loadMs)}; ` +
        `${formatInt(seeded.final)} final (summarizable), the others read by id`,
    );
    p(line('case by case (baseline)', withoutSummaries));
    p(
      inMemory
        ? `${line('first run, reading whole and saving the day summaries (none at the cut-off)', building)}; ${ratio(building.ms, withoutSummaries.ms)} the time`
        : line('first run, reading whole and saving the day summaries (none at the cut-off)', building),
    );
    const vs = (run: typeof withSummaries) =>
      `${ratio(run.ms, withoutSummaries.ms)} the time, ${ratio(run.items, withoutSummaries.items)} the items, ` +
      `${ratio(run.bytes, withoutSummaries.bytes)} the bytes`;
    p(
      `${line('by day summaries valid from stableThrough only (pending cases by id)', withStableOnly)}; ${vs(withStableOnly)}`,
    );
    p(
      `${line('first report at the cut-off: day summaries, pending cases by id, summaries at the cut-off saved', buildingAtCutoff)}; ` +
        vs(buildingAtCutoff),
    );
    p(`${line('by summaries at the cut-off', withSummaries)}; ${vs(withSummaries)}`);
    let same = [building, withStableOnly, buildingAtCutoff, withSummaries].every(
      (run) => run.json === withoutSummaries.json,
    );
    if (seeded.table !== undefined) {
      for (const [name, source] of [
        ['by day summaries valid from stableThrough only', stableOnly],
        ['by summaries at the cut-off', store],
      ] as const) {
        const again: number[] = [];
        const againCpu: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          const run = await report(source);
          same &&= run.json === withoutSummaries.json;
          again.push(run.ms);
          againCpu.push(run.cpuMs);
        }
        p(
          `  ${name}, median of 5 more: ${formatMs(median(again))} (${formatMs(Math.min(...again))}–` +
            `${formatMs(Math.max(...again))}; CPU ${formatMs(median(againCpu))}); ` +
            `${ratio(median(again), withoutSummaries.ms)} the baseline's time, ${ratio(median(againCpu), withoutSummaries.cpuMs)} its CPU`,
        );
      }
      await profileReport(seeded.table, () => yearReport(store), p);
    }
    const days = receiptDays(YEAR, NOW);
    const summaries = [...(await store.dayStates(days)).values()].flatMap((state) => state.summary ?? []);
    const atCutoff = [...(await store.dayStates(days, CUTOFF)).values()].flatMap(
      (state) => state.cutoffSummary ?? [],
    );
    const atSizes = atCutoff.map((summary) => gzipSync(JSON.stringify(summary)).byteLength);
    p(
      `  ${formatInt(atCutoff.length)} summaries at the cut-off, ${formatInt(atCutoff.reduce((n, s) => n + s.included, 0))} ` +
        `cases included; largest ${formatBytes(Math.max(0, ...atSizes))} gzipped, ` +
        `${formatBytes(atSizes.reduce((n, size) => n + size, 0))} in all`,
    );
    const sizes = summaries.map((summary) => gzipSync(JSON.stringify(summary)).byteLength);
    const largest = sizes.indexOf(Math.max(...sizes));
    p(
      `  ${formatInt(summaries.length)} day summaries, ${formatInt(summaries.reduce((n, s) => n + s.included, 0))} cases ` +
        `included; largest ${formatBytes(sizes[largest] ?? 0)} gzipped (${formatInt(summaries[largest]?.included ?? 0)} ` +
        `cases included, ${formatInt(summaries[largest]?.pending.length ?? 0)} pending)` +
        (inMemory
          ? `; ${formatBytes(sizes.reduce((n, size) => n + size, 0))} gzipped in all, ` +
            `${formatBytes(summaries.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0))} of JSON`
          : ''),
    );
    p(`  same report: ${same ? 'yes' : 'NO'}`);
    // What the audit API answers (a Lambda may answer 6 MB, API Gateway 10 MB), and gzipped for comparison.
    p(
      `  report.jsonBytes: ${formatBytes(Buffer.byteLength(withSummaries.json))}, gzipped ` +
        formatBytes(gzipSync(withSummaries.json).byteLength),
    );
    if (inMemory) {
      p(
        `  process peak RSS (the table of ${formatInt(cases)} aggregates in memory included): ` +
          formatBytes(process.resourceUsage().maxRSS * 1024),
      );
    }
  } finally {
    await seeded.stop();
  }
}

/** The auditor's report of 2025, asked on `NOW`. */
function yearReport(source: ReportRecordSource) {
  return serviceStatementReport(
    {
      reportSource: source,
      clock: { now: () => NOW },
      policy: loadSctPolicy(),
      calendars: bundledCalendars(),
      accessJournal: new InMemoryAccessJournal(),
    },
    AUDITOR,
    YEAR,
  );
}

/** Every function of the SDK's packages (a frame of `@smithy` or `@aws-sdk`). */
const SDK_FUNCTIONS: readonly string[] = ['@smithy:', '@aws-sdk:'];

/**
 * Where a report's CPU time goes: each profile sample counts for the first part with one of its functions on
 * the sample's stack (so nothing is counted twice), the rest apart.
 */
const PARTS_OF_A_REPORT: readonly { readonly name: string; readonly functions: readonly string[] }[] = [
  {
    name: "the table in memory answering (DynamoDB's side: not the Lambda's)",
    functions: ['in-memory-reports-table.ts:'],
  },
  {
    name: 'the SDK: requests marshalled, serialized and signed, answers parsed and unmarshalled',
    functions: SDK_FUNCTIONS,
  },
  {
    name: 'days read whole and summarized, facts included (buildDaySummary)',
    functions: ['buildDaySummary'],
  },
  { name: 'day summaries: gunzip, JSON.parse and digest (summaryOf)', functions: ['summaryOf'] },
  { name: 'aggregates read one by one: JSON.parse of their epochs (fromItem)', functions: ['fromItem'] },
  {
    name: 'their facts, folded (reportFactsFromRecord, addToTally)',
    functions: ['reportFactsFromRecord', 'addToTally'],
  },
  { name: 'tally merge (mergeTally, filterTally)', functions: ['mergeTally', 'filterTally'] },
  {
    name: 'figures from the tally (figureCountsFromTally, withCaseLinks)',
    functions: ['figureCountsFromTally', 'withCaseLinks'],
  },
  { name: 'garbage collection', functions: ['(garbage collector)'] },
  { name: 'idle (the I/O boundary of each request)', functions: ['(idle)'] },
];

/** Node's synchronous zlib call (`gunzipSync` is this wrapper): the gunzip within `summaryOf`. */
const GUNZIP = 'syncBufferWrapper';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

/**
 * Where the time of one more report by day summaries goes, under the V8 sampling profiler (a sample every
 * 100 µs): the time of each part (`PARTS_OF_A_REPORT`); then the live heap of another above what the process
 * held before it (garbage collected before it, at each of its requests and at its end).
 */
async function profileReport(
  table: InMemoryReportsTable,
  run: () => Promise<unknown>,
  p: (line: string) => void,
): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const begin = process.hrtime.bigint();
    await run();
    const profiledMs = elapsedMs(begin);
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    // The live heap: garbage collected at each request of one more report (slowed: not timed) and after it.
    await session.post('HeapProfiler.collectGarbage');
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const live = async () => {
      await session.post('HeapProfiler.collectGarbage');
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    table.onRequest = live;
    await run();
    await live();
    delete table.onRequest;
    p(
      `  live heap of one report by day summaries (garbage collected at each of its requests and at its end): ` +
        `${formatBytes(peak - before)} at most of those points above the ${formatBytes(before)} held before it ` +
        `(the table in memory)`,
    );
    const nodes = new Map<number, CpuProfileNode>(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    const partMs = PARTS_OF_A_REPORT.map(() => 0);
    let totalMs = 0;
    let gunzipMs = 0;
    samples.forEach((id, i) => {
      // A sample lasts until the next one.
      const ms = (deltas[i + 1] ?? 0) / 1000;
      totalMs += ms;
      // Each frame by its function's name, its file's (`file.ts:`, `@scope:` for a package) and both.
      const onStack = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at)?.callFrame;
        const file =
          /node_modules\/(@[^/]+)\//.exec(frame?.url ?? '')?.[1] ?? frame?.url.split('/').pop() ?? '';
        onStack.add(frame?.functionName ?? '');
        onStack.add(`${file}:`);
        onStack.add(`${file}:${frame?.functionName ?? ''}`);
      }
      const part = PARTS_OF_A_REPORT.findIndex(({ functions }) =>
        functions.some((name) => onStack.has(name)),
      );
      if (part >= 0) partMs[part]! += ms;
      if (onStack.has(GUNZIP) && onStack.has('summaryOf')) gunzipMs += ms;
    });
    p(
      `  where the time of one more report by day summaries goes (CPU profile, ${formatMs(profiledMs)} profiled):`,
    );
    const share = (ms: number) => `${formatMs(ms)} (${((100 * ms) / totalMs).toFixed(1)} %)`;
    PARTS_OF_A_REPORT.forEach((part, n) => {
      p(`    ${part.name}: ${share(partMs[n]!)}`);
      if (part.functions.includes('summaryOf')) p(`      of which gunzip: ${share(gunzipMs)}`);
    });
    const shown = partMs.reduce((sum, ms) => sum + ms, 0);
    p(`    the rest (the store's and the report's own steps, Node's): ${share(totalMs - shown)}`);
  } finally {
    session.disconnect();
  }
}
