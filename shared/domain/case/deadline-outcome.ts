import { businessDaysBetween } from '../time/business-days';
import type { BusinessCalendar } from '../time/calendar';
import { localDateOf } from '../time/local-date-of';
import type { CaseDeadline } from './case';

/**
 * Where a deadline stands: `pending` (unmet, not yet due), `met` (on time), `met-late` (met after it was
 * breached), `breached` (unmet past its due instant).
 */
export type DeadlineOutcomeKind = 'pending' | 'met' | 'met-late' | 'breached';

export interface DeadlineOutcome {
  readonly outcome: DeadlineOutcomeKind;
  /** The instant the deadline was breached: its due instant, when it passed unmet. */
  readonly breachedAt?: string;
  readonly metAt?: string;
  /**
   * Business days after the due date, on the deadline's calendar, up to the day it was met (`met-late`) or
   * today (`breached`), that day counted: 1 when met (or still unmet) on the next business day. A deadline met
   * late on a non-business day before the next business day is late by 0 business days.
   */
  readonly lateBusinessDays?: number;
}

/**
 * Whether a deadline was met or breached, and when.
 *
 * Rule: a deadline is breached at its due instant (`dueAt`, 23:59:59.999 Québec time of its last day for day
 * delays) when it was not met by then; the breach is that instant, whether the deadline is met later (then
 * both `breachedAt` and `metAt` are given, and the business days late) or is still unmet. Met at or before
 * `dueAt` is met on time. The due instant is the deadline in force (after extensions and recalculations).
 *
 * Derived, not recorded: the ledger already holds every fact it needs (the due instant and when the
 * commitment was met), so the breach is shown the same whether or not the workflow was running at the due
 * instant (see `docs/deadlines.md`).
 */
export function deadlineOutcome(
  deadline: Pick<CaseDeadline, 'dueAt' | 'dueDate' | 'metAt'>,
  now: Date,
  calendar: BusinessCalendar,
): DeadlineOutcome {
  const due = Date.parse(deadline.dueAt);
  if (deadline.metAt !== undefined) {
    if (Date.parse(deadline.metAt) <= due) return { outcome: 'met', metAt: deadline.metAt };
    return {
      outcome: 'met-late',
      breachedAt: deadline.dueAt,
      metAt: deadline.metAt,
      lateBusinessDays: businessDaysBetween(calendar, deadline.dueDate, localDateOf(deadline.metAt)),
    };
  }
  if (now.getTime() <= due) return { outcome: 'pending' };
  return {
    outcome: 'breached',
    breachedAt: deadline.dueAt,
    lateBusinessDays: businessDaysBetween(calendar, deadline.dueDate, localDateOf(now)),
  };
}
