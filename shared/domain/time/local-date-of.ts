import { formatLocalDate } from './local-date';
import type { LocalDate } from './types';
import { toLocal } from './zone';

/**
 * The Québec calendar date (America/Toronto, DST-correct) of an instant: "today" for a legal rule is the local
 * date of now, and the day of receipt is the local date of the received-at instant, whatever the UTC date.
 * A string must be an ISO-8601 instant with an offset or `Z`.
 */
export function localDateOf(instant: Date | string): LocalDate {
  return formatLocalDate(toLocal(typeof instant === 'string' ? instant : instant.toISOString()).day);
}
