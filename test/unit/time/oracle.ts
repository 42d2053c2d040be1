import { DateTime } from 'luxon';
import { OBSERVED_FONCTION_PUBLIQUE } from './reference-holidays';

/**
 * A deliberately naive second implementation of DESIGN.md's counting rules, written with luxon date
 * iteration and the hand-written holiday table: the engine must agree with it on random receipts.
 */
const ZONE = 'America/Toronto';
const holidays = new Set(
  Object.entries(OBSERVED_FONCTION_PUBLIQUE).flatMap(([year, days]) => days.map((md) => `${year}-${md}`)),
);

export function oracleIsBusinessDay(date: DateTime): boolean {
  return date.weekday <= 5 && !holidays.has(date.toISODate() ?? '');
}

export function oracleDeadline(
  receivedAt: string,
  days: number,
  unit: 'business' | 'calendar',
): { dueDate: string; dueAt: string } {
  let day = DateTime.fromISO(receivedAt, { zone: ZONE }).startOf('day');
  if (unit === 'business') {
    let counted = 0;
    while (counted < days) {
      day = day.plus({ days: 1 });
      if (oracleIsBusinessDay(day)) counted++;
    }
  } else {
    day = day.plus({ days });
    while (!oracleIsBusinessDay(day)) day = day.plus({ days: 1 });
  }
  return { dueDate: day.toISODate() ?? '', dueAt: day.endOf('day').toUTC().toISO() ?? '' };
}
