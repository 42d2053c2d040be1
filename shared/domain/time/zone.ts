import { DateTime } from 'luxon';
import { dayNumberOf, civilOf, type DayNumber } from './local-date';
import { LEGAL_TIME_ZONE } from './types';

/**
 * The boundary between instants (UTC, stored) and local civil time in Québec (America/Toronto,
 * where every legal date is computed). DST is handled by the IANA database through luxon.
 */

export interface LocalDateTime {
  readonly day: DayNumber;
  /** Minutes since local midnight, with fractions for seconds and milliseconds. */
  readonly minuteOfDay: number;
  /** ISO-8601 local time with its UTC offset, e.g. `2026-12-18T10:00:00.000-05:00`. */
  readonly iso: string;
}

/** Parses an ISO-8601 instant that carries an offset or `Z`; a bare local time is ambiguous and refused. */
export function parseInstant(instant: string): DateTime {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(instant.trim())) {
    throw new RangeError(`instant needs a UTC offset or Z: ${JSON.stringify(instant)}`);
  }
  const parsed = DateTime.fromISO(instant.trim(), { setZone: true });
  if (!parsed.isValid) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return parsed;
}

export function toLocal(instant: string | DateTime): LocalDateTime {
  const parsed = typeof instant === 'string' ? parseInstant(instant) : instant;
  const local = parsed.setZone(LEGAL_TIME_ZONE);
  return {
    day: dayNumberOf(local.year, local.month, local.day),
    minuteOfDay: local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000,
    iso: local.toISO() ?? '',
  };
}

/** The UTC instant (ISO, `Z`) of a local wall-clock time on a local date. */
export function instantAtLocal(day: DayNumber, minuteOfDay: number): string {
  const { year, month, day: dayOfMonth } = civilOf(day);
  const totalMs = Math.round(minuteOfDay * 60_000);
  const local = DateTime.fromObject(
    {
      year,
      month,
      day: dayOfMonth,
      hour: Math.floor(totalMs / 3_600_000),
      minute: Math.floor(totalMs / 60_000) % 60,
      second: Math.floor(totalMs / 1000) % 60,
      millisecond: totalMs % 1000,
    },
    { zone: LEGAL_TIME_ZONE },
  );
  return new Date(local.toMillis()).toISOString();
}

/** The last millisecond of a local day (23:59:59.999, Québec time) as a UTC instant. */
export function endOfLocalDay(day: DayNumber): string {
  return instantAtLocal(day, 24 * 60 - 1 / 60_000);
}

export function toUtcIso(instant: string): string {
  return new Date(parseInstant(instant).toMillis()).toISOString();
}
