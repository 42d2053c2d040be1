import {
  bundledCalendars,
  CalendarRegistry,
  computeObservedHolidays,
  easterSunday,
} from '../../../shared/domain/time';
import { formatLocalDate } from '../../../shared/domain/time/local-date';
import { fullDates, OBSERVED_FONCTION_PUBLIQUE, STATUTORY_LOI_INTERPRETATION } from './reference-holidays';

describe('Easter (Gregorian computus)', () => {
  it.each([
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2022, '2022-04-17'],
    [2024, '2024-03-31'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, expected) => {
    expect(formatLocalDate(easterSunday(year))).toBe(expected);
  });
});

describe('qc-fonction-publique observed holidays', () => {
  const calendar = bundledCalendars().at('qc-fonction-publique', '2026-11-26');

  it.each(Object.entries(OBSERVED_FONCTION_PUBLIQUE).map(([year, days]) => [Number(year), days] as const))(
    'year %i matches the published or rule-derived closures',
    (year, days) => {
      const observed = calendar.observedHolidays(year).map((h) => h.date);
      expect(observed).toEqual(fullDates(year, days));
    },
  );

  it('names every day in French and English and marks moved ones as observed', () => {
    const holidays = calendar.observedHolidays(2027);
    const christmas = holidays.find((h) => h.key === 'christmas');
    expect(christmas).toMatchObject({ date: '2027-12-27', actualDate: '2027-12-25' });
    expect(christmas?.name.fr).toBe('Noël (jour chômé)');
    expect(christmas?.name.en).toBe('Christmas Day (observed)');
    for (const h of holidays) {
      expect(h.name.fr.length).toBeGreaterThan(0);
      expect(h.name.en.length).toBeGreaterThan(0);
    }
  });

  it('2022: 25 Dec on a Sunday with 26 Dec on a Monday closes the 26th and the 27th', () => {
    const december = calendar.observedHolidays(2022).filter((h) => h.date.startsWith('2022-12'));
    expect(december.map((h) => [h.date, h.key])).toEqual([
      ['2022-12-23', 'christmas-eve'],
      ['2022-12-26', 'day-after-christmas'],
      ['2022-12-27', 'christmas'],
      ['2022-12-30', 'new-years-eve'],
    ]);
  });

  it('never observes two holidays on one day and never on a weekend', () => {
    for (let year = 2000; year <= 2060; year++) {
      const holidays = computeObservedHolidays('qc-fonction-publique', year);
      expect(holidays).toHaveLength(13);
      expect(new Set(holidays.map((h) => h.date)).size).toBe(13);
      for (const h of holidays) {
        const weekday = new Date(`${h.date}T12:00:00Z`).getUTCDay();
        expect([0, 6]).not.toContain(weekday);
        expect(h.date.slice(0, 4)).toBe(String(year));
      }
    }
  });
});

describe('qc-loi-interpretation statutory days', () => {
  const calendar = bundledCalendars().at('qc-loi-interpretation', '2026-11-26');

  it.each(Object.entries(STATUTORY_LOI_INTERPRETATION).map(([year, days]) => [Number(year), days] as const))(
    'year %i lists the art. 61 days',
    (year, days) => {
      expect(calendar.observedHolidays(year).map((h) => h.date)).toEqual(fullDates(year, days));
    },
  );

  it('keeps 2 January and 26 December as business days (they are not art. 61 days)', () => {
    expect(calendar.isBusinessDay(dayOf('2026-01-02'))).toBe(true);
    expect(calendar.isBusinessDay(dayOf('2030-12-26'))).toBe(true);
  });
});

describe('versioned calendars', () => {
  const base = {
    id: 'qc-fonction-publique',
    name: { fr: 'Test', en: 'Test' },
  };

  it('an official list replaces the computed dates of its year only', () => {
    const registry = CalendarRegistry.from([
      {
        ...base,
        versions: [
          { version: 'v1', effectiveFrom: '2000-01-01', ruleSet: 'qc-fonction-publique' },
          {
            version: 'v2',
            effectiveFrom: '2027-06-01',
            ruleSet: 'qc-fonction-publique',
            officialYears: {
              '2028': [
                { date: '2028-01-03', key: 'new-year' },
                { date: '2028-01-04', key: 'day-after-new-year' },
                { date: '2028-07-03', key: 'canada-day', actualDate: '2028-07-01' },
              ],
            },
          },
        ],
      },
    ]);
    const before = registry.at('qc-fonction-publique', '2027-05-31');
    const after = registry.at('qc-fonction-publique', '2027-06-01');
    expect(before.version.version).toBe('v1');
    expect(after.version.version).toBe('v2');
    expect(after.observedHolidays(2028).map((h) => h.date)).toEqual([
      '2028-01-03',
      '2028-01-04',
      '2028-07-03',
    ]);
    expect(after.observedHolidays(2028)[2]?.source).toBe('official');
    expect(after.observedHolidays(2029)).toEqual(before.observedHolidays(2029));
    expect(before.isBusinessDay(dayOf('2028-07-03'))).toBe(true);
    expect(after.isBusinessDay(dayOf('2028-07-03'))).toBe(false);
  });

  it('adds a decreed closure to the computed days', () => {
    const registry = CalendarRegistry.from([
      {
        ...base,
        versions: [
          {
            version: 'v1',
            effectiveFrom: '2000-01-01',
            ruleSet: 'qc-fonction-publique',
            additionalClosures: [{ date: '2026-11-27', name: { fr: 'Jour décrété', en: 'Decreed day' } }],
          },
        ],
      },
    ]);
    const calendar = registry.at('qc-fonction-publique', '2026-11-26');
    expect(calendar.isBusinessDay(dayOf('2026-11-27'))).toBe(false);
    expect(calendar.holidayOn(dayOf('2026-11-27'))?.name.fr).toBe('Jour décrété');
  });

  it.each([
    [{ ...base, versions: [] }, 'versions'],
    [{ ...base, versions: [{ version: 'v1', effectiveFrom: '2000-01-01', ruleSet: 'nope' }] }, 'ruleSet'],
    [
      {
        ...base,
        versions: [
          { version: 'v1', effectiveFrom: '2020-01-01', ruleSet: 'qc-fonction-publique' },
          { version: 'v2', effectiveFrom: '2019-01-01', ruleSet: 'qc-fonction-publique' },
        ],
      },
      'effectiveFrom',
    ],
    [
      {
        ...base,
        versions: [
          {
            version: 'v1',
            effectiveFrom: '2020-01-01',
            ruleSet: 'qc-fonction-publique',
            officialYears: { '2028': [{ date: '2028-03-03', key: 'mystery' }] },
          },
        ],
      },
      'name',
    ],
  ])('rejects an invalid calendar file (%#), naming the field', (file, field) => {
    expect(() => CalendarRegistry.from([file])).toThrow(field);
  });

  it('refuses a date before every version', () => {
    expect(() => bundledCalendars().at('qc-fonction-publique', '1999-12-31')).toThrow(/no version in effect/);
  });
});

function dayOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}
