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
  /** Why a run that ended did not succeed, in plain words. */
  readonly reason?: string;
}

/** Why a back-fill execution that ended did not succeed, for the operator. */
const ENDING_REASONS: Readonly<Record<string, string>> = {
  FAILED:
    'a step failed for good after its retries; the stored run (#ledger-mirror-backfill-latest in the reports table) names the error, the step Lambda’s log says more. Run it again once fixed: it writes only what is missing.',
  ABORTED: 'the execution was stopped before it ended; run it again: it writes only what is missing.',
  TIMED_OUT: 'the execution ran past its time limit; run it again: it goes on from what is already mirrored.',
};

/**
 * The operator's credentials lack a permission the command needs: it names the action, the state machine and
 * the managed policy that grants them (`docs/deploy.md`, step 11).
 */
export class LedgerBackfillAccessDeniedError extends Error {
  override readonly name = 'LedgerBackfillAccessDeniedError';
}

/** The operator's managed policy of a back-fill machine: its name followed by `-operator`. */
export function operatorPolicyNameOf(stateMachineArn: string): string {
  return `${stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1)}-operator`;
}

function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof Error &&
    ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation'].includes(error.name)
  );
}

/**
 * Runs Step Functions calls, turning a refusal into an error that says what to attach. The action named is
 * the one AWS says it denied, else the ones tried.
 */
async function asOperator<T>(
  actions: readonly string[],
  stateMachineArn: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    const denied =
      /perform: (states:\w+)/.exec((error as Error).message)?.[1] ??
      actions.map((action) => `states:${action}`).join(' or ');
    throw new LedgerBackfillAccessDeniedError(
      `access denied: these credentials may not call ${denied} on ${stateMachineArn}. ` +
        `The back-fill needs states:ListExecutions and states:StartExecution on the state machine and ` +
        `states:DescribeExecution on its executions: attach the managed policy ` +
        `${operatorPolicyNameOf(stateMachineArn)} (stack output LedgerMirrorBackfillOperatorPolicyArn) to ` +
        `your role or group (docs/deploy.md, step 11).`,
      { cause: error },
    );
  }
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
  const starter = new SfnSingleRunStarter({ client, stateMachineArn });
  // The starter lists the running executions, then starts one.
  const run = await asOperator(['ListExecutions', 'StartExecution'], stateMachineArn, () => starter.start());
  if (!input.wait) return run;
  const executionArn = executionArnOf(stateMachineArn, run.runId);
  const sleep = input.sleep ?? ((ms: number) => sleepFor(ms));
  for (;;) {
    const execution = await asOperator(['DescribeExecution'], stateMachineArn, () =>
      client.send(new DescribeExecutionCommand({ executionArn })),
    );
    if (execution.status !== 'RUNNING') {
      const status = execution.status ?? 'UNKNOWN';
      const result =
        status === 'SUCCEEDED' && execution.output !== undefined
          ? (JSON.parse(execution.output) as Record<string, unknown>)
          : undefined;
      const reason = status === 'SUCCEEDED' ? undefined : (ENDING_REASONS[status] ?? 'it did not succeed.');
      return {
        ...run,
        status,
        ...(result === undefined ? {} : { result }),
        ...(reason === undefined ? {} : { reason }),
      };
    }
    await sleep(input.pollMs ?? 5_000);
  }
}
