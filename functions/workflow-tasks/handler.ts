import { InvalidTaskInputError } from '../../shared/errors';
import {
  checkpoint,
  performStep,
  planDeadlines,
  recordFailure,
  routeAndNotify,
  type WorkflowDeps,
} from '../../shared/domain/workflow/tasks';
import { startGeneration } from '../../shared/domain/workflow/generations';
import type { WorkflowCheck } from '../../shared/domain/workflow/plan';
import type { Workflow } from '../../shared/domain/workflow/ports';
import type { Clock } from '../../shared/domain/messaging/ports';
import { WorkflowTaskInputSchema } from '../../shared/schemas/workflow-tasks';

/** Loops per execution before continuing as a new one (keeps the history far below 25,000 events). */
export const MAX_ITERATIONS = 400;
/** An execution never plans a wait beyond this age: it continues as a new one instead. */
const MAX_EXECUTION_AGE_MS = 360 * 86_400_000;

/** The state the checkpoint hands back to the state machine (every path the Choice reads is present). */
export interface CheckpointState {
  caseId: string;
  generation: number;
  iterations: number;
  startedAt: string;
  check: {
    phase: string;
    due: boolean;
    /** A later generation runs the case (`isSuperseded`): this execution ends. */
    superseded: boolean;
    continueAsNew: boolean;
    waitUntil: string;
    step: { id: string; kind: string; notify: string; at: string };
  };
}

/**
 * The workflow-tasks Lambda: one entry per Task state, each a thin call to a workflow use case. Errors are
 * thrown (never returned) so the state machine's Retry and Catch see their names.
 */
export function makeHandler(deps: WorkflowDeps & { workflow: Workflow }) {
  return async (event: unknown): Promise<unknown> => {
    const parsed = WorkflowTaskInputSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidTaskInputError(
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    const input = parsed.data;
    switch (input.task) {
      case 'plan-deadlines':
        await planDeadlines(deps, input.caseId);
        return { ok: true };
      case 'route-and-notify': {
        const check = await routeAndNotify(deps, input.caseId, executionOf(input));
        return input.generation !== undefined ? checkpointState(deps, input, check) : { ok: true };
      }
      case 'perform-step': {
        const { stepId, check } = await performStep(deps, input.caseId, input.stepId, executionOf(input));
        return input.generation !== undefined ? checkpointState(deps, input, check) : { stepId };
      }
      case 'checkpoint': {
        const check = await checkpoint(deps, input.caseId, { generation: input.generation });
        return checkpointState(deps, input, check);
      }
      case 'continue-as-new':
        await startGeneration(deps, {
          caseId: input.caseId,
          generation: input.generation + 1,
          trigger: 'continue-as-new',
          actor: { kind: 'system', id: 'workflow' },
        });
        return { ok: true };
      case 'record-failure': {
        const state = input.state as { generation?: unknown; check?: { step?: { id?: string } } } | undefined;
        const stepId = state?.check?.step?.id;
        const generation = state?.generation;
        await recordFailure(deps, {
          caseId: input.caseId,
          ...(typeof generation === 'number' && Number.isInteger(generation) && generation > 0
            ? { generation }
            : {}),
          ...(stepId && stepId !== 'none' ? { stepId } : {}),
          ...(input.error ? { error: input.error } : {}),
        });
        return { ok: true };
      }
    }
  };
}

/** The execution a task runs for, when the state machine passed its counters (see `WorkflowTaskInputSchema`). */
function executionOf(input: { generation?: number }): { generation: number } | undefined {
  return input.generation !== undefined ? { generation: input.generation } : undefined;
}

/**
 * The state handed back to the state machine with a check (from the checkpoint, or from a task that returns
 * the next one): the counters moved one loop on, and whether to continue as a new execution instead of
 * waiting (after `MAX_ITERATIONS` loops, or a wait that would end beyond `MAX_EXECUTION_AGE_MS`).
 */
function checkpointState(
  deps: { readonly clock: Clock },
  input: { caseId: string; generation?: number; iterations?: number; startedAt?: string },
  check: WorkflowCheck,
): CheckpointState {
  const generation = input.generation ?? 1;
  const startedAt = input.startedAt ?? deps.clock.now().toISOString();
  const waitUntil = check.waitUntil ?? deps.clock.now().toISOString();
  const iterations = (input.iterations ?? 0) + 1;
  const tooOld = Date.parse(waitUntil) - Date.parse(startedAt) > MAX_EXECUTION_AGE_MS;
  return {
    caseId: input.caseId,
    generation,
    iterations,
    startedAt,
    check: {
      phase: check.phase,
      due: check.due,
      superseded: check.superseded === true,
      continueAsNew: check.phase !== 'done' && !check.due && (iterations >= MAX_ITERATIONS || tooOld),
      waitUntil,
      step: {
        id: check.step?.id ?? 'none',
        kind: check.step?.kind ?? 'none',
        notify: check.step?.notify ?? 'none',
        at: check.step?.at ?? waitUntil,
      },
    },
  };
}
