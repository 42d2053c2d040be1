import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { parseEnv } from '../../shared/schemas/env';
import { FormIntakeEnvSchema } from '../../shared/schemas/form';
import { createFormIntakeMetrics } from './metrics';
import { formIntakeFunction } from './wiring';

const env = parseEnv(FormIntakeEnvSchema);
const logger = createLogger('form-intake');

/**
 * Lambda entry point of `POST /api/requests` (clients and policy built once per container). No rate limiter:
 * in AWS the WAF rate-based rule limits submissions per IP address across every container.
 */
const handle = formIntakeFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    sfn: new SFNClient({}),
  },
  config: {
    tables: { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME, control: env.CONTROL_TABLE_NAME },
    stateMachineArn: env.STATE_MACHINE_ARN,
  },
  metrics: createFormIntakeMetrics(),
  logger,
  // The secret is read on the container's first request, then kept for its life (a failed read is retried).
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
