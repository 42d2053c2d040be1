import * as z from '../../zod-mini';
import type { BusinessCalendar } from './calendar';
import type { DayNumber } from './local-date';
import { instantAtLocal, toLocal } from './zone';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WorkingHoursSchema = z
  .strictObject({
    start: z.string().check(z.regex(CLOCK_TIME, 'expected a time HH:MM')),
    end: z.string().check(z.regex(CLOCK_TIME, 'expected a time HH:MM')),
  })
  .check(
    z.refine((h) => h.start < h.end, { message: 'working hours must end after they start', path: ['end'] }),
  );
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/** 08:30–16:30 local, when notifications go out and working-hour delays run. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { start: '08:30', end: '16:30' };

function minutes(clock: string): number {
  const [hours, mins] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
}

/**
 * The first instant at or after `instant` that falls inside working hours on a business day: the
 * instant itself when it already does, else the opening of the next working period.
 */
export function nextWorkingInstant(
  calendar: BusinessCalendar,
  instant: string,
  hours: WorkingHours = DEFAULT_WORKING_HOURS,
): string {
  const open = minutes(hours.start);
  const close = minutes(hours.end);
  const local = toLocal(instant);
  if (calendar.isBusinessDay(local.day)) {
    if (local.minuteOfDay < open) return instantAtLocal(local.day, open);
    if (local.minuteOfDay < close) return new Date(Date.parse(instant)).toISOString();
  }
  return instantAtLocal(nextBusinessDay(calendar, local.day), open);
}

export interface WorkingHoursResult {
  readonly dueAt: string;
  readonly dueDay: DayNumber;
  /** Non-business days crossed while counting. */
  readonly skippedDays: DayNumber[];
}

/**
 * Adds `hours` of working time to an instant: only time inside working hours on business days runs.
 * A request received in the evening starts counting at the next opening.
 */
export function addWorkingHours(
  calendar: BusinessCalendar,
  instant: string,
  hours: number,
  workingHours: WorkingHours = DEFAULT_WORKING_HOURS,
): WorkingHoursResult {
  const open = minutes(workingHours.start);
  const close = minutes(workingHours.end);
  const start = toLocal(instant);
  let day = start.day;
  let at = start.minuteOfDay;
  let left = hours * 60;
  const skippedDays: DayNumber[] = [];
  for (;;) {
    if (calendar.isBusinessDay(day)) {
      const from = Math.max(at, open);
      const available = Math.max(0, close - from);
      if (left <= available) return { dueAt: instantAtLocal(day, from + left), dueDay: day, skippedDays };
      left -= available;
    } else if (day !== start.day) {
      skippedDays.push(day);
    }
    day += 1;
    at = 0;
  }
}

function nextBusinessDay(calendar: BusinessCalendar, day: DayNumber): DayNumber {
  let next = day + 1;
  while (!calendar.isBusinessDay(next)) next++;
  return next;
}

/**
 * Moves an instant by a signed number of working hours: forwards like `addWorkingHours`, backwards counting
 * only time inside working hours on business days (used for steps "2 working hours before a deadline").
 */
export function shiftWorkingHours(
  calendar: BusinessCalendar,
  instant: string,
  hours: number,
  workingHours: WorkingHours = DEFAULT_WORKING_HOURS,
): string {
  if (hours >= 0)
    return hours === 0 ? instant : addWorkingHours(calendar, instant, hours, workingHours).dueAt;
  const open = minutes(workingHours.start);
  const close = minutes(workingHours.end);
  const start = toLocal(instant);
  let day = start.day;
  let at = start.minuteOfDay;
  let left = -hours * 60;
  for (;;) {
    if (calendar.isBusinessDay(day)) {
      const until = Math.min(at, close);
      const available = Math.max(0, until - open);
      if (left <= available) return instantAtLocal(day, until - left);
      left -= available;
    }
    day -= 1;
    at = 24 * 60;
  }
}
