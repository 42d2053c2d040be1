import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { parseEnv } from '../../shared/schemas/env';
import { HoldingApiEnvSchema } from '../../shared/schemas/holding-api';
import { holdingApiFunction } from './wiring';

const env = parseEnv(HoldingApiEnvSchema);
const logger = createLogger('holding-api');

/** Lambda entry point of the holding-pen API (clients and policy built once per container). */
const handle = holdingApiFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    s3: new S3Client({}),
    sfn: new SFNClient({}),
  },
  config: {
    tables: {
      cases: env.CASES_TABLE_NAME,
      ledger: env.LEDGER_TABLE_NAME,
      control: env.CONTROL_TABLE_NAME,
      holding: env.HOLDING_TABLE_NAME,
      staff: env.STAFF_TABLE_NAME,
    },
    buckets: { rawMail: env.RAW_MAIL_BUCKET_NAME, attachments: env.ATTACHMENTS_BUCKET_NAME },
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  logger,
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
