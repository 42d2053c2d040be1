import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger, DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { SecretsExtensionReader } from '../../shared/adapters/secrets/secrets-extension';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars } from '../../shared/domain/time';
import { parseEnv } from '../../shared/schemas/env';
import { FormIntakeEnvSchema, LambdaSessionEnvSchema } from '../../shared/schemas/form';
import { makeHandler } from './handler';
import { createFormIntakeMetrics } from './metrics';
import { readOnce } from './origin-verify';

const env = parseEnv(FormIntakeEnvSchema);
const logger = createLogger('form-intake');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const secrets = new SecretsExtensionReader({
  sessionToken: parseEnv(LambdaSessionEnvSchema).AWS_SESSION_TOKEN,
  ...(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT !== undefined
    ? { port: env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT }
    : {}),
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
  policy: loadSctPolicy(),
  calendars: bundledCalendars(),
  metrics: createFormIntakeMetrics(),
  logger,
  // The secret is read on the container's first request, then kept for its life (a failed read is retried).
  originCheck: {
    mode: 'required',
    expected: readOnce(() => secrets.secretString(env.ORIGIN_VERIFY_SECRET_ARN)),
  },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
