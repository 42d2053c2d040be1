import type { BusinessCalendar } from './calendar';
import { formatLocalDate, parseLocalDate } from './local-date';
import type { LocalDate } from './types';

/** A business day is a Monday to Friday that is not an observed holiday of the calendar. */
export function isBusinessDay(calendar: BusinessCalendar, date: LocalDate): boolean {
  return calendar.isBusinessDay(parseLocalDate(date));
}

/**
 * The `n`th business day after `date` (n > 0) or before it (n < 0); `date` itself is never counted.
 * With n = 0 the date is returned unchanged. Invariant: `businessDaysBetween(d, addBusinessDays(d, n)) === n`.
 */
export function addBusinessDays(calendar: BusinessCalendar, date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`business days must be a whole number: ${n}`);
  let day = parseLocalDate(date);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0;) {
    day += step;
    if (calendar.isBusinessDay(day)) left -= 1;
  }
  return formatLocalDate(day);
}

/**
 * Signed count of business days from `from` to `to`: the business days d with from < d ≤ to when
 * `to` is later, minus those with to ≤ d < from when it is earlier. The day of departure is not counted,
 * the day of arrival is (Code de procédure civile art. 83).
 */
export function businessDaysBetween(calendar: BusinessCalendar, from: LocalDate, to: LocalDate): number {
  const start = parseLocalDate(from);
  const end = parseLocalDate(to);
  let count = 0;
  if (end >= start) {
    for (let day = start + 1; day <= end; day++) if (calendar.isBusinessDay(day)) count++;
    return count;
  }
  for (let day = end; day < start; day++) if (calendar.isBusinessDay(day)) count++;
  return -count;
}

/** The first business day on or after a date. */
export function businessDayOnOrAfter(calendar: BusinessCalendar, date: LocalDate): LocalDate {
  let day = parseLocalDate(date);
  while (!calendar.isBusinessDay(day)) day++;
  return formatLocalDate(day);
}
