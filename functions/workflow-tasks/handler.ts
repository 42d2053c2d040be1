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
import type { Workflow } from '../../shared/domain/workflow/ports';
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
      case 'route-and-notify':
        await routeAndNotify(deps, input.caseId);
        return { ok: true };
      case 'perform-step':
        return performStep(deps, input.caseId, input.stepId);
      case 'checkpoint': {
        const check = await checkpoint(deps, input.caseId, { generation: input.generation });
        const now = deps.clock.now();
        const waitUntil = check.waitUntil ?? now.toISOString();
        const iterations = input.iterations + 1;
        const tooOld = Date.parse(waitUntil) - Date.parse(input.startedAt) > MAX_EXECUTION_AGE_MS;
        const state: CheckpointState = {
          caseId: input.caseId,
          generation: input.generation,
          iterations,
          startedAt: input.startedAt,
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
        return state;
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
