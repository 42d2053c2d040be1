import type { Actor, EventDraft } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import type { Clock } from '../messaging/ports';
import type { Workflow, WorkflowStart } from './ports';

/** What starting a generation of a case's workflow needs. */
export interface GenerationDeps {
  readonly ledger: Pick<CaseLedger, 'append'>;
  readonly workflow: Workflow;
  readonly clock: Clock;
}

/** `replan`: a re-planning made a deadline earlier, so the case's workflow must wake sooner (`docs/deadlines.md`). */
export type GenerationTrigger = 'intake' | 'continue-as-new' | 'restart' | 'replan';

/** The ledger key of a generation's `workflow.started`: one record per generation and case. */
export function generationKey(generation: number): string {
  return `workflow:g${generation}`;
}

/** What starting a generation records and starts: its `workflow.started` draft and key, and the execution. */
export interface GenerationStart {
  readonly draft: Extract<EventDraft, { type: 'workflow.started' }>;
  readonly idempotencyKey: string;
  readonly start: WorkflowStart;
}

/**
 * The `workflow.started` of generation `generation` of a case (key `workflow:g<N>`, one per generation) and
 * the execution that goes with it (`caseId`, `caseId--g<N>`), both at `now`.
 */
export function generationStart(
  input: { caseId: string; generation: number; trigger: GenerationTrigger; actor: Actor },
  now: Date,
): GenerationStart {
  const { caseId, generation, trigger } = input;
  return {
    draft: {
      type: 'workflow.started',
      at: now.toISOString(),
      actor: input.actor,
      data: { generation, trigger },
    },
    idempotencyKey: generationKey(generation),
    start:
      generation <= 1
        ? { caseId }
        : {
            caseId,
            generation,
            startedAt: now.toISOString(),
            ...(trigger === 'restart' ? { restart: true } : {}),
          },
  };
}

/**
 * Starts generation `generation` of a case's workflow: records `workflow.started` in the ledger first (once
 * per generation, key `workflow:g<N>`), then starts the execution (`caseId`, `caseId--g<N>`; idempotent by
 * name). Recording first means the ledger always knows the latest generation, even after a crash between
 * the two (a retry starts the same generation again, a no-op if it runs).
 */
export async function startGeneration(
  deps: GenerationDeps,
  input: { caseId: string; generation: number; trigger: GenerationTrigger; actor: Actor },
): Promise<void> {
  const { draft, idempotencyKey, start } = generationStart(input, deps.clock.now());
  await deps.ledger.append(input.caseId, draft, { idempotencyKey });
  await deps.workflow.start(start);
}

/**
 * Whether intake may (re)start the first generation of a case's workflow. Intake starts it on every attempt
 * (so a retry after a crash between recording the case and starting its workflow completes it), relying on
 * Step Functions refusing a second execution with the same name. That holds only while the first execution
 * is kept: 90 days after it closed, the name is free again. The first execution closes only by continuing as
 * a new generation (`workflow.started` g2 recorded before), by closing the case (`case.closed`) or by failing
 * (`failure.recorded` by the workflow); so once the ledger shows any of these, intake starts nothing, and a
 * replayed intake can never run a first generation beside the live one.
 */
export function mayStartFirstGeneration(
  projection: Pick<CaseProjection, 'workflowGeneration' | 'enforcementStoppedAt' | 'status'>,
): boolean {
  return (
    (projection.workflowGeneration ?? 1) <= 1 &&
    projection.enforcementStoppedAt === undefined &&
    projection.status !== 'closed'
  );
}

/**
 * The start that resumes a case's workflow where the ledger says it is (after the local engine, which keeps
 * executions in memory, restarted): none when enforcement stopped (an administrator restarts it) or the case
 * is closed; otherwise its latest generation, planned and routed again when it is not the first (idempotent).
 */
export function resumeStart(
  projection: Pick<CaseProjection, 'caseId' | 'workflowGeneration' | 'enforcementStoppedAt' | 'status'>,
): { caseId: string; generation?: number; restart?: boolean } | undefined {
  if (projection.enforcementStoppedAt !== undefined || projection.status === 'closed') return undefined;
  const generation = projection.workflowGeneration ?? 1;
  return generation <= 1
    ? { caseId: projection.caseId }
    : { caseId: projection.caseId, generation, restart: true };
}

/**
 * Whether the execution of generation `generation` has been superseded by a later one recorded in the ledger
 * (a re-planning started it to wake the case's workflow sooner). A superseded execution ends at its next
 * checkpoint without acting, so only the latest generation runs the case's steps.
 */
export function isSuperseded(
  projection: Pick<CaseProjection, 'workflowGeneration'>,
  generation: number,
): boolean {
  return (projection.workflowGeneration ?? 1) > generation;
}
