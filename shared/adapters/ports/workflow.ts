import type { SFNClient } from '@aws-sdk/client-sfn';

import { SfnWorkflow } from '../sfn/sfn-workflow';

/** The case-lifecycle state machine, started (and woken) per case generation. */
export function workflowOn(input: {
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
}): SfnWorkflow {
  return new SfnWorkflow({ client: input.sfn, stateMachineArn: input.stateMachineArn });
}
