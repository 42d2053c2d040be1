import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerScanner } from '../../shared/adapters/dynamodb/ledger-scanner';
import { KmsDigestSigner } from '../../shared/adapters/kms/kms-digest-signer';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { S3LedgerDigestStore } from '../../shared/adapters/s3';
import { LedgerDigestEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { makeHandler } from './handler';

const env = parseEnv(LedgerDigestEnvSchema);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const logger = createLogger('ledger-digest');
const scanner = new DynamoDbLedgerScanner({
  client,
  tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
});

/**
 * Lambda entry point of the daily ledger digest: scans the cases table for the heads, signs with the KMS key
 * and puts the digest and its signature under `digests/` of the mirror bucket.
 */
const handle = makeHandler({
  heads: () => scanner.projectionHeadPages(),
  signer: new KmsDigestSigner({ client: new KMSClient({}), keyId: env.LEDGER_DIGEST_KEY_ID }),
  store: new S3LedgerDigestStore({ client: new S3Client({}), bucket: env.LEDGER_MIRROR_BUCKET }),
  now: () => new Date(),
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
