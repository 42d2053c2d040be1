import * as z from '../../shared/zod-mini';

import {
  beginVerification,
  checkCasePages,
  checkDigestHeads,
  EMPTY_VERIFICATION_TALLY,
  failVerification,
  finishVerification,
  VERIFICATION_PROBLEMS,
} from '../../shared/domain/audit/verification-job';
import type { VerificationStep, VerificationStepDeps } from '../../shared/domain/audit/verification-job';
import {
  failTaskSchema,
  JobRunSchema,
  LedgerCursorSchema,
  stepJobHandler,
} from '../../shared/schemas/step-job';
import type { StepJobLogger } from '../../shared/schemas/step-job';

const FindingSchema = z.strictObject({
  caseId: z.string(),
  seq: z.number().check(z.int()),
  problem: z.enum(VERIFICATION_PROBLEMS),
});

const TallySchema = z.strictObject({
  cases: z.number().check(z.int(), z.gte(0)),
  events: z.number().check(z.int(), z.gte(0)),
  mirrorObjects: z.number().check(z.int(), z.gte(0)),
  badCaseCount: z.number().check(z.int(), z.gte(0)),
  badCases: z.array(FindingSchema),
});

const DigestCheckSchema = z.union([
  z.strictObject({ status: z.literal('none') }),
  z.strictObject({
    status: z.enum(['valid', 'invalid']),
    day: z.string().check(z.minLength(1)),
    key: z.string().check(z.minLength(1)),
    heads: z.number().check(z.int(), z.gte(0)),
    bytes: z.number().check(z.int(), z.gte(0)),
    checked: z.number().check(z.int(), z.gte(0)),
    mismatches: z.number().check(z.int(), z.gte(0)),
  }),
]);

/** The state between steps; the machine's `more` flag and a caught `error` ride along and are dropped. */
const StepSchema = z.object({
  run: JobRunSchema,
  tally: TallySchema,
  digest: DigestCheckSchema,
  cursor: z.optional(LedgerCursorSchema),
  offset: z.optional(z.number().check(z.int(), z.gte(0))),
});

const FailTaskSchema = failTaskSchema({
  tally: z.optional(TallySchema),
  digest: z.optional(DigestCheckSchema),
});

/** What the ledger-verification state machine sends (`statemachines/ledger-verification.asl.json`). */
export const LedgerVerificationTaskSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('begin'), run: JobRunSchema }),
  z.strictObject({ action: z.literal('check-cases'), step: StepSchema }),
  z.strictObject({ action: z.literal('check-digest'), step: StepSchema }),
  z.strictObject({ action: z.literal('finish'), step: StepSchema }),
  FailTaskSchema,
]);
export type LedgerVerificationTask = z.infer<typeof LedgerVerificationTaskSchema>;

export interface LedgerVerificationHandlerDeps extends Omit<VerificationStepDeps, 'mayContinue'> {
  /** How long one step may keep starting pages (well under the function's timeout). */
  readonly stepBudgetMs: number;
  /** Run ids and counts only (no case id: the findings are in the stored record). */
  readonly logger: StepJobLogger;
}

/** Thrown on a malformed task input (a definition error, never retried by the machine). */
export class InvalidVerificationTaskError extends Error {
  override readonly name = 'InvalidVerificationTaskError';
}

/**
 * The ledger-verification state machine's task Lambda: `begin` checks the latest digest's signature and stores
 * the run as running; `check-cases` checks pages of cases (chains and mirror) within the step's budget;
 * `check-digest` checks the digest's heads against the ledger; `finish` stores the result; `fail` stores a run
 * that failed for good. Each step returns the next state (keys and counts only) with `more`.
 */
export function makeHandler(deps: LedgerVerificationHandlerDeps): (event: unknown) => Promise<unknown> {
  return stepJobHandler<LedgerVerificationTask, z.infer<typeof FailTaskSchema>>({
    schema: LedgerVerificationTaskSchema,
    invalid: () => new InvalidVerificationTaskError('ledger verification task input does not parse'),
    now: deps.now,
    stepBudgetMs: deps.stepBudgetMs,
    logger: deps.logger,
    label: 'ledger verification',
    fail: (task, error) =>
      failVerification(
        deps,
        {
          run: task.step.run,
          tally: task.step.tally ?? EMPTY_VERIFICATION_TALLY,
          digest: task.step.digest ?? { status: 'none' },
        },
        error,
      ),
    run: async (task, mayContinue) => {
      const stepDeps: VerificationStepDeps = { ...deps, mayContinue };
      switch (task.action) {
        case 'begin': {
          const step = await beginVerification(stepDeps, task.run);
          deps.logger.info('ledger verification started', {
            runId: task.run.runId,
            digest: step.digest.status,
          });
          return step;
        }
        case 'check-cases': {
          const next = await checkCasePages(stepDeps, stepOf(task.step));
          deps.logger.info('ledger verification step', progress(next));
          return next;
        }
        case 'check-digest': {
          const next = await checkDigestHeads(stepDeps, stepOf(task.step));
          deps.logger.info('ledger verification digest step', progress(next));
          return next;
        }
        case 'finish': {
          const result = await finishVerification(stepDeps, stepOf(task.step));
          const fields = {
            runId: result.runId,
            ok: result.ok,
            cases: result.cases,
            events: result.events,
            badCaseCount: result.badCaseCount,
            digest: result.digest.status,
          };
          if (result.ok === true) deps.logger.info('ledger verified', fields);
          else deps.logger.warn('ledger verification found problems', fields);
          return result;
        }
      }
    },
  });
}

function stepOf(step: z.infer<typeof StepSchema>): VerificationStep {
  const { run, tally, digest, cursor, offset } = step;
  return {
    run,
    tally,
    digest,
    ...(cursor === undefined ? {} : { cursor }),
    ...(offset === undefined ? {} : { offset }),
  };
}

function progress(step: VerificationStep & { readonly more: boolean }): Record<string, unknown> {
  return {
    runId: step.run.runId,
    cases: step.tally.cases,
    badCaseCount: step.tally.badCaseCount,
    digestChecked: step.digest.status === 'valid' ? step.digest.checked : 0,
    more: step.more,
  };
}
