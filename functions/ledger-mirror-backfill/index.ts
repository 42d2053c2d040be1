import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { LedgerMirrorBackfillEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { ledgerMirrorBackfillFunction } from './wiring';

const env = parseEnv(LedgerMirrorBackfillEnvSchema);
const client = documentClientOn(new DynamoDBClient({}));
const logger = createLogger('ledger-mirror-backfill');

/**
 * Lambda entry point of the ledger-mirror-backfill state machine's steps: reads the ledger (Scan for the case
 * list, Query and GetItem per case), reads and puts mirror objects (events, tamper records, execution
 * archives), lists and reads the case-lifecycle's closed executions, and writes the run's items of the reports
 * table.
 */
const handle = ledgerMirrorBackfillFunction({
  clients: { dynamo: client, s3: new S3Client({}), sfn: new SFNClient({}) },
  config: {
    tables: { ledger: env.LEDGER_TABLE_NAME, reports: env.REPORTS_TABLE_NAME },
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  now: () => new Date(),
  // The function times out at 15 minutes; a step stops starting pages after 10.
  stepBudgetMs: 10 * 60_000,
  logger: {
    info: (message, fields) => logger.info(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
  },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
