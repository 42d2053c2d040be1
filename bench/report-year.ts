import { gzipSync } from 'node:zlib';

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReportAggregates, reportRecordItem } from '../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../shared/domain/access/access-journal';
import { loadSctPolicy } from '../shared/domain/policy';
import { caseReportRecord, receiptDays, serviceStatementReport, stableFrom } from '../shared/domain/report';
import type { CaseReportRecord, ReportRecordSource } from '../shared/domain/report';
import { bundledCalendars } from '../shared/domain/time';
import { startDynalite } from '../test/support/dynalite';
import { AUDITOR } from '../test/unit/commands/fixtures';
import { buildScenario } from '../test/unit/report/scenario';
import type { ReportYearMix } from './args';
import { copyRecord, mixHistories, mixKind } from './report-year-mix';
import { elapsedMs, formatBytes, formatInt, formatMs, ratio, runPool } from './stats';

const DAY_MS = 86_400_000;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
/** The report is asked after the year, once its cases have settled. */
const NOW = new Date('2026-03-02T14:00:00Z');

/**
 * Report aggregates of `cases` cases received across 2025, spread evenly over the year's days: copies of the
 * realistic kinds of case (`report-year-mix.ts`, most answered on time and closed, a few late or waiting; the
 * last two weeks' cases more often still waiting) or of the report's 12 scripted cases in turn
 * (`test/unit/report/scenario.ts`, built to exercise every indicator: two in three never final), under new
 * ids and references, moved by whole days (every instant and date).
 */
async function syntheticRecords(cases: number, mix: ReportYearMix): Promise<CaseReportRecord[]> {
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
  const out: CaseReportRecord[] = [];
  for (let i = 0; i < cases; i += 1) {
    const day = Math.floor((i * 365) / cases);
    const template = pick(i, day);
    out.push(
      copyRecord(
        template,
        `year-${String(i).padStart(6, '0')}`,
        `SCT-2025-${String(i).padStart(6, '0')}`,
        Date.parse('2025-01-01') + day * DAY_MS,
      ),
    );
  }
  return out;
}

/**
 * `npm run bench -- --only report-year [--report-year-cases N]`: the report of a whole year at N cases (200,000
 * by default) on dynalite, its aggregates seeded directly into the reports table (BatchWrite, no ledger): read
 * case by case (a Query per day) against read by day summaries (one item per settled day and its pending
 * cases), in the same run, with the items and bytes each read, whether both give the same report, and the
 * report JSON's size (`report.jsonBytes`).
 */
export async function benchReportYear(cases: number, mix: ReportYearMix = 'realistic'): Promise<void> {
  const dynamo = await startDynalite('bench');
  try {
    const records = await syntheticRecords(cases, mix);
    let begin = process.hrtime.bigint();
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
    const store = new DynamoDbReportAggregates({
      client: dynamo.client,
      tables: dynamo.tables,
      clock: { now: () => NOW },
      daySettleMs: 0,
    });
    const perCase: ReportRecordSource = {
      recordsFor: (period, asOf) => store.recordsFor(period, asOf),
      latestReplayResult: () => store.latestReplayResult(),
    };
    const report = async (source: ReportRecordSource) => {
      const before = { ...store.meter };
      const t = process.hrtime.bigint();
      const result = await serviceStatementReport(
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
      const ms = elapsedMs(t);
      return {
        ms,
        json: JSON.stringify(result),
        items: store.meter.items - before.items,
        bytes: store.meter.bytes - before.bytes,
        requests: store.meter.requests - before.requests,
      };
    };
    const withoutSummaries = await report(perCase);
    begin = process.hrtime.bigint();
    const building = await report(store);
    const withSummaries = await report(store);
    const p = (line: string) => process.stdout.write(`${line}\n`);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    const line = (name: string, run: typeof withSummaries) =>
      `  ${name}: ${formatMs(run.ms)}, ${formatInt(run.items)} items (${mb(run.bytes)}) in ${formatInt(run.requests)} requests`;
    p(
      `\nYear report (${YEAR.from}..${YEAR.to}) at ${formatInt(cases)} cases (${mix} mix, aggregates seeded, dynalite)`,
    );
    const final = records.filter((record) => stableFrom(record) !== undefined).length;
    p(
      `  ${formatInt(records.length)} aggregates seeded in ${formatMs(loadMs)}; ${formatInt(final)} final ` +
        `(summarizable), the others read by id`,
    );
    p(line('case by case (baseline)', withoutSummaries));
    p(line('first run, reading whole and saving the day summaries', building));
    p(
      `${line('by day summaries', withSummaries)}; ${ratio(withSummaries.ms, withoutSummaries.ms)} the time, ` +
        `${ratio(withSummaries.items, withoutSummaries.items)} the items, ${ratio(withSummaries.bytes, withoutSummaries.bytes)} the bytes`,
    );
    const summaries = [...(await store.dayStates(receiptDays(YEAR, NOW))).values()].flatMap((state) =>
      state.summary !== undefined ? [state.summary] : [],
    );
    const sizes = summaries.map((summary) => gzipSync(JSON.stringify(summary)).byteLength);
    const largest = sizes.indexOf(Math.max(...sizes));
    p(
      `  ${formatInt(summaries.length)} day summaries, ${formatInt(summaries.reduce((n, s) => n + s.included, 0))} cases ` +
        `included; largest ${formatBytes(sizes[largest] ?? 0)} gzipped (${formatInt(summaries[largest]?.included ?? 0)} ` +
        `cases included, ${formatInt(summaries[largest]?.pending.length ?? 0)} pending)`,
    );
    p(
      `  same report: ${withSummaries.json === withoutSummaries.json && building.json === withoutSummaries.json ? 'yes' : 'NO'}`,
    );
    // What the audit API answers (a Lambda may answer 6 MB, API Gateway 10 MB), and gzipped for comparison.
    p(
      `  report.jsonBytes: ${formatBytes(Buffer.byteLength(withSummaries.json))}, gzipped ` +
        formatBytes(gzipSync(withSummaries.json).byteLength),
    );
  } finally {
    await dynamo.stop();
  }
}
