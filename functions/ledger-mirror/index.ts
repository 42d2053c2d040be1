import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { parseEnv } from '../../shared/schemas/env';
import { LedgerMirrorEnvSchema } from '../../shared/schemas/ledger-mirror';
import { createLedgerMirrorMetrics } from './metrics';
import { ledgerMirrorFunction } from './wiring';

const env = parseEnv(LedgerMirrorEnvSchema);
const logger = createLogger('ledger-mirror');

/** Lambda entry point on the ledger table's stream: reads ledger items, writes the mirror bucket only. */
const handle = ledgerMirrorFunction({
  clients: { dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})), s3: new S3Client({}) },
  config: {
    tables: { ledger: env.LEDGER_TABLE_NAME },
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
  },
  logger,
  metrics: createLedgerMirrorMetrics(),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
