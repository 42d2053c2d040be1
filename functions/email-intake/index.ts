import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { DynamoDbRateCounter } from '../../shared/adapters/dynamodb/rate-counter';
import { DynamoDbReplyAddressBook } from '../../shared/adapters/dynamodb/reply-addresses';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { SesNotifier } from '../../shared/adapters/ses/ses-notifier';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { SCT_EMAIL_ROUTING } from '../../shared/domain/intake/email/routing';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { parseEnv } from '../../shared/schemas/env';
import { EmailIntakeEnvSchema } from './env';
import { createEmailIntakeMetrics } from './metrics';
import { emailIntakeFunction } from './wiring';

const env = parseEnv(EmailIntakeEnvSchema);
const logger = createLogger('email-intake');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const policy = bundledSctPolicy();

/**
 * Lambda entry point of email intake (S3 object-created events of the raw-mail bucket): environment checked
 * and clients, policy and routing table built once per container.
 */
const handle = emailIntakeFunction({
  client: documentClient,
  tables: { cases: env.CASES_TABLE_NAME, holding: env.HOLDING_TABLE_NAME },
  s3: new S3Client({}),
  buckets: { rawMail: env.RAW_MAIL_BUCKET_NAME, attachments: env.ATTACHMENTS_BUCKET_NAME },
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  references: new DynamoDbReferenceAllocator({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
  }),
  workflow: new SfnWorkflow({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  clock: { now: () => new Date() },
  policy,
  replyAddresses: new DynamoDbReplyAddressBook({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: env.INTAKE_MAIL_DOMAIN },
  }),
  rateCounter: new DynamoDbRateCounter({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
  }),
  notifier: new SesNotifier({
    client: new SESv2Client({}),
    from: env.SENDER_ADDRESS,
    ...(env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
  }),
  settings: { intakeDomain: env.INTAKE_MAIL_DOMAIN, senderAddress: env.SENDER_ADDRESS },
  logger,
  metrics: createEmailIntakeMetrics(),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
