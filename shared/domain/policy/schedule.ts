import type { Category, DeadlineKind, NotifyTarget, ScheduleStep, StepOffset } from './schema';

/** One notification the workflow may send for a case, before knowing the case's dates. */
export interface ScheduleOccurrence {
  /**
   * Idempotency key within the case: the step id for its first occurrence, `step#n` for the n-th (n ≥ 2).
   * At most one notification is ever sent per case and occurrence id.
   */
  id: string;
  step: string;
  relativeTo: DeadlineKind;
  offset: StepOffset;
  notify: NotifyTarget;
}

/**
 * Unrolls a category's schedule into occurrences: each step once, plus its bounded repeats, the n-th repeat
 * falling `n × every` units (the offset's unit) after the step. Occurrences keep the order of the schedule,
 * each step followed by its repeats; steps of a deadline already met are the workflow's to skip.
 */
export function expandSchedule(category: Pick<Category, 'schedule'>): ScheduleOccurrence[] {
  return category.schedule.flatMap((step) => occurrencesOf(step));
}

function occurrencesOf(step: ScheduleStep): ScheduleOccurrence[] {
  const repeats = step.repeat?.maxRepeats ?? 0;
  const every = step.repeat?.every ?? 0;
  return Array.from({ length: repeats + 1 }, (_, n) => ({
    id: n === 0 ? step.step : `${step.step}#${n + 1}`,
    step: step.step,
    relativeTo: step.relativeTo,
    offset: { amount: step.offset.amount + n * every, unit: step.offset.unit },
    notify: step.notify,
  }));
}
