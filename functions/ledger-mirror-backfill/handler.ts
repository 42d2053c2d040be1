import * as z from '../../shared/zod-mini';

import {
  backfillExecutionPages,
  backfillMirrorPages,
  beginBackfill,
  EMPTY_BACKFILL_TALLY,
  failBackfill,
  finishBackfill,
} from '../../shared/domain/audit/mirror-backfill';
import type { BackfillStep, BackfillStepDeps } from '../../shared/domain/audit/mirror-backfill';
import { CLOSED_EXECUTION_STATUSES } from '../../shared/domain/audit/execution-archive';
import { LEDGER_TAMPER_REASONS } from '../../shared/domain/ledger/mirror-layout';
import {
  failTaskSchema,
  JobRunSchema,
  LedgerCursorSchema,
  stepJobHandler,
} from '../../shared/schemas/step-job';
import type { StepJobLogger } from '../../shared/schemas/step-job';

const count = z.number().check(z.int(), z.gte(0));

const TallySchema = z.strictObject({
  cases: count,
  items: count,
  mirrored: count,
  alreadyMirrored: count,
  tamperedCount: count,
  tampered: z.array(
    z.strictObject({
      caseId: z.string(),
      seq: z.number().check(z.int()),
      reason: z.enum(LEDGER_TAMPER_REASONS),
      recordKey: z.string(),
    }),
  ),
  executions: count,
  archived: count,
  alreadyArchived: count,
});

/** The state between steps; the machine's `more` flag and a caught `error` ride along and are dropped. */
const StepSchema = z.object({
  run: JobRunSchema,
  tally: TallySchema,
  cursor: z.optional(LedgerCursorSchema),
  listing: z.optional(
    z.strictObject({
      status: z.number().check(z.int(), z.gte(0), z.lte(CLOSED_EXECUTION_STATUSES.length - 1)),
      token: z.optional(z.string().check(z.minLength(1))),
    }),
  ),
});

const FailTaskSchema = failTaskSchema({ tally: z.optional(TallySchema) });

/** What the ledger-mirror-backfill state machine sends (`statemachines/ledger-mirror-backfill.asl.json`). */
export const LedgerMirrorBackfillTaskSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('begin'), run: JobRunSchema }),
  z.strictObject({ action: z.literal('mirror-ledger'), step: StepSchema }),
  z.strictObject({ action: z.literal('archive-executions'), step: StepSchema }),
  z.strictObject({ action: z.literal('finish'), step: StepSchema }),
  FailTaskSchema,
]);

export interface LedgerMirrorBackfillHandlerDeps extends Omit<BackfillStepDeps, 'mayContinue'> {
  /** How long one step may keep starting pages (well under the function's timeout). */
  readonly stepBudgetMs: number;
  /** Run ids and counts only; a tamper record by case id, seq, reason and key (no content). */
  readonly logger: StepJobLogger;
}

/** Thrown on a malformed task input (a definition error, never retried by the machine). */
export class InvalidBackfillTaskError extends Error {
  override readonly name = 'InvalidBackfillTaskError';
}

/**
 * The ledger-mirror-backfill state machine's task Lambda: `begin` stores the run as running; `mirror-ledger`
 * mirrors the ledger's items the mirror lacks, pages of cases within the step's budget; `archive-executions`
 * archives the closed case-lifecycle executions not archived yet; `finish` stores the result; `fail` stores a
 * run that failed for good. Each step returns the next state (keys and counts only) with `more`.
 */
export function makeHandler(deps: LedgerMirrorBackfillHandlerDeps): (event: unknown) => Promise<unknown> {
  return stepJobHandler<z.infer<typeof LedgerMirrorBackfillTaskSchema>, z.infer<typeof FailTaskSchema>>({
    schema: LedgerMirrorBackfillTaskSchema,
    invalid: () => new InvalidBackfillTaskError('mirror back-fill task input does not parse'),
    now: deps.now,
    stepBudgetMs: deps.stepBudgetMs,
    logger: deps.logger,
    label: 'mirror back-fill',
    fail: (task, error) =>
      failBackfill(deps, { run: task.step.run, tally: task.step.tally ?? EMPTY_BACKFILL_TALLY }, error),
    run: async (task, mayContinue) => {
      const stepDeps: BackfillStepDeps = { ...deps, mayContinue };
      switch (task.action) {
        case 'begin': {
          const step = await beginBackfill(stepDeps, task.run);
          deps.logger.info('mirror back-fill started', { runId: task.run.runId });
          return step;
        }
        case 'mirror-ledger': {
          const before = task.step.tally.tamperedCount;
          const next = await backfillMirrorPages(stepDeps, stepOf(task.step));
          for (const tamper of next.tally.tampered.slice(before)) {
            deps.logger.warn('ledger item differs from its mirror; tamper record kept', { ...tamper });
          }
          deps.logger.info('mirror back-fill step', progress(next));
          return next;
        }
        case 'archive-executions': {
          const next = await backfillExecutionPages(stepDeps, stepOf(task.step));
          deps.logger.info('mirror back-fill executions step', progress(next));
          return next;
        }
        case 'finish': {
          const result = await finishBackfill(stepDeps, stepOf(task.step));
          deps.logger.info(
            'mirror back-filled',
            progress({ run: task.step.run, tally: result, more: false }),
          );
          return result;
        }
      }
    },
  });
}

function stepOf(step: z.infer<typeof StepSchema>): BackfillStep {
  const { run, tally, cursor, listing } = step;
  return {
    run,
    tally,
    ...(cursor === undefined ? {} : { cursor }),
    ...(listing === undefined
      ? {}
      : {
          listing: {
            status: listing.status,
            ...(listing.token === undefined ? {} : { token: listing.token }),
          },
        }),
  };
}

function progress(
  step: Pick<BackfillStep, 'run' | 'tally'> & { readonly more: boolean },
): Record<string, unknown> {
  const { cases, items, mirrored, tamperedCount, executions, archived } = step.tally;
  return {
    runId: step.run.runId,
    cases,
    items,
    mirrored,
    tamperedCount,
    executions,
    archived,
    more: step.more,
  };
}
