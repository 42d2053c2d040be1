/** Starts the lifecycle workflow of a case (Step Functions in AWS, the local engine in `npm start`). */
export interface Workflow {
  /**
   * Starts the execution of a case. Idempotent: the execution name is the case id (`caseId--gN` for a
   * continuation), so starting twice is a no-op.
   */
  start(input: WorkflowStart): Promise<void>;
}

export interface WorkflowStart {
  readonly caseId: string;
  /** 1 for a new case; continuations carry their generation and fresh loop counters. */
  readonly generation?: number;
  readonly startedAt?: string;
}

/** Execution name for a case's generation: the case id, then `caseId--g2`, `caseId--g3`… */
export function executionName(caseId: string, generation = 1): string {
  return generation <= 1 ? caseId : `${caseId}--g${generation}`;
}
