import { civilOf, dayNumberOf, parseLocalDate } from '../../time/local-date';
import type { LocalDate } from '../../time/types';

/** How long the immigrant basis lasts after arrival (Charte de la langue française, art. 22.3): six months. */
export const IMMIGRANT_BASIS_MONTHS = 6;

/** Why an arrival date cannot support the immigrant basis on the day of receipt. */
export type ArrivalProblem = 'not-a-date' | 'in-the-future' | 'more-than-six-months-ago';

/** The same day `months` later, or the last day of that month when it has no such day (31 August → 28 February). */
function addMonths(date: LocalDate, months: number): number {
  const { year, month, day } = civilOf(parseLocalDate(date));
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = civilOf(dayNumberOf(targetYear, targetMonth + 1, 1) - 1).day;
  return dayNumberOf(targetYear, targetMonth, Math.min(day, lastDay));
}

/**
 * The immigrant basis holds during the six months after arrival: the arrival date must be a real date, not
 * after the day of receipt, and the day of receipt not after the same day six months later (the anniversary
 * itself still counts, in the person's favour). `undefined` when the basis holds.
 */
export function arrivalProblem(arrivedOn: string, receivedOn: LocalDate): ArrivalProblem | undefined {
  let arrived: number;
  try {
    arrived = parseLocalDate(arrivedOn);
  } catch {
    return 'not-a-date';
  }
  const received = parseLocalDate(receivedOn);
  if (arrived > received) return 'in-the-future';
  if (received > addMonths(arrivedOn, IMMIGRANT_BASIS_MONTHS)) return 'more-than-six-months-ago';
  return undefined;
}
