import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';

import type { ClosedExecutionPages } from '../../domain/audit/mirror-backfill';
import type { ClosedExecutionStatus } from '../../domain/audit/execution-archive';

/**
 * `ClosedExecutionPages` on Step Functions: `ListExecutions` of one state machine filtered by a closed status,
 * 1,000 a page (the most it answers), resumable at its `nextToken`. Needs `states:ListExecutions` on the state
 * machine alone.
 */
export class SfnClosedExecutionPages implements ClosedExecutionPages {
  constructor(private readonly options: { readonly client: SFNClient; readonly stateMachineArn: string }) {}

  async closedPage(
    status: ClosedExecutionStatus,
    token: string | undefined,
  ): Promise<{ readonly names: readonly string[]; readonly next?: string }> {
    const output = await this.options.client.send(
      new ListExecutionsCommand({
        stateMachineArn: this.options.stateMachineArn,
        statusFilter: status,
        maxResults: 1000,
        ...(token !== undefined ? { nextToken: token } : {}),
      }),
    );
    const names = (output.executions ?? []).flatMap((execution) =>
      execution.name === undefined ? [] : [execution.name],
    );
    return { names, ...(output.nextToken !== undefined ? { next: output.nextToken } : {}) };
  }
}
