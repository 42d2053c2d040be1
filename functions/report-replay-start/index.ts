import { SFNClient } from '@aws-sdk/client-sfn';

import { SfnReportReplayStarter } from '../../shared/adapters/sfn/report-replay-starter';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { ReportReplayStartEnvSchema } from '../../shared/schemas/audit-env';
import { parseEnv } from '../../shared/schemas/env';
import { makeHandler } from './handler';

const env = parseEnv(ReportReplayStartEnvSchema);
const logger = createLogger('report-replay-start');

/**
 * Lambda entry point on the report-aggregates failure queue and the deployment's trigger: lists and starts
 * executions of the report-replay state machine, nothing else.
 */
const handle = makeHandler({
  replay: new SfnReportReplayStarter({
    client: new SFNClient({}),
    stateMachineArn: env.REPORT_REPLAY_STATE_MACHINE_ARN,
  }),
  logger: { info: (message, fields) => logger.info(message, fields) },
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
