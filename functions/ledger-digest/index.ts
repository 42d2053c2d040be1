import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { LedgerDigestEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { ledgerDigestFunction } from './wiring';

const env = parseEnv(LedgerDigestEnvSchema);
const logger = createLogger('ledger-digest');

/**
 * Lambda entry point of the daily ledger digest: scans the cases table for the heads, signs with the KMS key
 * and puts the digest and its signature under `digests/` of the mirror bucket.
 */
const handle = ledgerDigestFunction({
  clients: { dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})), s3: new S3Client({}) },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
  },
  digestKey: { kms: new KMSClient({}), keyId: env.LEDGER_DIGEST_KEY_ID },
  now: () => new Date(),
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
