import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { parseEnv } from '../../shared/schemas/env';
import { FormIntakeEnvSchema } from '../../shared/schemas/form';
import { makeHandler } from './handler';
import { createFormIntakeMetrics } from './metrics';

const env = parseEnv(FormIntakeEnvSchema);
const logger = createLogger('form-intake');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * Lambda entry point of `POST /api/requests` (clients and policy built once per container). No rate limiter:
 * in AWS the WAF rate-based rule limits submissions per IP address across every container.
 */
const handle = makeHandler({
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
  policy: bundledSctPolicy(),
  calendars: bundledCalendars(),
  metrics: createFormIntakeMetrics(),
  logger,
  // The secret is read on the container's first request, then kept for its life (a failed read is retried).
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
