import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { parseEnv } from '../../shared/schemas/env';
import { StaffApiEnvSchema } from '../../shared/schemas/staff-api';
import { createStaffApiMetrics } from './metrics';
import { staffApiFunction } from './wiring';

const env = parseEnv(StaffApiEnvSchema);
const logger = createLogger('staff-api');

/** Lambda entry point of the staff API (clients and policy built once per container). */
const handle = staffApiFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    // Signed with the function's role: a link reads what the role may read (`s3:GetObject` on the attachments).
    s3: new S3Client({}),
    ses: new SESv2Client({}),
    sfn: new SFNClient({}),
  },
  config: {
    tables: {
      cases: env.CASES_TABLE_NAME,
      ledger: env.LEDGER_TABLE_NAME,
      control: env.CONTROL_TABLE_NAME,
      staff: env.STAFF_TABLE_NAME,
    },
    buckets: { attachments: env.ATTACHMENTS_BUCKET_NAME, letters: env.LETTERS_BUCKET_NAME },
    sender: { address: env.SENDER_ADDRESS, configurationSet: env.SES_CONFIGURATION_SET },
    intakeDomain: env.INTAKE_MAIL_DOMAIN,
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  logger,
  metrics: createStaffApiMetrics(),
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
