import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbRateCounter } from '../../shared/adapters/dynamodb/rate-counter';
import { DynamoDbReplyAddressBook } from '../../shared/adapters/dynamodb/reply-addresses';
import { loggedStaffDirectory } from '../../shared/adapters/dynamodb/staff-directory';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { PdfkitLetterRenderer } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import { S3LetterStore } from '../../shared/adapters/s3';
import { SesNotifier } from '../../shared/adapters/ses/ses-notifier';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { SCT_EMAIL_ROUTING } from '../../shared/domain/intake/email/routing';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { parseEnv, WorkflowTasksEnvSchema } from '../../shared/schemas/env';
import { workflowTasksFunction } from './wiring';

const env = parseEnv(WorkflowTasksEnvSchema);
const logger = createLogger('workflow-tasks');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

const taskHandler = workflowTasksFunction({
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  notifier: new SesNotifier({
    client: new SESv2Client({}),
    from: env.SENDER_ADDRESS,
    ...(env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
  }),
  replyAddresses: new DynamoDbReplyAddressBook({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: env.INTAKE_MAIL_DOMAIN },
  }),
  rateCounter: new DynamoDbRateCounter({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
  }),
  directory: loggedStaffDirectory({
    client: documentClient,
    tables: { staff: env.STAFF_TABLE_NAME },
    logger,
  }),
  clock: { now: () => new Date() },
  policy: bundledSctPolicy(),
  calendars: bundledCalendars(),
  staffBaseUrl: env.STAFF_BASE_URL,
  workflow: new SfnWorkflow({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  letters: {
    renderer: new PdfkitLetterRenderer(),
    store: new S3LetterStore({ client: new S3Client({}), bucket: env.LETTERS_BUCKET_NAME }),
  },
});

/** Step Functions task entry point: errors propagate (with their names) to the state machine's Retry/Catch. */
const handleTask = async (event: unknown): Promise<unknown> => {
  const task =
    typeof event === 'object' && event !== null && 'task' in event ? String(event.task) : 'unknown';
  try {
    return await taskHandler(event);
  } catch (error) {
    logger.error('workflow task failed', {
      task,
      errorName: error instanceof Error ? error.name : 'unknown',
    });
    throw error;
  }
};

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handleTask);
