import { dayNumberOf, civilOf, type DayNumber } from './local-date';
import { LEGAL_TIME_ZONE } from './types';

/**
 * The boundary between instants (UTC, stored) and local civil time in Québec (America/Toronto, where every
 * legal date is computed). DST comes from the IANA database of the runtime's ICU, through
 * `Intl.DateTimeFormat`: no date library in the bundles.
 */

export interface LocalDateTime {
  readonly day: DayNumber;
  /** Minutes since local midnight, with fractions for seconds and milliseconds. */
  readonly minuteOfDay: number;
  /** ISO-8601 local time with its UTC offset, e.g. `2026-12-18T10:00:00.000-05:00`. */
  readonly iso: string;
}

/** An instant read from an ISO-8601 string: milliseconds since the epoch. */
export interface ParsedInstant {
  readonly epochMs: number;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * Parses an ISO-8601 instant (`2026-03-02T09:30:00.000-05:00`, `…Z`; seconds and fractions optional) that
 * carries an offset or `Z`; a bare local time is ambiguous and refused, as is an impossible date or time.
 *
 * @throws RangeError
 */
export function parseInstant(instant: string): ParsedInstant {
  const text = instant.trim();
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    throw new RangeError(`instant needs a UTC offset or Z: ${JSON.stringify(instant)}`);
  }
  const match = ISO_INSTANT.exec(text);
  const invalid = () => new RangeError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  if (match === null) throw invalid();
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((index) => Number(match[index]));
  const second = Number(match[6] ?? '0');
  const millisecond = Number(`0.${match[7] ?? '0'}`) * 1000;
  const offsetSign = match[9] === '-' ? -1 : 1;
  const offsetMinutes = match[8] ? 0 : offsetSign * (Number(match[10]) * 60 + Number(match[11]));
  const wallMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second, Math.floor(millisecond));
  const wall = new Date(wallMs);
  const fits =
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month! - 1 &&
    wall.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    Math.abs(offsetMinutes) < 24 * 60 &&
    Number(match[11] ?? '0') <= 59;
  if (!fits) throw invalid();
  return { epochMs: wallMs - offsetMinutes * 60_000 };
}

let wallClock: Intl.DateTimeFormat | undefined;

/**
 * The Québec wall-clock formatter, built on first use: building it loads ICU's locale and time-zone data,
 * about 10 ms that a function's module load would otherwise pay even when no request reads the clock
 * (`docs/cold-start.md`).
 */
function wallClockFormat(): Intl.DateTimeFormat {
  wallClock ??= new Intl.DateTimeFormat('en-US', {
    timeZone: LEGAL_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return wallClock;
}

/** The Québec wall-clock fields of an instant (whole seconds; the milliseconds are the instant's own). */
function wallClockOf(epochMs: number) {
  const fields: Record<string, number> = {};
  for (const part of wallClockFormat().formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  return {
    year: fields['year']!,
    month: fields['month']!,
    day: fields['day']!,
    hour: fields['hour']!,
    minute: fields['minute']!,
    second: fields['second']!,
    millisecond,
  };
}

/** Québec's offset from UTC at an instant, in minutes (−300 in winter, −240 in summer). */
function offsetMinutesAt(epochMs: number): number {
  const wall = wallClockOf(epochMs);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - (epochMs - wall.millisecond)) / 60_000);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export function toLocal(instant: string | ParsedInstant): LocalDateTime {
  const { epochMs } = typeof instant === 'string' ? parseInstant(instant) : instant;
  const wall = wallClockOf(epochMs);
  const offset = offsetMinutesAt(epochMs);
  const sign = offset < 0 ? '-' : '+';
  const iso =
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:` +
    `${pad(wall.second)}.${pad(wall.millisecond, 3)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:` +
    pad(Math.abs(offset) % 60);
  return {
    day: dayNumberOf(wall.year, wall.month, wall.day),
    minuteOfDay: wall.hour * 60 + wall.minute + wall.second / 60 + wall.millisecond / 60_000,
    iso,
  };
}

/**
 * The UTC instant (ISO, `Z`) of a local wall-clock time on a local date. A time that occurs twice (the hour
 * repeated when DST ends) is its first occurrence; a time that does not occur (the hour skipped when DST
 * starts) is moved forward by the gap (02:30 becomes 03:30 daylight time).
 */
export function instantAtLocal(day: DayNumber, minuteOfDay: number): string {
  const { year, month, day: dayOfMonth } = civilOf(day);
  const wallMs = Date.UTC(year, month - 1, dayOfMonth) + Math.round(minuteOfDay * 60_000);
  // The offsets in force a day either side bracket every transition (they are at least weeks apart).
  const before = offsetMinutesAt(wallMs - 86_400_000);
  const after = offsetMinutesAt(wallMs + 86_400_000);
  // Earliest first: the larger offset (daylight time) gives the earlier instant of a repeated wall time.
  const candidates = [...new Set([before, after])].sort((a, b) => b - a);
  for (const offset of candidates) {
    const epochMs = wallMs - offset * 60_000;
    if (offsetMinutesAt(epochMs) === offset) return new Date(epochMs).toISOString();
  }
  // In the gap: the wall time read with the offset before the change, which lands after it.
  return new Date(wallMs - Math.min(before, after) * 60_000).toISOString();
}

/** The last millisecond of a local day (23:59:59.999, Québec time) as a UTC instant. */
export function endOfLocalDay(day: DayNumber): string {
  return instantAtLocal(day, 24 * 60 - 1 / 60_000);
}

export function toUtcIso(instant: string): string {
  return new Date(parseInstant(instant).epochMs).toISOString();
}
