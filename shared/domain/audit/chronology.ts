import type { Actor } from '../ledger/events';
import type { AuditDetails, AuditEvent } from './event-details';
import type { ExecutionHistoryEvent, ExecutionSummary } from './ports';

/** A ledger event in the chronology. */
export interface LedgerChronologyEntry {
  readonly source: 'ledger';
  readonly at: string;
  readonly seq: number;
  readonly type: AuditEvent['type'];
  readonly actor: Actor;
  readonly hash: string;
  readonly prevHash: string;
  readonly details: AuditDetails;
}

/** What happened to the workflow at a step: it began, started waiting, failed, or the run itself began or ended. */
export type WorkflowPhase =
  | 'execution-started'
  | 'execution-succeeded'
  | 'execution-failed'
  | 'execution-aborted'
  | 'execution-timed-out'
  | 'step-entered'
  | 'step-failed'
  | 'step-timed-out';

/** A workflow event in the chronology: one of the case's executions, at a step. */
export interface WorkflowChronologyEntry {
  readonly source: 'workflow';
  readonly at: string;
  /** 1 for the first execution of the case, 2 for `caseId--g2`… */
  readonly generation: number;
  readonly execution: string;
  readonly phase: WorkflowPhase;
  /** The state of the case-lifecycle state machine (`CheckCase`, `WaitUntilAckStep`…), when the event has one. */
  readonly step?: string;
  /** The history event as Step Functions names it (`TaskStateEntered`…) and its id in that history. */
  readonly historyType: string;
  readonly historyId: number;
}

export type ChronologyEntry = LedgerChronologyEntry | WorkflowChronologyEntry;

/** History event types kept in the chronology, by what they mean; every other type is detail of these. */
const PHASES: Readonly<Record<string, WorkflowPhase>> = {
  ExecutionStarted: 'execution-started',
  ExecutionSucceeded: 'execution-succeeded',
  ExecutionFailed: 'execution-failed',
  ExecutionAborted: 'execution-aborted',
  ExecutionTimedOut: 'execution-timed-out',
  TaskStateEntered: 'step-entered',
  WaitStateEntered: 'step-entered',
  ChoiceStateEntered: 'step-entered',
  PassStateEntered: 'step-entered',
  SucceedStateEntered: 'step-entered',
  FailStateEntered: 'step-entered',
  ParallelStateEntered: 'step-entered',
  MapStateEntered: 'step-entered',
  TaskFailed: 'step-failed',
  LambdaFunctionFailed: 'step-failed',
  TaskTimedOut: 'step-timed-out',
  LambdaFunctionTimedOut: 'step-timed-out',
};

/** An execution with its history, as the timeline reads it. */
export type ExecutionWithHistory = ExecutionSummary & { readonly events: readonly ExecutionHistoryEvent[] };

/**
 * The case's history as one chronology: its ledger events and its workflow's steps, interleaved by time, so an
 * auditor reads what the workflow did and what it recorded in one list.
 *
 * Rules: every ledger event is kept; of a workflow history, the executions' starts and ends, the steps entered
 * and the failures and time-outs of tasks are kept (an entered step's scheduling, success and exit are detail
 * an auditor finds in the execution's own history). Ordered by instant; at the same instant (a clock stopped in
 * a demonstration, or the same millisecond) the ledger comes first, since the receipt starts the workflow;
 * ledger events keep their seq order and a workflow's events their history order. Executions are given first
 * generation first.
 */
export function buildChronology(
  events: readonly AuditEvent[],
  executions: readonly ExecutionWithHistory[],
): ChronologyEntry[] {
  const ledger: ChronologyEntry[] = events.map((event) => ({ source: 'ledger', ...event }));
  const workflow: ChronologyEntry[] = executions.flatMap((execution, index) =>
    execution.events.flatMap((event): WorkflowChronologyEntry[] => {
      const phase = PHASES[event.type];
      if (phase === undefined) return [];
      return [
        {
          source: 'workflow',
          at: event.timestamp,
          generation: index + 1,
          execution: execution.name,
          phase,
          ...(event.state !== undefined ? { step: event.state } : {}),
          historyType: event.type,
          historyId: event.id,
        },
      ];
    }),
  );
  // Ledger entries first: a stable sort then keeps them before the steps of the same instant.
  return [...ledger, ...workflow]
    .map((entry, index) => ({ entry, index, at: Date.parse(entry.at) }))
    .sort((x, y) => x.at - y.at || x.index - y.index)
    .map(({ entry }) => entry);
}
