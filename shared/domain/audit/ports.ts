import type { ChainTail } from '../ledger/chain';
import type { LedgerEvent } from '../ledger/events';

/** One execution of the case-lifecycle state machine, as `DescribeExecution` reports it. */
export interface ExecutionSummary {
  readonly executionArn: string;
  readonly name: string;
  /** `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`… */
  readonly status: string;
  readonly startDate: string;
  readonly stopDate?: string;
}

/** One event of an execution's history, without its inputs and outputs (they are workflow data, not audit). */
export interface ExecutionHistoryEvent {
  readonly id: number;
  readonly timestamp: string;
  /** `ExecutionStarted`, `WaitStateEntered`, `TaskSucceeded`… */
  readonly type: string;
  /** The state the event belongs to, for state entries and exits. */
  readonly state?: string;
}

/** Reads the executions of the case-lifecycle state machine by name (Step Functions in AWS, the local engine). */
export interface ExecutionHistoryReader {
  /** The execution with this name, `undefined` when there is none. */
  describe(name: string): Promise<ExecutionSummary | undefined>;
  /** Every event of an execution in id order (all pages). */
  history(executionArn: string): Promise<ExecutionHistoryEvent[]>;
}

/** Reads the whole ledger in one pass, for verification of every chain at once. */
export interface LedgerScanner {
  /**
   * The head (`lastSeq`, `lastHash`) of every stored projection that is intact (as the adapter wrote it), by
   * case id: the reference a truncated ledger is measured against.
   */
  projectionHeads(): Promise<ReadonlyMap<string, ChainTail>>;
  /**
   * Every ledger item as stored, page by page. The events of one case come together and in seq order (one
   * item collection), which a single-segment scan gives on DynamoDB and dynalite.
   */
  events(): AsyncIterable<readonly LedgerEvent[]>;
}
