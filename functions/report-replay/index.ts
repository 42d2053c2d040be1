import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { ReportReplayEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { reportReplayFunction } from './wiring';

const env = parseEnv(ReportReplayEnvSchema);
const logger = createLogger('report-replay');

/**
 * Lambda entry point of the report-replay state machine's steps: reads the ledger (Scan for the case list,
 * Query per case), reads and writes the reports table.
 */
const handle = reportReplayFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
  },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME, reports: env.REPORTS_TABLE_NAME },
  },
  now: () => new Date(),
  // The function times out at 15 minutes; a step stops starting pages after 10.
  stepBudgetMs: 10 * 60_000,
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
