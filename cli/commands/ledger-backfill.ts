import { setTimeout as sleepFor } from 'node:timers/promises';

import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';

import { executionArnOf, SfnSingleRunStarter } from '../../shared/adapters/sfn/single-run-starter';

/** A back-fill run as the command reports it: its id, and once it has ended its status and counts. */
export interface LedgerBackfillRun {
  readonly runId: string;
  readonly startedAt: string;
  /** The execution's status once waited for (`SUCCEEDED`, `FAILED`…); absent when not waited for. */
  readonly status?: string;
  /** The counts the run ended with (`Finish`'s output); absent unless it succeeded. */
  readonly result?: Record<string, unknown>;
}

/**
 * Starts the ledger mirror back-fill (`docs/ledger-mirror.md`, "Back-fill") with the operator's credentials,
 * or joins the run in progress (one at a time), and with `wait` polls the execution until it ends. The run
 * stores its progress and result in the reports table as it goes; this reads the execution's own output.
 */
export async function startLedgerBackfill(input: {
  readonly client: SFNClient;
  /** The `ledger-mirror-backfill` state machine (`jalon-<stage>-ledger-mirror-backfill` in AWS). */
  readonly stateMachineArn: string;
  readonly wait: boolean;
  readonly pollMs?: number;
  /** Injected for tests on a virtual clock; default Node's timers. */
  readonly sleep?: (ms: number) => Promise<void>;
}): Promise<LedgerBackfillRun> {
  const { client, stateMachineArn } = input;
  const run = await new SfnSingleRunStarter({ client, stateMachineArn }).start();
  if (!input.wait) return run;
  const executionArn = executionArnOf(stateMachineArn, run.runId);
  const sleep = input.sleep ?? ((ms: number) => sleepFor(ms));
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') {
      const result =
        execution.status === 'SUCCEEDED' && execution.output !== undefined
          ? (JSON.parse(execution.output) as Record<string, unknown>)
          : undefined;
      return { ...run, status: execution.status ?? 'UNKNOWN', ...(result === undefined ? {} : { result }) };
    }
    await sleep(input.pollMs ?? 5_000);
  }
}
