import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { ReportAggregatesEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { reportAggregatesFunction } from './wiring';

const env = parseEnv(ReportAggregatesEnvSchema);
const logger = createLogger('report-aggregates');

/** Lambda entry point on the ledger table's stream: reads the ledger, writes the reports table only. */
const handle = reportAggregatesFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
  },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME, reports: env.REPORTS_TABLE_NAME },
  },
  logger: { warn: (message, fields) => logger.warn(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
