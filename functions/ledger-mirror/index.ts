import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerItemReader } from '../../shared/adapters/dynamodb/ledger-item-reader';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { parseEnv } from '../../shared/schemas/env';
import { LedgerMirrorEnvSchema } from '../../shared/schemas/ledger-mirror';
import { makeHandler } from './handler';
import { createLedgerMirrorMetrics } from './metrics';

const env = parseEnv(LedgerMirrorEnvSchema);
const logger = createLogger('ledger-mirror');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Lambda entry point on the ledger table's stream: reads ledger items, writes the mirror bucket only. */
const handle = makeHandler({
  ledger: new DynamoDbLedgerItemReader({ client, tables: { ledger: env.LEDGER_TABLE_NAME } }),
  mirror: new S3WriteOnceStore({
    client: new S3Client({}),
    bucket: env.LEDGER_MIRROR_BUCKET,
    label: 'ledger-mirror',
  }),
  logger,
  metrics: createLedgerMirrorMetrics(),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
