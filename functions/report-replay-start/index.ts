import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { ReportReplayStartEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { reportReplayStartFunction } from './wiring';

const env = parseEnv(ReportReplayStartEnvSchema);
const logger = createLogger('report-replay-start');

/**
 * Lambda entry point on the report-aggregates failure queue and the deployment's trigger: lists and starts
 * executions of the report-replay state machine, nothing else.
 */
const handle = reportReplayStartFunction({
  clients: { sfn: new SFNClient({}) },
  config: { reportReplayStateMachineArn: env.REPORT_REPLAY_STATE_MACHINE_ARN },
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
