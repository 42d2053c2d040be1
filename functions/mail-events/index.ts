import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { MailEventsEnvSchema, parseEnv } from '../../shared/schemas/env';
import { createMailEventsMetrics } from './metrics';
import { mailEventsFunction } from './wiring';

const env = parseEnv(MailEventsEnvSchema);
const logger = createLogger('mail-events');

/**
 * Lambda entry point of the mail events (the mail-events queue, fed by EventBridge with the SES events of the
 * stage's configuration set): environment checked and clients built once per container.
 */
const handle = mailEventsFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
  },
  config: { tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME } },
  logger,
  metrics: createMailEventsMetrics(),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
