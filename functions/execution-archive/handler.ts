import { archiveExecution } from '../../shared/domain/audit/execution-archive';
import type { ExecutionArchiveOutcome } from '../../shared/domain/audit/execution-archive';
import type { ExecutionHistoryReader } from '../../shared/domain/audit/ports';
import type { WriteOnceStore } from '../../shared/domain/ledger/mirror';
import { ExecutionStatusChangeSchema } from '../../shared/schemas/execution-archive';

export interface ExecutionArchiveDeps {
  readonly executions: ExecutionHistoryReader;
  readonly archive: WriteOnceStore;
  /** Only this state machine's executions are archived (the rule matches it too). */
  readonly stateMachineArn: string;
  readonly logger: { info(message: string, fields: Record<string, unknown>): void };
}

/**
 * EventBridge's "Step Functions Execution Status Change" (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) → the
 * closed generation's history copied once into the archive (`archiveExecution`), so that the audit timeline
 * still shows it after Step Functions forgets the execution (90 days). Any error is thrown: EventBridge retries
 * the target, then sends the event to the rule's dead-letter queue.
 */
export function makeHandler(
  deps: ExecutionArchiveDeps,
): (event: unknown) => Promise<ExecutionArchiveOutcome | 'ignored'> {
  return async (event) => {
    const { detail } = ExecutionStatusChangeSchema.parse(event);
    if (detail.stateMachineArn !== deps.stateMachineArn || detail.status === 'RUNNING') return 'ignored';
    const outcome = await archiveExecution(deps, detail.name);
    deps.logger.info('execution history archived', { execution: detail.name, outcome });
    return outcome;
  };
}
