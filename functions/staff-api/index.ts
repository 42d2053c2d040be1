import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { DynamoDbReplyAddressBook } from '../../shared/adapters/dynamodb/reply-addresses';
import { loggedStaffDirectory } from '../../shared/adapters/dynamodb/staff-directory';
import { S3LetterStore } from '../../shared/adapters/s3';
import { PdfkitLetterRenderer } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { SesNotifier } from '../../shared/adapters/ses/ses-notifier';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { SCT_EMAIL_ROUTING } from '../../shared/domain/intake/email/routing';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { parseEnv } from '../../shared/schemas/env';
import { StaffApiEnvSchema } from '../../shared/schemas/staff-api';
import { createStaffApiMetrics } from './metrics';
import { staffApiFunction } from './wiring';

const env = parseEnv(StaffApiEnvSchema);
const logger = createLogger('staff-api');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

const s3 = new S3Client({});

/** Lambda entry point of the staff API (clients and policy built once per container). */
const handle = staffApiFunction({
  client: documentClient,
  tables: { cases: env.CASES_TABLE_NAME, control: env.CONTROL_TABLE_NAME },
  s3,
  // Signed with the function's role: a link reads what the role may read (`s3:GetObject` on the attachments).
  buckets: { attachments: env.ATTACHMENTS_BUCKET_NAME },
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  notifier: new SesNotifier({
    client: new SESv2Client({}),
    from: env.SENDER_ADDRESS,
    ...(env.SES_CONFIGURATION_SET !== undefined ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
  }),
  replyAddresses: new DynamoDbReplyAddressBook({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: env.INTAKE_MAIL_DOMAIN },
  }),
  letters: {
    renderer: new PdfkitLetterRenderer(),
    store: new S3LetterStore({ client: s3, bucket: env.LETTERS_BUCKET_NAME }),
  },
  clock: { now: () => new Date() },
  policy: bundledSctPolicy(),
  calendars: bundledCalendars(),
  logger,
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
  directory: loggedStaffDirectory({
    client: documentClient,
    tables: { staff: env.STAFF_TABLE_NAME },
    logger,
  }),
  intake: {
    references: new DynamoDbReferenceAllocator({
      client: documentClient,
      tables: { control: env.CONTROL_TABLE_NAME },
    }),
    workflow: new SfnWorkflow({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
    metrics: createStaffApiMetrics(),
  },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
