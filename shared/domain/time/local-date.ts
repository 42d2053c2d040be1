import type { LocalDate } from './types';

/**
 * Civil dates as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar).
 * Counting business days happens on civil dates, never on instants, so no time zone or DST
 * transition can shift a count; instants are only produced at the very end (see `zone.ts`).
 */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const Weekday = {
  Monday: 1,
  Tuesday: 2,
  Wednesday: 3,
  Thursday: 4,
  Friday: 5,
  Saturday: 6,
  Sunday: 7,
} as const;

export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30. */
export function parseLocalDate(date: string): DayNumber {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dayNumber = dayNumberOf(year, month, day);
  const back = civilOf(dayNumber);
  if (back.year !== year || back.month !== month || back.day !== day) {
    throw new RangeError(`no such date: ${date}`);
  }
  return dayNumber;
}

export function civilOf(dayNumber: DayNumber): { year: number; month: number; day: number } {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function formatLocalDate(dayNumber: DayNumber): LocalDate {
  const { year, month, day } = civilOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO weekday: Monday = 1 … Sunday = 7. */
export function isoWeekday(dayNumber: DayNumber): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  return isoWeekday(dayNumber) >= Weekday.Saturday;
}

/** The `nth` (1-based) given weekday of a month, e.g. the 2nd Monday of October. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): DayNumber {
  const first = dayNumberOf(year, month, 1);
  const offset = (weekday - isoWeekday(first) + 7) % 7;
  return first + offset + (nth - 1) * 7;
}

/** The last given weekday strictly before a date, e.g. the Monday before 25 May. */
export function weekdayBefore(dayNumber: DayNumber, weekday: number): DayNumber {
  const back = (isoWeekday(dayNumber) - weekday + 7) % 7 || 7;
  return dayNumber - back;
}
