import { randomUUID } from 'node:crypto';

import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';

/**
 * Starts a state machine whose runs go one at a time (the report replay, the ledger verification): a run is an
 * execution (its name is the run id, its start the run's `startedAt`, which the machine itself stores with the
 * result). While one runs, a start returns it rather than starting another. Two starts at the same instant may
 * both start one: harmless for these jobs (each reads and compares the same way; the later result stays).
 */
export class SfnSingleRunStarter {
  constructor(
    private readonly options: {
      readonly client: SFNClient;
      readonly stateMachineArn: string;
      /** Injected for tests; default a random UUID. */
      readonly newRunId?: () => string;
    },
  ) {}

  async start(): Promise<{ readonly runId: string; readonly startedAt: string }> {
    const { client, stateMachineArn } = this.options;
    const running = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }),
    );
    const current = running.executions?.[0];
    if (current?.name !== undefined && current.startDate !== undefined) {
      return { runId: current.name, startedAt: current.startDate.toISOString() };
    }
    const runId = (this.options.newRunId ?? randomUUID)();
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: runId, input: '{}' }),
    );
    return { runId, startedAt: (started.startDate ?? new Date()).toISOString() };
  }
}
