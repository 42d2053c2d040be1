import type * as z from 'zod';

import type { CaseDeadline } from '../case/case';
import type { StepKindSchema } from '../ledger/events';
import type { CaseProjection, StepInProgress } from '../ledger/projection';
import type { Category, NotifyTarget, Policy } from '../policy/schema';
import { expandSchedule } from '../policy/schedule';
import { addBusinessDays, type BusinessCalendar } from '../time';
import { formatLocalDate, parseLocalDate } from '../time/local-date';
import { nextWorkingInstant, shiftWorkingHours, type WorkingHours } from '../time/working-hours';
import { instantAtLocal, toLocal } from '../time/zone';

/** What a planned step does when its instant comes. */
export type StepKind = z.infer<typeof StepKindSchema>;

/** One thing the workflow will do for a case, at an instant, at most once (its id is the idempotency key). */
export interface PlannedStep {
  readonly id: string;
  readonly kind: StepKind;
  /** UTC instant, seconds precision (`2027-01-06T13:30:00Z`), usable by a Step Functions `Wait`. */
  readonly at: string;
  readonly deadline?: 'acknowledgement' | 'answer' | 'review';
  readonly notify?: NotifyTarget;
}

export type Phase = 'acknowledgement' | 'answer' | 'closing' | 'done';

/** The result of a checkpoint: the phase, and either a step that is due now or the instant to wait for. */
export interface WorkflowCheck {
  readonly phase: Phase;
  readonly due: boolean;
  readonly step?: PlannedStep;
  readonly waitUntil?: string;
  /** The execution asking is no longer the case's latest generation: it ends (`phase` is `done`). */
  readonly superseded?: boolean;
}

/** Minutes before closing time at which a deadline's own action runs on its last business day. */
const DEADLINE_ACTION_BEFORE_CLOSE_MINUTES = 60;
/** Re-check cadence while the workflow waits for staff with nothing scheduled (business days). */
const IDLE_RECHECK_BUSINESS_DAYS = 1;

export interface PlanContext {
  readonly policy: Policy;
  readonly category: Category;
  readonly calendar: BusinessCalendar;
  readonly now: Date;
}

/**
 * Decides what the workflow does next for a case. Pure: the same case, policy and instant give the same
 * answer, so a checkpoint that wakes early simply waits again, and one that wakes late acts once per step.
 *
 * - Acknowledgement phase (case `received`): the schedule's `ack-deadline` steps (reminders, escalations)
 *   and the deadline action on the last business day, one hour before closing.
 * - Answer phase (`acknowledged`, or `received` when the policy makes no acknowledgement commitment): the
 *   `answer-deadline` steps of the current answer deadline (an extension gives new step ids, so reminders
 *   run again for the new date) and, when the policy says so, the written delay notice on the due date.
 * - Closing (`answered`): the case closes at the end of the dissatisfaction window, or at once.
 * - `dissatisfied`: the complaints officer is notified once, then the `review-deadline` steps of the policy's
 *   dissatisfaction review (reminders, escalations) run against the review deadline planned when the
 *   dissatisfaction was recorded, until a new answer or the closing of the case ends the review. Each
 *   dissatisfaction has its own step ids (suffix `@<instant>`), so a second one runs the schedule again.
 * Steps already done (`stepsDone`) are skipped; the earliest pending step is due when its instant has passed.
 * A step begun and not done (`stepsInProgress`, left by a crash) comes before everything, whatever the case's
 * state now: it is due at once, in the phase it belongs to, so that its remaining effects happen.
 */
export function checkCase(projection: CaseProjection, context: PlanContext): WorkflowCheck {
  const started = projection.stepsInProgress?.[0];
  if (started !== undefined) {
    const step = stepInProgress(started);
    return { phase: phaseOfStep(step), due: true, step };
  }
  const phase = phaseOf(projection, context.category);
  if (phase === 'done') return { phase, due: false };
  const steps = plannedSteps(projection, phase, context).filter((s) => !projection.stepsDone.includes(s.id));
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const next = steps[0];
  if (next === undefined) return { phase, due: false, waitUntil: idleRecheck(context) };
  const due = Date.parse(next.at) <= context.now.getTime();
  // The acknowledgement deadline's action is routed as such even when the case is already acknowledged by
  // a letter still to post (see `plannedSteps`).
  const stepPhase = next.kind === 'ack-deadline-action' ? phaseOfStep(next) : phase;
  return due
    ? { phase: stepPhase, due, step: next }
    : { phase: stepPhase, due, step: next, waitUntil: next.at };
}

/** Whether the case's acknowledgement went as a letter that staff have not yet recorded as posted. */
export function unmailedAcknowledgementLetter(projection: CaseProjection): boolean {
  return (projection.letters ?? []).some((l) => l.acknowledgement === true && l.mailedAt === undefined);
}

/** The step recorded by `step.started`, as the plan describes it. */
export function stepInProgress(started: StepInProgress): PlannedStep {
  return {
    id: started.stepId,
    kind: started.kind,
    at: started.plannedAt,
    ...(started.deadline !== undefined ? { deadline: started.deadline } : {}),
    ...(started.notify !== undefined ? { notify: started.notify } : {}),
  };
}

/** The phase a step belongs to (the state machine routes a due step by its phase and kind). */
function phaseOfStep(step: PlannedStep): Exclude<Phase, 'done'> {
  if (step.kind === 'close' || step.kind === 'dissatisfaction' || step.deadline === 'review')
    return 'closing';
  return step.deadline === 'answer' ? 'answer' : 'acknowledgement';
}

export function phaseOf(projection: CaseProjection, category: Category): Phase {
  switch (projection.status) {
    case 'closed':
      return 'done';
    case 'received':
      return category.acknowledgement === null ? 'answer' : 'acknowledgement';
    case 'acknowledged':
      return 'answer';
    case 'answered':
      return 'closing';
    case 'dissatisfied':
      return 'closing';
  }
}

/** Every step of a phase, done or not, with its instant. */
export function plannedSteps(projection: CaseProjection, phase: Phase, context: PlanContext): PlannedStep[] {
  const { category, calendar, policy } = context;
  const hours = policy.organization.workingHours;
  switch (phase) {
    case 'acknowledgement': {
      const deadline = projection.deadlines.acknowledgement;
      if (!deadline) return [];
      return [
        ...scheduleSteps(category, 'ack-deadline', deadline, calendar, hours, ''),
        {
          id: 'ack-deadline-action',
          kind: 'ack-deadline-action',
          deadline: 'acknowledgement',
          at: actionInstant(deadline, calendar, hours),
        },
      ];
    }
    case 'answer': {
      const deadline = projection.deadlines.answer;
      if (!deadline) return [];
      // Named after the extensions only: an extension runs the reminders again for its new date, a
      // recalculation (calendar change) moves the pending ones and never repeats one already sent.
      const revision = deadline.revision - (deadline.recalculations ?? 0);
      const suffix = revision > 1 ? `@r${revision}` : '';
      const steps = scheduleSteps(category, 'answer-deadline', deadline, calendar, hours, suffix);
      // Acknowledged by a letter not yet posted: the acknowledgement deadline still runs (met on mailing).
      const ack = projection.deadlines.acknowledgement;
      if (ack && ack.metAt === undefined && unmailedAcknowledgementLetter(projection)) {
        steps.push({
          id: 'ack-deadline-action',
          kind: 'ack-deadline-action',
          deadline: 'acknowledgement',
          at: actionInstant(ack, calendar, hours),
        });
      }
      // By email, or by letter for a requester without one (see `sendDelayNotice`).
      if (category.answer.notifyInWritingIfLate) {
        steps.push({
          id: `answer-delay-notice${suffix}`,
          kind: 'delay-notice',
          deadline: 'answer',
          at: actionInstant(deadline, calendar, hours),
        });
      }
      return steps;
    }
    case 'closing': {
      if (projection.status === 'dissatisfied' && projection.dissatisfiedAt) {
        const suffix = `@${compact(projection.dissatisfiedAt)}`;
        const review = projection.deadlines.review;
        const schedule = policy.complaintProcedure?.dissatisfactionReview.schedule ?? [];
        return [
          {
            id: `dissatisfaction${suffix}`,
            kind: 'dissatisfaction',
            notify: 'complaints-officer',
            at: seconds(nextWorkingInstant(calendar, projection.dissatisfiedAt, hours)),
          },
          ...(review !== undefined && review.metAt === undefined
            ? scheduleSteps({ schedule }, 'review-deadline', review, calendar, hours, suffix)
            : []),
        ];
      }
      // A letter still to post (the answer, say) keeps the case open and on the work list until it is posted.
      if ((projection.letters ?? []).some((l) => l.mailedAt === undefined)) return [];
      const answeredAt = projection.answeredAt ?? projection.lastEventAt;
      const window =
        category.referral?.to === 'protecteur-du-citoyen'
          ? category.referral.dissatisfactionWindow
          : undefined;
      const closeAt = window ? endOfWindow(answeredAt, window, calendar) : answeredAt;
      return [{ id: `close@${compact(answeredAt)}`, kind: 'close', at: seconds(closeAt) }];
    }
    case 'done':
      return [];
  }
}

function scheduleSteps(
  category: Pick<Category, 'schedule'>,
  relativeTo: 'ack-deadline' | 'answer-deadline' | 'review-deadline',
  deadline: CaseDeadline,
  calendar: BusinessCalendar,
  hours: WorkingHours,
  suffix: string,
): PlannedStep[] {
  return expandSchedule(category)
    .filter((o) => o.relativeTo === relativeTo)
    .map((o) => {
      const raw =
        o.offset.unit === 'business-days'
          ? instantAtLocal(
              parseLocalDate(addBusinessDays(calendar, deadline.dueDate, o.offset.amount)),
              clock(hours.start),
            )
          : shiftWorkingHours(calendar, deadline.dueAt, o.offset.amount, hours);
      return {
        id: `${o.id}${suffix}`,
        kind: 'notify' as const,
        deadline: DEADLINE_OF[relativeTo],
        notify: o.notify,
        // Staff are notified in working hours only.
        at: seconds(nextWorkingInstant(calendar, raw, hours)),
      };
    });
}

/** The case deadline a schedule anchor stands for. */
const DEADLINE_OF = {
  'ack-deadline': 'acknowledgement',
  'answer-deadline': 'answer',
  'review-deadline': 'review',
} as const;

/**
 * The instant of a deadline's own action: one hour before closing on its last business day (so a person
 * can still act that day), or, for a deadline counted in working hours, fifteen minutes before it expires.
 */
export function actionInstant(
  deadline: CaseDeadline,
  calendar: BusinessCalendar,
  hours: WorkingHours,
): string {
  if (deadline.proof.inputs.delay.unit === 'working-hours') {
    return seconds(new Date(Date.parse(deadline.dueAt) - 15 * 60_000).toISOString());
  }
  const dueDay = parseLocalDate(deadline.dueDate);
  return seconds(
    instantAtLocal(
      dueDay,
      Math.max(clock(hours.start), clock(hours.end) - DEADLINE_ACTION_BEFORE_CLOSE_MINUTES),
    ),
  );
}

function endOfWindow(
  from: string,
  window: { amount: number; unit: string },
  calendar: BusinessCalendar,
): string {
  const start = new Date(from);
  if (window.unit === 'calendar-days')
    return new Date(start.getTime() + window.amount * 86_400_000).toISOString();
  if (window.unit === 'business-days') {
    const local = formatLocalDate(toLocal(from).day);
    return instantAtLocal(parseLocalDate(addBusinessDays(calendar, local, window.amount)), 24 * 60 - 1);
  }
  return shiftWorkingHours(calendar, from, window.amount);
}

function idleRecheck(context: PlanContext): string {
  const { calendar, policy, now } = context;
  const today = formatLocalDate(toLocal(now.toISOString()).day);
  const day = addBusinessDays(calendar, today, IDLE_RECHECK_BUSINESS_DAYS);
  return seconds(instantAtLocal(parseLocalDate(day), clock(policy.organization.workingHours.start)));
}

function clock(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Step Functions timestamps: UTC, whole seconds. Rounded up so a step never fires before its instant. */
export function seconds(instant: string): string {
  const ms = Math.ceil(Date.parse(instant) / 1000) * 1000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function compact(instant: string): string {
  return seconds(instant).replace(/[-:]/g, '');
}
