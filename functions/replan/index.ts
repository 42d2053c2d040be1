import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { parseEnv, ReplanEnvSchema } from '../../shared/schemas/env';
import { replanFunction } from './wiring';

const env = parseEnv(ReplanEnvSchema);
const logger = createLogger('replan');

/** EventBridge schedule (daily) or a manual invocation; the event's content is not used. */
const handle = replanFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    sfn: new SFNClient({}),
  },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME },
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  logger: {
    info: (message, fields) => logger.info(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
  },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
