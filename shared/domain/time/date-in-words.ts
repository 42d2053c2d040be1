import { longDateEn, longDateFr } from './explain';
import { parseLocalDate } from './local-date';
import { localDateOf } from './local-date-of';

/** A local date in words for a message: « lundi 11 janvier 2027 » / "Monday, January 11, 2027". */
export function dateInWords(localDate: string, language: 'fr' | 'en'): string {
  const day = parseLocalDate(localDate);
  return language === 'fr' ? longDateFr(day) : longDateEn(day);
}

/** The local (Québec) date of an instant, in words. */
export function instantDateInWords(instant: string, language: 'fr' | 'en'): string {
  return dateInWords(localDateOf(instant), language);
}
