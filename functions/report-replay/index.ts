import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbLedgerCasePages } from '../../shared/adapters/dynamodb/ledger-case-pages';
import { DynamoDbReportAggregates } from '../../shared/adapters/dynamodb/report-aggregates';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { ReportReplayEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { makeHandler } from './handler';

const env = parseEnv(ReportReplayEnvSchema);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const clock = { now: () => new Date() };
const logger = createLogger('report-replay');
const aggregates = new DynamoDbReportAggregates({
  client,
  tables: { reports: env.REPORTS_TABLE_NAME },
  clock,
});

/**
 * Lambda entry point of the report-replay state machine's steps: reads the ledger (Scan for the case list,
 * Query per case), reads and writes the reports table.
 */
const handle = makeHandler({
  ledger: new DynamoDbCaseLedger({
    client,
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
  }),
  pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: env.LEDGER_TABLE_NAME } }),
  store: aggregates,
  days: aggregates,
  calendars: bundledCalendars(),
  now: clock.now,
  // The function times out at 15 minutes; a step stops starting pages after 10.
  stepBudgetMs: 10 * 60_000,
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
