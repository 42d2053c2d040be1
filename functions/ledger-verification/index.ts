import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { LedgerVerificationEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { ledgerVerificationFunction } from './wiring';

const env = parseEnv(LedgerVerificationEnvSchema);
const client = documentClientOn(new DynamoDBClient({}));
const logger = createLogger('ledger-verification');

/**
 * Lambda entry point of the ledger-verification state machine's steps: reads the ledger (Scan for the case
 * list, Query per case, GetItem per digested head) and the cases' projections, reads the mirror bucket, reads
 * the digest key's public half, and writes the run's items of the reports table.
 */
const handle = ledgerVerificationFunction({
  clients: { dynamo: client, s3: new S3Client({}) },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME, reports: env.REPORTS_TABLE_NAME },
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
  },
  digestKey: { kms: new KMSClient({}), keyId: env.LEDGER_DIGEST_KEY_ID },
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
