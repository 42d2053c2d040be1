import type { SFNClient } from '@aws-sdk/client-sfn';

import { SfnReportReplayStarter } from '../../shared/adapters/sfn/report-replay-starter';
import { makeHandler } from './handler';
import type { ReportReplayStartDeps } from './handler';

/** What the replay starter is deployed with (its Lambda's environment). */
export interface ReportReplayStartConfig {
  readonly reportReplayStateMachineArn: string;
}

/** The replay starter's handler with its one port, composed in one place: the report-replay state machine. */
export function reportReplayStartFunction(
  input: Pick<ReportReplayStartDeps, 'logger'> & {
    readonly clients: { readonly sfn: SFNClient };
    readonly config: ReportReplayStartConfig;
  },
) {
  return makeHandler({
    replay: new SfnReportReplayStarter({
      client: input.clients.sfn,
      stateMachineArn: input.config.reportReplayStateMachineArn,
    }),
    logger: input.logger,
  });
}
