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
  /**
   * A generation started after the workflow failed for good: it plans and routes again (both idempotent, so a
   * failure before they completed loses nothing) before its first checkpoint.
   */
  readonly restart?: boolean;
}

/** Execution name for a case's generation: the case id, then `caseId--g2`, `caseId--g3`… */
export function executionName(caseId: string, generation = 1): string {
  return generation <= 1 ? caseId : `${caseId}--g${generation}`;
}

/**
 * The execution input of a generation, as the state machine reads it: `{caseId}` for the first one (it is
 * initialized, planned and routed), the generation with fresh loop counters for the next ones (they resume at
 * the checkpoint), plus `restart: true` for a restart (planned and routed again first).
 */
export function executionInput(
  { caseId, generation = 1, startedAt, restart }: WorkflowStart,
  now: Date,
): Record<string, unknown> {
  if (generation <= 1) return { caseId };
  return {
    caseId,
    generation,
    iterations: 0,
    startedAt: startedAt ?? now.toISOString(),
    ...(restart ? { restart: true } : {}),
  };
}
