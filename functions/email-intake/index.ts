import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { parseEnv } from '../../shared/schemas/env';
import { EmailIntakeEnvSchema } from './env';
import { createEmailIntakeMetrics } from './metrics';
import { emailIntakeFunction } from './wiring';

const env = parseEnv(EmailIntakeEnvSchema);
const logger = createLogger('email-intake');

/**
 * Lambda entry point of email intake (S3 object-created events of the raw-mail bucket): environment checked
 * and clients, policy and routing table built once per container.
 */
const handle = emailIntakeFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    s3: new S3Client({}),
    ses: new SESv2Client({}),
    sfn: new SFNClient({}),
  },
  config: {
    tables: {
      cases: env.CASES_TABLE_NAME,
      ledger: env.LEDGER_TABLE_NAME,
      control: env.CONTROL_TABLE_NAME,
      holding: env.HOLDING_TABLE_NAME,
    },
    buckets: { rawMail: env.RAW_MAIL_BUCKET_NAME, attachments: env.ATTACHMENTS_BUCKET_NAME },
    sender: { address: env.SENDER_ADDRESS, configurationSet: env.SES_CONFIGURATION_SET },
    intakeDomain: env.INTAKE_MAIL_DOMAIN,
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  logger,
  metrics: createEmailIntakeMetrics(),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
