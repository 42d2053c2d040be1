import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerScanner, DynamoDbReportAggregates } from '../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../shared/domain/access/access-journal';
import type { LedgerEvent } from '../shared/domain/ledger';
import { loadSctPolicy } from '../shared/domain/policy';
import {
  EMPTY_TALLY,
  LedgerReportSource,
  replayReportAggregates,
  serviceStatementReport,
} from '../shared/domain/report';
import type { ReportCaseSource, ReportRecordSource } from '../shared/domain/report';
import { bundledCalendars } from '../shared/domain/time';
import { startDynalite } from '../test/support/dynalite';
import { AUDITOR } from '../test/unit/commands/fixtures';
import { buildScenario } from '../test/unit/report/scenario';
import { elapsedMs, formatInt, formatMs, median, ratio, runPool } from './stats';

const DAY_MS = 86_400_000;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z/g;
const ISO_DATE = /"(\d{4}-\d{2}-\d{2})"/g;

/**
 * The histories of the report's scripted month (`test/unit/report/scenario.ts`: 12 cases through the real
 * intake, staff commands and workflow steps), copied `cases / 12` times under new case ids, each copy moved
 * by whole weeks across 2025–2026 (every instant and date of its events), so the ledger holds a year of cases
 * of every kind the report counts.
 */
async function syntheticLedger(cases: number): Promise<LedgerEvent[][]> {
  const templates = await (await buildScenario()).histories();
  const out: LedgerEvent[][] = [];
  for (let n = 0; out.length < cases; n += 1) {
    const shift = (n % 52) * 7 * DAY_MS - 52 * 7 * DAY_MS + (n % 2) * 52 * 7 * DAY_MS;
    for (const template of templates) {
      if (out.length >= cases) break;
      const caseId = `bench-${String(out.length).padStart(6, '0')}`;
      const json = JSON.stringify(template)
        .replace(ISO_INSTANT, (instant) => new Date(Date.parse(instant) + shift).toISOString())
        .replace(
          ISO_DATE,
          (_all, date: string) => `"${new Date(Date.parse(date) + shift).toISOString().slice(0, 10)}"`,
        )
        .replaceAll(template[0]!.caseId, caseId);
      out.push(JSON.parse(json) as LedgerEvent[]);
    }
  }
  return out;
}

/**
 * `npm run bench -- --only report [--report-cases N]`: the service-statement report of one month at N cases
 * (20,000 by default) on dynalite, from the report aggregates (`DynamoDbReportAggregates`: a Query per day of
 * the month and the open cases) against the ledger pass (`LedgerReportSource`: a Scan of the whole ledger) in
 * the same run, as the baseline; and the full replay (every case recomputed from a ledger Scan, compared with
 * its aggregate).
 */
export async function benchReport(cases: number): Promise<void> {
  const dynamo = await startDynalite('bench');
  try {
    const histories = await syntheticLedger(cases);
    const events = histories.flat();
    const started = process.hrtime.bigint();
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < events.length; i += 25) batches.push(events.slice(i, i + 25) as never);
    await runPool(batches, 8, (batch) =>
      dynamo.client.send(
        new BatchWriteCommand({
          RequestItems: { [dynamo.tables.ledger]: batch.map((item) => ({ PutRequest: { Item: item } })) },
        }),
      ),
    );
    const loadMs = elapsedMs(started);
    const scanner = new DynamoDbLedgerScanner({ client: dynamo.client, tables: dynamo.tables });
    const aggregates = new DynamoDbReportAggregates({
      client: dynamo.client,
      tables: dynamo.tables,
      clock: { now: () => new Date('2026-12-31T12:00:00Z') },
    });
    const byCase = new Map(histories.map((h) => [h[0]!.caseId, h]));
    const ledger = { read: async (caseId: string) => byCase.get(caseId) ?? [] };

    // The full replay on empty aggregates builds them all (every case a difference), then checks them.
    let begin = process.hrtime.bigint();
    const built = await replayReportAggregates(
      { ledger, store: aggregates },
      new LedgerReportSource(scanner).caseHistories(),
      EMPTY_TALLY,
    );
    const buildMs = elapsedMs(begin);
    begin = process.hrtime.bigint();
    const checked = await replayReportAggregates(
      { ledger, store: aggregates },
      new LedgerReportSource(scanner).caseHistories(),
      EMPTY_TALLY,
    );
    const replayMs = elapsedMs(begin);

    const period = { from: '2026-03-01', to: '2026-03-31' };
    const report = async (source: ReportCaseSource | ReportRecordSource) => {
      const t = process.hrtime.bigint();
      const result = await serviceStatementReport(
        {
          reportSource: source,
          clock: { now: () => new Date('2026-06-01T14:00:00Z') },
          policy: loadSctPolicy(),
          calendars: bundledCalendars(),
          accessJournal: new InMemoryAccessJournal(),
        },
        AUDITOR,
        period,
      );
      return { ms: elapsedMs(t), result };
    };
    const ledgerRun = await report(new LedgerReportSource(scanner));
    const fromAggregates: number[] = [];
    let last: Awaited<ReturnType<typeof report>> | undefined;
    for (let i = 0; i < 5; i += 1) {
      last = await report(aggregates);
      fromAggregates.push(last.ms);
    }
    const same =
      JSON.stringify({ ...ledgerRun.result, source: null }) ===
      JSON.stringify({ ...last!.result, source: null });
    const p = (line: string) => process.stdout.write(`${line}\n`);
    p(
      `\nService-statement report at ${formatInt(cases)} cases (${formatInt(events.length)} ledger events, dynalite)`,
    );
    p(`  ledger loaded in ${formatMs(loadMs)}`);
    p(
      `  report of ${period.from}..${period.to}, ledger pass (baseline): ${formatMs(ledgerRun.ms)} ` +
        `(${formatInt(ledgerRun.result.source.casesRead)} cases read)`,
    );
    p(
      `  report from aggregates: median ${formatMs(median(fromAggregates))} of 5 ` +
        `(${formatInt(last!.result.source.casesRead)} cases read), ${ratio(median(fromAggregates), ledgerRun.ms)} the ledger pass; ` +
        `same figures: ${same ? 'yes' : 'NO'}`,
    );
    p(
      `  full replay building every aggregate: ${formatMs(buildMs)} (${formatInt(built.cases)} cases, ${formatInt(built.differences)} written)`,
    );
    p(
      `  full replay checking them: ${formatMs(replayMs)} (${formatInt(checked.cases)} cases, ` +
        `${formatInt(checked.differences)} differences)`,
    );
  } finally {
    await dynamo.stop();
  }
}
