import {
  bundledCalendars,
  computeDeadline,
  DeadlineSchema,
  nextWorkingInstant,
  reconcileRecalculation,
  type Delay,
} from '../../../shared/domain/time';

const fp = bundledCalendars().at('qc-fonction-publique', '2026-11-26');
const li = bundledCalendars().at('qc-loi-interpretation', '2026-11-26');
const business = (amount: number): Delay => ({ amount, unit: 'business-days' });
const calendarDays = (amount: number): Delay => ({ amount, unit: 'calendar-days' });

describe('business-day deadlines', () => {
  it('10 business days from Friday 18 Dec 2026 skip the holiday season and end Monday 11 Jan 2027 at 23:59:59.999', () => {
    const deadline = computeDeadline({
      receivedAt: '2026-12-18T15:00:00Z',
      delay: business(10),
      calendar: fp,
    });
    expect(deadline.dueDate).toBe('2027-01-11');
    expect(deadline.dueAt).toBe('2027-01-12T04:59:59.999Z');
    expect(deadline.proof.skipped.filter((s) => s.reason === 'holiday').map((s) => s.date)).toEqual([
      '2026-12-24',
      '2026-12-25',
      '2026-12-28',
      '2026-12-31',
      '2027-01-01',
      '2027-01-04',
    ]);
    expect(DeadlineSchema.parse(deadline)).toEqual(deadline);
  });

  it('does not count the day of receipt even when it is a Saturday', () => {
    const deadline = computeDeadline({
      receivedAt: '2026-11-28T15:00:00Z',
      delay: business(1),
      calendar: fp,
    });
    expect(deadline.dueDate).toBe('2026-11-30');
  });

  it.each([
    ['one second before local midnight counts from the 17th', '2026-12-18T04:59:59Z', '2027-01-08'],
    ['one second after local midnight counts from the 18th', '2026-12-18T05:00:01Z', '2027-01-11'],
    ['in summer time, one second before midnight EDT', '2026-07-02T03:59:59Z', '2026-07-15'],
    ['in summer time, one second after midnight EDT', '2026-07-02T04:00:01Z', '2026-07-16'],
  ])('%s', (_label, receivedAt, dueDate) => {
    expect(computeDeadline({ receivedAt, delay: business(10), calendar: fp }).dueDate).toBe(dueDate);
  });

  it.each([
    [
      'across the spring change (8 Mar 2026): due at 23:59:59.999 EDT',
      '2026-03-06T20:00:00Z',
      1,
      '2026-03-09',
      '2026-03-10T03:59:59.999Z',
    ],
    [
      'received in the skipped hour-adjacent night of 8 Mar',
      '2026-03-08T07:30:00Z',
      1,
      '2026-03-09',
      '2026-03-10T03:59:59.999Z',
    ],
    [
      'across the fall change (1 Nov 2026): due at 23:59:59.999 EST',
      '2026-10-30T20:00:00Z',
      1,
      '2026-11-02',
      '2026-11-03T04:59:59.999Z',
    ],
    [
      'received in the repeated hour of 1 Nov (first 01:30, EDT)',
      '2026-11-01T05:30:00Z',
      1,
      '2026-11-02',
      '2026-11-03T04:59:59.999Z',
    ],
    [
      'received in the repeated hour of 1 Nov (second 01:30, EST)',
      '2026-11-01T06:30:00Z',
      1,
      '2026-11-02',
      '2026-11-03T04:59:59.999Z',
    ],
    [
      'a deadline that falls on the day of the fall change itself',
      '2026-10-23T16:00:00Z',
      7,
      '2026-11-03',
      '2026-11-04T04:59:59.999Z',
    ],
  ])('%s', (_label, receivedAt, days, dueDate, dueAt) => {
    const deadline = computeDeadline({ receivedAt, delay: business(days), calendar: fp });
    expect(deadline.dueDate).toBe(dueDate);
    expect(deadline.dueAt).toBe(dueAt);
  });

  it('accepts instants with any offset and stores them in UTC', () => {
    const deadline = computeDeadline({
      receivedAt: '2026-12-18T10:00:00-05:00',
      delay: business(10),
      calendar: fp,
    });
    expect(deadline.proof.inputs.receivedAt).toBe('2026-12-18T15:00:00.000Z');
    expect(deadline.proof.inputs.receivedLocal).toBe('2026-12-18T10:00:00.000-05:00');
  });

  it('refuses a local time without offset and an impossible date', () => {
    expect(() =>
      computeDeadline({ receivedAt: '2026-12-18T10:00:00', delay: business(10), calendar: fp }),
    ).toThrow(/offset/);
    expect(() =>
      computeDeadline({ receivedAt: '2026-02-30T10:00:00Z', delay: business(10), calendar: fp }),
    ).toThrow();
    expect(() =>
      computeDeadline({ receivedAt: '2026-12-18T10:00:00Z', delay: business(0), calendar: fp }),
    ).toThrow();
  });
});

describe('the deadline proof', () => {
  const deadline = computeDeadline({ receivedAt: '2026-12-18T15:00:00Z', delay: business(10), calendar: fp });

  it('records the inputs, the rule, the calendar id and version', () => {
    expect(deadline.proof.inputs.delay).toEqual(business(10));
    expect(deadline.proof.inputs.timeZone).toBe('America/Toronto');
    expect(deadline.proof.rule.id).toBe('business-days/day-of-receipt-not-counted');
    expect(deadline.proof.calendar).toEqual({
      id: 'qc-fonction-publique',
      version: '2026.1',
      effectiveFrom: '2000-01-01',
    });
  });

  it('names the skipped holidays, including moved ones', () => {
    const observed = deadline.proof.skipped.find((s) => s.date === '2026-12-28');
    expect(observed).toEqual({
      date: '2026-12-28',
      reason: 'holiday',
      name: { fr: 'Lendemain de Noël (jour chômé)', en: 'Day after Christmas (observed)' },
    });
    expect(deadline.proof.skipped.find((s) => s.date === '2026-12-26')?.reason).toBe('saturday');
  });

  it('explains the computation in French and in English', () => {
    expect(deadline.proof.explanation.fr).toContain('Le jour de la réception n’est pas compté');
    expect(deadline.proof.explanation.fr).toContain('se termine le lundi 11 janvier 2027 à 23 h 59');
    expect(deadline.proof.explanation.fr).toContain('Veille de Noël, 24 décembre 2026');
    expect(deadline.proof.explanation.en).toContain('The day of receipt is not counted');
    expect(deadline.proof.explanation.en).toContain('ends on Monday, January 11, 2027 at 11:59 p.m.');
    expect(deadline.proof.explanation.en).not.toContain('p.m..');
  });
});

describe('calendar-day deadlines', () => {
  it('fall on the Nth calendar day when it is a business day', () => {
    const deadline = computeDeadline({
      receivedAt: '2026-06-05T15:00:00Z',
      delay: calendarDays(20),
      calendar: fp,
    });
    expect(deadline.dueDate).toBe('2026-06-25');
    expect(deadline.proof.rolledForwardFrom).toBeUndefined();
    expect(deadline.proof.skipped).toEqual([]);
  });

  it('roll forward to the next business day (Loi d’interprétation art. 52) and say so', () => {
    // 20 days after Wed 4 Nov 2026 is Tue 24 Nov; 20 days after Fri 4 Dec 2026 is Thu 24 Dec (holiday) → Tue 29.
    const deadline = computeDeadline({
      receivedAt: '2026-12-04T15:00:00Z',
      delay: calendarDays(20),
      calendar: fp,
    });
    expect(deadline.dueDate).toBe('2026-12-29');
    expect(deadline.proof.rolledForwardFrom).toBe('2026-12-24');
    expect(deadline.proof.skipped.map((s) => s.date)).toEqual([
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-27',
      '2026-12-28',
    ]);
    expect(deadline.proof.explanation.fr).toContain('art. 52');
    expect(deadline.proof.explanation.en).toContain('s. 52');
  });

  it('use the Loi d’interprétation calendar when bound to it: 2 July 2028 is not a holiday there', () => {
    // Received Fri 2 Jun 2028 + 30 days = Sun 2 Jul 2028 → Mon 3 Jul under I-16 (1 July is a Saturday, no shift).
    const deadline = computeDeadline({
      receivedAt: '2028-06-02T15:00:00Z',
      delay: calendarDays(30),
      calendar: li,
    });
    expect(deadline.dueDate).toBe('2028-07-03');
    expect(deadline.proof.calendar.id).toBe('qc-loi-interpretation');
  });
});

describe('working-hour deadlines', () => {
  it('count only 08:30–16:30 on business days', () => {
    // Wed 23 Dec 2026 15:00 local: 1.5 h that day, then 24, 25, 26, 27, 28 are closed; 2.5 h on Tue 29 → 11:00.
    const deadline = computeDeadline({
      receivedAt: '2026-12-23T20:00:00Z',
      delay: { amount: 4, unit: 'working-hours' },
      calendar: fp,
    });
    expect(deadline.dueAt).toBe('2026-12-29T16:00:00.000Z');
    expect(deadline.dueDate).toBe('2026-12-29');
    expect(deadline.proof.explanation.fr).toContain('de 8 h 30 à 16 h 30');
  });

  it('start at the next opening when received at night', () => {
    const deadline = computeDeadline({
      receivedAt: '2026-11-26T03:00:00Z',
      delay: { amount: 1, unit: 'working-hours' },
      calendar: fp,
    });
    expect(deadline.dueAt).toBe('2026-11-26T14:30:00.000Z');
  });
});

describe('nextWorkingInstant', () => {
  it.each([
    ['inside working hours: unchanged', '2026-11-26T15:00:00.000Z', '2026-11-26T15:00:00.000Z'],
    ['before opening: 08:30 the same day', '2026-11-26T11:00:00Z', '2026-11-26T13:30:00.000Z'],
    ['at closing: next business morning', '2026-11-26T21:30:00Z', '2026-11-27T13:30:00.000Z'],
    ['Friday evening: Monday 08:30', '2026-11-27T22:00:00Z', '2026-11-30T13:30:00.000Z'],
    ['Christmas Eve: Tuesday 29 Dec 08:30', '2026-12-24T15:00:00Z', '2026-12-29T13:30:00.000Z'],
    [
      'Saturday before the spring change: Monday 08:30 EDT',
      '2026-03-07T15:00:00Z',
      '2026-03-09T12:30:00.000Z',
    ],
  ])('%s', (_label, instant, expected) => {
    expect(nextWorkingInstant(fp, instant)).toBe(expected);
  });
});

describe('recalculation never shortens a communicated deadline', () => {
  const communicated = computeDeadline({
    receivedAt: '2026-12-18T15:00:00Z',
    delay: business(10),
    calendar: fp,
  });

  it('keeps the communicated deadline when the recalculation is earlier', () => {
    const earlier = computeDeadline({ receivedAt: '2026-12-18T15:00:00Z', delay: business(9), calendar: fp });
    expect(reconcileRecalculation(communicated, earlier)).toEqual({
      deadline: communicated,
      kept: 'communicated',
    });
  });

  it('takes a later recalculation', () => {
    const later = computeDeadline({ receivedAt: '2026-12-18T15:00:00Z', delay: business(11), calendar: fp });
    expect(reconcileRecalculation(communicated, later)).toEqual({ deadline: later, kept: 'recalculated' });
  });
});
