import { civilOf, type DayNumber } from './local-date';
import type { SkippedDay } from './types';

/** Citizen-readable dates and times in French and English, without depending on the host's ICU locale data. */

const MONTHS_FR = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function weekdayIndex(day: DayNumber): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** « jeudi 18 décembre 2026 » (1er for the first of the month). */
export function longDateFr(day: DayNumber): string {
  const { year, month, day: d } = civilOf(day);
  return `${WEEKDAYS_FR[weekdayIndex(day)]} ${d === 1 ? '1er' : d} ${MONTHS_FR[month - 1]} ${year}`;
}

/** "Thursday, December 18, 2026". */
export function longDateEn(day: DayNumber): string {
  const { year, month, day: d } = civilOf(day);
  return `${WEEKDAYS_EN[weekdayIndex(day)]}, ${MONTHS_EN[month - 1]} ${d}, ${year}`;
}

/** « 24 décembre 2026 » */
export function shortDateFr(day: DayNumber): string {
  const { year, month, day: d } = civilOf(day);
  return `${d === 1 ? '1er' : d} ${MONTHS_FR[month - 1]} ${year}`;
}

/** "December 24, 2026" */
export function shortDateEn(day: DayNumber): string {
  const { year, month, day: d } = civilOf(day);
  return `${MONTHS_EN[month - 1]} ${d}, ${year}`;
}

/** « 10 h 05 » */
export function timeFr(minuteOfDay: number): string {
  const total = Math.floor(minuteOfDay);
  return `${Math.floor(total / 60)} h ${String(total % 60).padStart(2, '0')}`;
}

/** "10:05 a.m." */
export function timeEn(minuteOfDay: number): string {
  const total = Math.floor(minuteOfDay);
  const hours = Math.floor(total / 60);
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${hour12}:${String(total % 60).padStart(2, '0')} ${hours < 12 ? 'a.m.' : 'p.m.'}`;
}

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** « 4 jours de fin de semaine et 2 jours fériés (Noël, 25 décembre 2026 ; …) », or an empty string. */
export function skippedSummary(
  skipped: readonly SkippedDay[],
  dayOf: (date: string) => DayNumber,
): { fr: string; en: string } {
  const weekend = skipped.filter((s) => s.reason !== 'holiday').length;
  const holidays = skipped.filter((s) => s.reason === 'holiday');
  const partsFr: string[] = [];
  const partsEn: string[] = [];
  if (weekend > 0) {
    partsFr.push(plural(weekend, 'jour de fin de semaine', 'jours de fin de semaine'));
    partsEn.push(plural(weekend, 'weekend day', 'weekend days'));
  }
  if (holidays.length > 0) {
    const listFr = holidays
      .map((h) => `${h.name?.fr ?? 'jour férié'}, ${shortDateFr(dayOf(h.date))}`)
      .join(' ; ');
    const listEn = holidays
      .map((h) => `${h.name?.en ?? 'holiday'}, ${shortDateEn(dayOf(h.date))}`)
      .join('; ');
    partsFr.push(`${plural(holidays.length, 'jour férié', 'jours fériés')} (${listFr})`);
    partsEn.push(`${plural(holidays.length, 'holiday', 'holidays')} (${listEn})`);
  }
  return { fr: partsFr.join(' et '), en: partsEn.join(' and ') };
}
