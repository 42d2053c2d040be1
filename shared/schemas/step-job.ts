import * as z from '../zod-mini';

/**
 * The task inputs and the task Lambda of the jobs that walk the ledger in steps (ledger verification, mirror
 * back-fill; their stored runs: `shared/domain/audit/step-job.ts`).
 */

/** A run of an asynchronous job (a state machine's execution): its name and start, as the machine passes them. */
export const JobRunSchema = z.strictObject({
  runId: z.string().check(z.minLength(1)),
  startedAt: z.string().check(z.minLength(1)),
});

/** The next page of the ledger a step starts at (absent at the start). */
export const LedgerCursorSchema = z.strictObject({
  caseId: z.string().check(z.minLength(1)),
  seq: z.number().check(z.int(), z.gte(1)),
});

/**
 * The `fail` task a job's state machine sends when a step's retries gave up: the run and, when the failing step
 * had them, its counts (`optional` fields: a step may fail before the state has them), with the caught error.
 */
export function failTaskSchema<S extends z.core.$ZodShape>(counts: S) {
  return z.strictObject({
    action: z.literal('fail'),
    step: z.object({
      run: JobRunSchema,
      ...counts,
      error: z.optional(z.object({ Error: z.optional(z.string()) })),
    }),
  });
}

/** Run ids and counts only: a job logs no case content. */
export interface StepJobLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * A step job's task Lambda: parses the task (a malformed one throws `invalid()`, a definition error the
 * machine never retries), gives the step its time budget (`mayContinue`: whether it may start another page,
 * well within the function's timeout), runs it, and for a `fail` task stores the failed run through `fail`
 * and logs it (`<label> failed`, run id and error name).
 */
export function stepJobHandler<
  T extends { readonly action: string },
  F extends {
    readonly step: {
      readonly run: { readonly runId: string };
      readonly error?: { readonly Error?: string | undefined } | undefined;
    };
  },
>(job: {
  readonly schema: z.core.$ZodType<T>;
  readonly invalid: () => Error;
  readonly now: () => Date;
  readonly stepBudgetMs: number;
  readonly logger: StepJobLogger;
  /** The job's name in its log lines, e.g. `ledger verification`. */
  readonly label: string;
  readonly run: (task: Exclude<T, { action: 'fail' }>, mayContinue: () => boolean) => Promise<unknown>;
  readonly fail: (task: F, error: string) => Promise<unknown>;
}): (event: unknown) => Promise<unknown> {
  return async (event) => {
    const parsed = z.safeParse(job.schema, event);
    if (!parsed.success) throw job.invalid();
    const task = parsed.data;
    if (task.action === 'fail') {
      const failed = task as unknown as F;
      const error = failed.step.error?.Error ?? 'unknown';
      await job.fail(failed, error);
      job.logger.warn(`${job.label} failed`, { runId: failed.step.run.runId, errorName: error });
      return { failed: true };
    }
    const startedAt = job.now().getTime();
    const mayContinue = () => job.now().getTime() - startedAt < job.stepBudgetMs;
    return job.run(task as Exclude<T, { action: 'fail' }>, mayContinue);
  };
}
