import { DateTime } from 'luxon';

import { dayNumberOf } from '../../../shared/domain/time/local-date';
import {
  endOfLocalDay,
  instantAtLocal,
  parseInstant,
  toLocal,
  toUtcIso,
} from '../../../shared/domain/time/zone';

const ZONE = 'America/Toronto';

/** A deterministic pseudo-random sequence (the test must give the same cases on every run). */
function* lcg(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

describe('Québec time without a date library (checked against luxon and the IANA rules)', () => {
  it('reads any instant from 1990 to 2060 as luxon does', () => {
    const random = lcg(42);
    const from = Date.UTC(1990, 0, 1);
    const span = Date.UTC(2060, 0, 1) - from;
    for (let i = 0; i < 5_000; i += 1) {
      const ms = from + Math.floor(random.next().value * span);
      const instant = new Date(ms).toISOString();
      const expected = DateTime.fromMillis(ms, { zone: ZONE });
      const local = toLocal(instant);
      expect({ instant, iso: local.iso }).toEqual({ instant, iso: expected.toISO() });
      expect(local.day).toBe(dayNumberOf(expected.year, expected.month, expected.day));
      expect(local.minuteOfDay).toBeCloseTo(
        expected.hour * 60 + expected.minute + expected.second / 60 + expected.millisecond / 60_000,
        9,
      );
    }
  });

  it('gives the instant of every quarter hour of the DST change days, as luxon does where it is unambiguous', () => {
    // 2026: DST starts 8 March (02:00 → 03:00), ends 1 November (02:00 → 01:00).
    for (const [month, dayOfMonth] of [
      [3, 8],
      [11, 1],
      [3, 7],
      [11, 2],
    ] as const) {
      const day = dayNumberOf(2026, month, dayOfMonth);
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const hour = Math.floor(minute / 60);
        const ambiguousOrGap =
          ((month === 3 && dayOfMonth === 8) || (month === 11 && dayOfMonth === 1)) &&
          hour === (month === 3 ? 2 : 1);
        if (ambiguousOrGap) continue;
        const expected = DateTime.fromObject(
          { year: 2026, month, day: dayOfMonth, hour, minute: minute % 60 },
          { zone: ZONE },
        );
        expect({ minute, at: instantAtLocal(day, minute) }).toEqual({
          minute,
          at: new Date(expected.toMillis()).toISOString(),
        });
      }
    }
  });

  it('takes the first 01:30 when DST ends, and moves 02:30 forward when it starts', () => {
    expect(instantAtLocal(dayNumberOf(2026, 11, 1), 90)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(instantAtLocal(dayNumberOf(2026, 3, 8), 150)).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(endOfLocalDay(dayNumberOf(2026, 3, 8))).toBe('2026-03-09T03:59:59.999Z');
    expect(endOfLocalDay(dayNumberOf(2026, 12, 18))).toBe('2026-12-19T04:59:59.999Z');
  });

  it('parses instants with an offset or Z, and refuses local times and impossible dates', () => {
    expect(toUtcIso('2026-03-02T09:30-05:00')).toBe('2026-03-02T14:30:00.000Z');
    expect(toUtcIso('2026-03-02T09:30:15.5+0100')).toBe('2026-03-02T08:30:15.500Z');
    expect(toUtcIso(' 2026-03-02t14:00:00z ')).toBe('2026-03-02T14:00:00.000Z');
    expect(toLocal('2026-07-01T12:00:00Z').iso).toBe('2026-07-01T08:00:00.000-04:00');
    for (const bad of [
      '2026-03-02T09:30:00',
      '2026-02-30T09:30:00Z',
      '2026-03-02T24:00:00Z',
      '2026-03-02T09:60:00Z',
      '2026-03-02 09:30:00Z',
      'tomorrow Z',
      '2026-03-02T09:30:00+05:99',
    ]) {
      expect(() => parseInstant(bad)).toThrow(RangeError);
    }
  });
});
