import { canonicalize } from 'json-canonicalize';

import type { WriteOnceStore } from '../ledger/mirror';
import type { ExecutionHistoryEvent, ExecutionHistoryReader, ExecutionSummary } from './ports';

/**
 * Workflow histories kept beyond Step Functions' 90 days (issue 14 §1, `docs/workflow-generations.md`): when a
 * generation's execution closes, its summary and history are copied once into the ledger mirror bucket, under
 * `executions/v1/<execution name>.json`, and the audit timeline reads that copy once Step Functions has
 * forgotten the execution.
 */
export const EXECUTION_ARCHIVE_PREFIX = 'executions/v1/';

/** The statuses of a closed execution: those whose history is archived. */
export const CLOSED_EXECUTION_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ClosedExecutionStatus = (typeof CLOSED_EXECUTION_STATUSES)[number];

/** An execution as archived: what `describe` and `history` gave when it had closed. */
export interface ArchivedExecution {
  readonly summary: ExecutionSummary;
  readonly events: readonly ExecutionHistoryEvent[];
}

/** A write-once store that can also be read (the mirror bucket). */
export interface ReadableWriteOnceStore extends WriteOnceStore {
  get(key: string): Promise<string | undefined>;
}

/** The key of an execution's archive. Execution names are case ids, `--g<N>` for later generations. */
export function executionArchiveKey(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new RangeError('Not a case-lifecycle execution name.');
  return `${EXECUTION_ARCHIVE_PREFIX}${name}.json`;
}

export type ExecutionArchiveOutcome = 'archived' | 'already-archived' | 'running' | 'missing';

/**
 * Copies the closed execution `name` (its summary and every history event, without execution data) into the
 * archive, once: a repeated status-change event writes nothing. A running or unknown execution is not
 * archived (the caller is told why).
 */
export async function archiveExecution(
  deps: { readonly executions: ExecutionHistoryReader; readonly archive: WriteOnceStore },
  name: string,
): Promise<ExecutionArchiveOutcome> {
  const summary = await deps.executions.describe(name);
  if (summary === undefined) return 'missing';
  if (summary.status === 'RUNNING') return 'running';
  const events = await deps.executions.history(summary.executionArn);
  const archived: ArchivedExecution = { summary, events };
  const stored = await deps.archive.putIfAbsent(executionArchiveKey(name), canonicalize(archived));
  return stored.written ? 'archived' : 'already-archived';
}

/**
 * The executions as the audit timeline reads them: Step Functions first, then the archive for an execution
 * Step Functions no longer knows (closed over 90 days ago), so every generation's history stays readable.
 */
export class ArchivedExecutionHistory implements ExecutionHistoryReader {
  constructor(
    private readonly live: ExecutionHistoryReader,
    private readonly archive: Pick<ReadableWriteOnceStore, 'get'>,
  ) {}

  async describe(name: string): Promise<ExecutionSummary | undefined> {
    return (await this.live.describe(name)) ?? (await this.archived(name))?.summary;
  }

  async history(executionArn: string): Promise<ExecutionHistoryEvent[]> {
    try {
      return await this.live.history(executionArn);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ExecutionDoesNotExist')) throw error;
      const archived = await this.archived(executionArn.slice(executionArn.lastIndexOf(':') + 1));
      if (archived === undefined) throw error;
      return [...archived.events];
    }
  }

  private async archived(name: string): Promise<ArchivedExecution | undefined> {
    const body = await this.archive.get(executionArchiveKey(name));
    return body === undefined ? undefined : (JSON.parse(body) as ArchivedExecution);
  }
}
