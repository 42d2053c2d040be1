import * as z from '../../shared/zod-mini';

import {
  finishReportReplay,
  replayReportPages,
  summarizeReportDays,
} from '../../shared/domain/report/replay-job';
import type { LedgerCasePages } from '../../shared/domain/ledger/case-pages';
import type { ReplayStep } from '../../shared/domain/report/replay-job';
import type { ReportAggregateStore, ReportProjectorDeps } from '../../shared/domain/report/aggregates';
import type { ReportDayStore } from '../../shared/domain/report/day-summary';
import type { CalendarRegistry } from '../../shared/domain/time/calendars';
import { LocalDateSchema } from '../../shared/domain/time/types';

const TallySchema = z.strictObject({
  cases: z.number().check(z.int(), z.gte(0)),
  differences: z.number().check(z.int(), z.gte(0)),
  differingCases: z.array(z.string().check(z.minLength(1))),
});

const RunSchema = z.strictObject({
  runId: z.string().check(z.minLength(1)),
  startedAt: z.string().check(z.minLength(1)),
});

/** What the report-replay state machine sends: a step over pages of the ledger, or the run's end. */
export const ReportReplayTaskSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('replay-pages'),
    step: z.strictObject({
      run: RunSchema,
      tally: TallySchema,
      cursor: z.optional(
        z.strictObject({
          caseId: z.string().check(z.minLength(1)),
          seq: z.number().check(z.int(), z.gte(1)),
        }),
      ),
      firstDay: z.optional(z.nullable(LocalDateSchema)),
    }),
  }),
  z.strictObject({
    action: z.literal('summarize-days'),
    step: z.strictObject({
      run: RunSchema,
      tally: TallySchema,
      firstDay: z.nullable(LocalDateSchema),
      day: z.nullable(LocalDateSchema),
    }),
  }),
  z.strictObject({
    action: z.literal('finish'),
    step: z.object({ run: RunSchema, tally: TallySchema }),
  }),
]);
export type ReportReplayTask = z.infer<typeof ReportReplayTaskSchema>;

export interface ReportReplayHandlerDeps extends ReportProjectorDeps {
  readonly store: Pick<ReportAggregateStore, 'get' | 'put' | 'saveReplayResult' | 'markDayChanged'>;
  readonly pages: LedgerCasePages;
  /** The day summaries the run builds or refreshes once the pages are done (`summarizeReportDays`). */
  readonly days: ReportDayStore;
  readonly calendars: CalendarRegistry;
  readonly now: () => Date;
  /** How long one step may keep starting pages (well under the function's timeout). */
  readonly stepBudgetMs: number;
  /** Run ids and counts only (no case id: the differing cases are in the stored result). */
  readonly logger: { info(message: string, fields: Record<string, unknown>): void };
}

/** Thrown on a malformed task input (a definition error, never retried by the machine). */
export class InvalidReplayTaskError extends Error {
  override readonly name = 'InvalidReplayTaskError';
}

/**
 * The report-replay state machine's task Lambda (`statemachines/report-replay.asl.json`): `replay-pages` runs
 * one step of the full replay (`replayReportPages`: pages of the ledger within the step's time budget,
 * returning the tally, the cursor, the earliest day of receipt and `more`); `summarize-days` builds or
 * refreshes the day summaries a group of days at a time (`summarizeReportDays`, returning the next day and
 * `more`); `finish` stores the run's result (`finishReportReplay`). The state carries keys, dates and counts only.
 */
export function makeHandler(deps: ReportReplayHandlerDeps): (event: unknown) => Promise<unknown> {
  return async (event) => {
    const parsed = ReportReplayTaskSchema.safeParse(event);
    if (!parsed.success) throw new InvalidReplayTaskError('report replay task input does not parse');
    const task = parsed.data;
    if (task.action === 'finish') {
      const result = await finishReportReplay({ store: deps.store, now: deps.now }, task.step);
      deps.logger.info('report replay finished', {
        runId: result.runId,
        matched: result.matched,
        differences: result.differences,
        cases: result.cases,
      });
      return {
        checkedAt: result.checkedAt,
        matched: result.matched,
        differences: result.differences,
        cases: result.cases,
      };
    }
    const startedAt = deps.now().getTime();
    const mayContinue = () => deps.now().getTime() - startedAt < deps.stepBudgetMs;
    if (task.action === 'summarize-days') {
      const next = await summarizeReportDays(
        { days: deps.days, calendars: deps.calendars, now: deps.now, mayContinue },
        task.step,
      );
      deps.logger.info('report replay days', {
        runId: next.run.runId,
        summariesSaved: next.saved,
        day: next.day,
        more: next.more,
      });
      return next;
    }
    const step: ReplayStep = task.step;
    const next = await replayReportPages({ ...deps, mayContinue }, step);
    deps.logger.info('report replay step', {
      runId: next.run.runId,
      cases: next.tally.cases,
      differences: next.tally.differences,
      more: next.more,
    });
    return next;
  };
}
