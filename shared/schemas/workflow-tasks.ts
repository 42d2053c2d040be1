import * as z from '../zod-mini';

const CaseIdField = z.string().check(z.minLength(1), z.maxLength(80));

/** The execution's loop counters, which a task that returns the next check hands back with it. */
const ExecutionFields = z.object({
  generation: z.number().check(z.int(), z.gte(1)),
  iterations: z.number().check(z.int(), z.gte(0)),
  startedAt: z.string().check(z.minLength(1)),
}).shape;
const OptionalExecutionFields = z.partial(z.object(ExecutionFields)).shape;

/**
 * The inputs the state machine passes to the workflow-tasks Lambda, one shape per `task`. `route-and-notify`
 * and `perform-step` return the next check when given the execution's counters (the current definition); an
 * execution started from an earlier definition passes none and goes to its checkpoint after them.
 */
export const WorkflowTaskInputSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('plan-deadlines'), caseId: CaseIdField }),
  z.object({ task: z.literal('route-and-notify'), caseId: CaseIdField, ...OptionalExecutionFields }),
  z.object({ task: z.literal('checkpoint'), caseId: CaseIdField, ...ExecutionFields }),
  z.object({
    task: z.literal('perform-step'),
    caseId: CaseIdField,
    stepId: z.string().check(z.minLength(1), z.maxLength(128)),
    ...OptionalExecutionFields,
  }),
  z.object({
    task: z.literal('continue-as-new'),
    caseId: CaseIdField,
    generation: z.number().check(z.int(), z.gte(1)),
  }),
  z.object({
    task: z.literal('record-failure'),
    caseId: CaseIdField,
    error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
    state: z.optional(z.unknown()),
  }),
]);
export type WorkflowTaskInput = z.infer<typeof WorkflowTaskInputSchema>;
