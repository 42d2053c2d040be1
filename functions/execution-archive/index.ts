import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { parseEnv } from '../../shared/schemas/env';
import { ExecutionArchiveEnvSchema } from '../../shared/schemas/execution-archive';
import { executionArchiveFunction } from './wiring';

const env = parseEnv(ExecutionArchiveEnvSchema);
const logger = createLogger('execution-archive');

/** Lambda entry point on the EventBridge rule: reads the closed execution, writes its archive only. */
const handle = executionArchiveFunction({
  clients: { s3: new S3Client({}), sfn: new SFNClient({}) },
  config: {
    stateMachineArn: env.STATE_MACHINE_ARN,
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
  },
  logger,
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
