import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessDays,
  bundledCalendars,
  businessDaysBetween,
  computeDeadline,
  isBusinessDay,
  nextWorkingInstant,
  toLocal,
} from '../../../shared/domain/time';
import { formatLocalDate } from '../../../shared/domain/time/local-date';
import { oracleDeadline } from './oracle';

const calendars = bundledCalendars();
const fp = calendars.at('qc-fonction-publique', '2026-11-26');
const li = calendars.at('qc-loi-interpretation', '2026-11-26');

const FROM = Date.parse('2025-01-01T00:00:00Z');
const TO = Date.parse('2030-12-31T23:59:59Z');
/** Receipts anywhere in 2025–2030, biased towards the risky seconds around local midnight and DST changes. */
const receipt = fc.oneof(
  fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms).toISOString()),
  fc
    .tuple(fc.integer({ min: 0, max: 2190 }), fc.integer({ min: -3, max: 3 }))
    .map(
      ([day, seconds]) =>
        DateTime.fromISO('2025-01-01', { zone: 'America/Toronto' })
          .plus({ days: day })
          .startOf('day')
          .plus({ seconds })
          .toUTC()
          .toISO() ?? '',
    ),
  fc.constantFrom(
    '2026-03-08T06:59:59Z',
    '2026-03-08T07:00:00Z',
    '2026-11-01T05:59:59Z',
    '2026-11-01T06:00:00Z',
  ),
);
const days = fc.integer({ min: 1, max: 60 });
const calendar = fc.constantFrom(fp, li);

describe('legal-time properties', () => {
  it('agrees with an independent implementation on random receipts 2025–2030', () => {
    fc.assert(
      fc.property(
        receipt,
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom('business', 'calendar'),
        (receivedAt, n, unit) => {
          const actual = computeDeadline({
            receivedAt,
            delay: { amount: n, unit: unit === 'business' ? 'business-days' : 'calendar-days' },
            calendar: fp,
          });
          const expected = oracleDeadline(receivedAt, n, unit as 'business' | 'calendar');
          expect({ dueDate: actual.dueDate, dueAt: actual.dueAt }).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('the due date is always a business day, after the day of receipt', () => {
    fc.assert(
      fc.property(
        receipt,
        days,
        calendar,
        fc.constantFrom('business-days', 'calendar-days'),
        (receivedAt, n, cal, unit) => {
          const deadline = computeDeadline({ receivedAt, delay: { amount: n, unit }, calendar: cal });
          expect(isBusinessDay(cal, deadline.dueDate)).toBe(true);
          expect(deadline.dueDate > formatLocalDate(toLocal(receivedAt).day)).toBe(true);
        },
      ),
    );
  });

  it('the count of business days between the day of receipt and the due date equals N', () => {
    fc.assert(
      fc.property(receipt, days, calendar, (receivedAt, n, cal) => {
        const deadline = computeDeadline({
          receivedAt,
          delay: { amount: n, unit: 'business-days' },
          calendar: cal,
        });
        const receivedDate = formatLocalDate(toLocal(receivedAt).day);
        expect(businessDaysBetween(cal, receivedDate, deadline.dueDate)).toBe(n);
        expect(deadline.proof.skipped.every((s) => !isBusinessDay(cal, s.date))).toBe(true);
      }),
    );
  });

  it('one more day never moves the deadline earlier (strictly later for business days)', () => {
    fc.assert(
      fc.property(receipt, days, calendar, (receivedAt, n, cal) => {
        const at = (amount: number, unit: 'business-days' | 'calendar-days') =>
          computeDeadline({ receivedAt, delay: { amount, unit }, calendar: cal }).dueDate;
        expect(at(n + 1, 'business-days') > at(n, 'business-days')).toBe(true);
        expect(at(n + 1, 'calendar-days') >= at(n, 'calendar-days')).toBe(true);
      }),
    );
  });

  it('a later receipt never gives an earlier deadline', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 1, max: 200_000 }), days, (receivedAt, laterBySeconds, n) => {
        const later = new Date(Date.parse(receivedAt) + laterBySeconds * 1000).toISOString();
        const first = computeDeadline({
          receivedAt,
          delay: { amount: n, unit: 'business-days' },
          calendar: fp,
        });
        const second = computeDeadline({
          receivedAt: later,
          delay: { amount: n, unit: 'business-days' },
          calendar: fp,
        });
        expect(second.dueAt >= first.dueAt).toBe(true);
      }),
    );
  });

  it('the deadline instant is the last millisecond of the due date in Québec', () => {
    fc.assert(
      fc.property(receipt, days, (receivedAt, n) => {
        const deadline = computeDeadline({
          receivedAt,
          delay: { amount: n, unit: 'business-days' },
          calendar: fp,
        });
        const local = DateTime.fromISO(deadline.dueAt, { zone: 'America/Toronto' });
        expect(local.toISODate()).toBe(deadline.dueDate);
        expect([local.hour, local.minute, local.second, local.millisecond]).toEqual([23, 59, 59, 999]);
        expect(deadline.dueAt.endsWith('Z')).toBe(true);
      }),
    );
  });

  it('addBusinessDays and businessDaysBetween are inverse, forwards and backwards', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2190 }),
        fc.integer({ min: -40, max: 40 }),
        calendar,
        (offset, n, cal) => {
          const date = formatLocalDate(Math.floor(FROM / 86_400_000) + offset);
          const moved = addBusinessDays(cal, date, n);
          expect(businessDaysBetween(cal, date, moved)).toBe(n);
          if (n !== 0) expect(isBusinessDay(cal, moved)).toBe(true);
        },
      ),
    );
  });

  it('nextWorkingInstant lands inside working hours on a business day, never earlier, and is idempotent', () => {
    fc.assert(
      fc.property(receipt, (instant) => {
        const next = nextWorkingInstant(fp, instant);
        const local = DateTime.fromISO(next, { zone: 'America/Toronto' });
        const minutes = local.hour * 60 + local.minute;
        expect(Date.parse(next)).toBeGreaterThanOrEqual(Date.parse(instant));
        expect(isBusinessDay(fp, local.toISODate() ?? '')).toBe(true);
        expect(minutes).toBeGreaterThanOrEqual(8 * 60 + 30);
        expect(minutes).toBeLessThan(16 * 60 + 30);
        expect(nextWorkingInstant(fp, next)).toBe(next);
      }),
    );
  });
});
