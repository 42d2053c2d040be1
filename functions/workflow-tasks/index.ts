import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { parseEnv, WorkflowTasksEnvSchema } from '../../shared/schemas/env';
import { workflowTasksFunction } from './wiring';

const env = parseEnv(WorkflowTasksEnvSchema);
const logger = createLogger('workflow-tasks');

const taskHandler = workflowTasksFunction({
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
      staff: env.STAFF_TABLE_NAME,
    },
    buckets: { letters: env.LETTERS_BUCKET_NAME },
    sender: { address: env.SENDER_ADDRESS, configurationSet: env.SES_CONFIGURATION_SET },
    intakeDomain: env.INTAKE_MAIL_DOMAIN,
    stateMachineArn: env.STATE_MACHINE_ARN,
    staffBaseUrl: env.STAFF_BASE_URL,
  },
  logger,
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
