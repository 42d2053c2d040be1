import { todayInQuebec } from '../../../cli/commands/deadline';
import { instantDateInWords } from '../../../shared/domain/time/date-in-words';
import { localDateOf } from '../../../shared/domain/time';

describe('localDateOf: the Québec calendar date of an instant', () => {
  it.each([
    // Spring forward on Sunday 2026-03-08 at 02:00 EST (07:00Z): 01:59 EST and 03:00 EDT are the same day.
    ['2026-03-08T06:59:00Z', '2026-03-08'],
    ['2026-03-08T07:00:00Z', '2026-03-08'],
    // Local midnight is 05:00Z before the change and 04:00Z after it.
    ['2026-03-08T04:59:59.999Z', '2026-03-07'],
    ['2026-03-08T05:00:00Z', '2026-03-08'],
    ['2026-03-09T03:59:59.999Z', '2026-03-08'],
    ['2026-03-09T04:00:00Z', '2026-03-09'],
    // Fall back on Sunday 2026-11-01 at 02:00 EDT (06:00Z); the next midnight is 05:00Z again.
    ['2026-11-01T05:59:59Z', '2026-11-01'],
    ['2026-11-01T06:00:00Z', '2026-11-01'],
    ['2026-11-02T04:59:59.999Z', '2026-11-01'],
    ['2026-11-02T05:00:00Z', '2026-11-02'],
  ])('%s is on %s in Québec', (instant, expected) => {
    expect(localDateOf(instant)).toBe(expected);
  });

  it('midnight UTC is the previous evening in Québec, in summer and in winter', () => {
    expect(localDateOf('2026-07-01T00:00:00Z')).toBe('2026-06-30');
    expect(localDateOf('2027-01-01T00:00:00Z')).toBe('2026-12-31');
    expect(localDateOf('2026-12-31T23:59:59Z')).toBe('2026-12-31');
    expect(localDateOf('2027-01-01T04:59:59.999Z')).toBe('2026-12-31');
    expect(localDateOf('2027-01-01T05:00:00Z')).toBe('2027-01-01');
  });

  it('reads a Date and an instant with any offset as the same moment', () => {
    expect(localDateOf(new Date('2026-07-01T03:30:00Z'))).toBe('2026-06-30');
    expect(localDateOf(new Date('2026-07-01T04:00:00Z'))).toBe('2026-07-01');
    expect(localDateOf('2026-07-01T01:30:00+02:00')).toBe('2026-06-30');
    expect(localDateOf('2026-06-30T23:30:00-04:00')).toBe('2026-06-30');
  });

  it('refuses a local time without an offset, which names no instant', () => {
    expect(() => localDateOf('2026-07-01T00:00:00')).toThrow(RangeError);
  });

  it('is the date the CLI takes as today and the date messages put in words', () => {
    const evening = '2027-01-12T02:30:00Z';
    expect(todayInQuebec(new Date(evening))).toBe('2027-01-11');
    expect(instantDateInWords(evening, 'fr')).toBe('lundi 11 janvier 2027');
    expect(instantDateInWords(evening, 'en')).toBe('Monday, January 11, 2027');
  });
});
