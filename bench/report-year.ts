import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReportAggregates, reportRecordItem } from '../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../shared/domain/access/access-journal';
import { loadSctPolicy } from '../shared/domain/policy';
import { caseReportRecord, serviceStatementReport, stableFrom } from '../shared/domain/report';
import type { CaseReportRecord, ReportRecordSource } from '../shared/domain/report';
import { bundledCalendars } from '../shared/domain/time';
import { startDynalite } from '../test/support/dynalite';
import { AUDITOR } from '../test/unit/commands/fixtures';
import { buildScenario } from '../test/unit/report/scenario';
import { elapsedMs, formatInt, formatMs, ratio, runPool } from './stats';

const DAY_MS = 86_400_000;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z/g;
const ISO_DATE = /"(\d{4}-\d{2}-\d{2})"/g;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
/** The report is asked after the year, once its cases have settled. */
const NOW = new Date('2026-03-02T14:00:00Z');

/**
 * Report aggregates of `cases` cases received across 2025: the aggregates of the report's 12 scripted cases
 * (`test/unit/report/scenario.ts`), copied under new ids and moved by whole days (every instant and date),
 * spread evenly over the year's days.
 */
async function syntheticRecords(cases: number): Promise<CaseReportRecord[]> {
  const templates = (await (await buildScenario()).histories()).map((events) => caseReportRecord(events)!);
  const out: CaseReportRecord[] = [];
  for (let i = 0; i < cases; i += 1) {
    const template = templates[i % templates.length]!;
    const day = Math.floor((i * 365) / cases);
    const shift = Date.parse(`2025-01-01`) + day * DAY_MS - Date.parse(template.receivedDay);
    const caseId = `year-${String(i).padStart(6, '0')}`;
    const json = JSON.stringify(template)
      .replace(ISO_INSTANT, (instant) => new Date(Date.parse(instant) + shift).toISOString())
      .replace(
        ISO_DATE,
        (_all, date: string) => `"${new Date(Date.parse(date) + shift).toISOString().slice(0, 10)}"`,
      )
      .replaceAll(template.caseId, caseId);
    out.push(JSON.parse(json) as CaseReportRecord);
  }
  return out;
}

/**
 * `npm run bench -- --only report-year [--report-year-cases N]`: the report of a whole year at N cases (200,000
 * by default) on dynalite, its aggregates seeded directly into the reports table (BatchWrite, no ledger): read
 * case by case (a Query per day) against read by day summaries (one item per settled day and its pending
 * cases), in the same run, with the items and bytes each read, and whether both give the same report.
 */
export async function benchReportYear(cases: number): Promise<void> {
  const dynamo = await startDynalite('bench');
  try {
    const records = await syntheticRecords(cases);
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
    p(`\nYear report (${YEAR.from}..${YEAR.to}) at ${formatInt(cases)} cases (aggregates seeded, dynalite)`);
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
    p(
      `  same report: ${withSummaries.json === withoutSummaries.json && building.json === withoutSummaries.json ? 'yes' : 'NO'}`,
    );
  } finally {
    await dynamo.stop();
  }
}
