import { randomUUID } from 'node:crypto';

import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionStatus, SFNClient } from '@aws-sdk/client-sfn';

import type { RunExecutionStatus } from '../../domain/audit/job-run-liveness';

const RUN_STATUS: Readonly<Record<ExecutionStatus, RunExecutionStatus>> = {
  RUNNING: 'running',
  // A redriven execution runs again.
  PENDING_REDRIVE: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timed-out',
  ABORTED: 'aborted',
};

/**
 * Starts a state machine whose runs go one at a time (the report replay, the ledger verification): a run is an
 * execution (its name is the run id, its start the run's `startedAt`, which the machine itself stores with the
 * result). While one runs, a start returns it rather than starting another. Two starts at the same instant may
 * both start one: harmless for these jobs (each reads and compares the same way; the later result stays).
 * It also tells what became of a run's execution (`DescribeExecution`), for a run stored as running.
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

  /**
   * The run's execution as Step Functions knows it (`missing`: it has no such execution); other errors
   * (access denied, throttling) are thrown as they come.
   */
  async executionStatus(
    runId: string,
  ): Promise<{ readonly status: RunExecutionStatus; readonly stoppedAt?: string }> {
    const executionArn = executionArnOf(this.options.stateMachineArn, runId);
    try {
      const execution = await this.options.client.send(new DescribeExecutionCommand({ executionArn }));
      const status = execution.status === undefined ? undefined : RUN_STATUS[execution.status];
      if (status === undefined) throw new Error(`unknown execution status ${String(execution.status)}`);
      return {
        status,
        ...(execution.stopDate === undefined ? {} : { stoppedAt: execution.stopDate.toISOString() }),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return { status: 'missing' };
      throw error;
    }
  }
}

/** A run's execution: the run id is the execution's name, under its state machine. */
export function executionArnOf(stateMachineArn: string, runId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;
}
