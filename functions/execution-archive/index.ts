import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { parseEnv } from '../../shared/schemas/env';
import { ExecutionArchiveEnvSchema } from '../../shared/schemas/execution-archive';
import { makeHandler } from './handler';

const env = parseEnv(ExecutionArchiveEnvSchema);
const logger = createLogger('execution-archive');

/** Lambda entry point on the EventBridge rule: reads the closed execution, writes its archive only. */
const handle = makeHandler({
  executions: new SfnExecutionHistory({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  archive: new S3WriteOnceStore({
    client: new S3Client({}),
    bucket: env.LEDGER_MIRROR_BUCKET,
    label: 'ledger-mirror',
  }),
  stateMachineArn: env.STATE_MACHINE_ARN,
  logger,
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
