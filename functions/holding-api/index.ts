import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { loggedStaffDirectory } from '../../shared/adapters/dynamodb/staff-directory';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { parseEnv } from '../../shared/schemas/env';
import { HoldingApiEnvSchema } from '../../shared/schemas/holding-api';
import { holdingApiFunction } from './wiring';

const env = parseEnv(HoldingApiEnvSchema);
const logger = createLogger('holding-api');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Lambda entry point of the holding-pen API (clients and policy built once per container). */
const handle = holdingApiFunction({
  client,
  tables: { cases: env.CASES_TABLE_NAME, holding: env.HOLDING_TABLE_NAME },
  s3: new S3Client({}),
  buckets: { rawMail: env.RAW_MAIL_BUCKET_NAME, attachments: env.ATTACHMENTS_BUCKET_NAME },
  ledger: new DynamoDbCaseLedger({
    client,
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  references: new DynamoDbReferenceAllocator({ client, tables: { control: env.CONTROL_TABLE_NAME } }),
  workflow: new SfnWorkflow({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  clock: { now: () => new Date() },
  policy: bundledSctPolicy(),
  // Names only (no notification groups): who triaged a held email.
  directory: loggedStaffDirectory({ client, tables: { staff: env.STAFF_TABLE_NAME }, logger }),
  logger,
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
