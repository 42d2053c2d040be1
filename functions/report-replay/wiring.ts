import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerCasePages } from '../../shared/adapters/dynamodb/ledger-case-pages';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { reportAggregatesOn } from '../../shared/adapters/ports/report-aggregates';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { makeHandler } from './handler';
import type { ReportReplayHandlerDeps } from './handler';

/** What the report replay is deployed with (its Lambda's environment). */
export interface ReportReplayConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'reports'>;
}

/**
 * The report-replay steps' handler with its ports, composed in one place: the ledger (read only) and its
 * case pages, the reports table (aggregates and day summaries), the bundled calendars. The local stack runs
 * the replay in its process (`LocalReportReplay`) on the same builder of the reports table.
 */
export function reportReplayFunction(
  input: Pick<ReportReplayHandlerDeps, 'now' | 'stepBudgetMs' | 'logger'> & {
    readonly clients: { readonly dynamo: DynamoDBDocumentClient };
    readonly config: ReportReplayConfig;
  },
) {
  const { clients, config, ...rest } = input;
  const client = clients.dynamo;
  const { tables } = config;
  const aggregates = reportAggregatesOn({ client, tables, clock: { now: () => rest.now() } });
  return makeHandler({
    ...rest,
    ledger: caseLedgerOn({ client, tables }),
    pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: tables.ledger } }),
    store: aggregates,
    days: aggregates,
    calendars: bundledCalendars(),
  });
}
