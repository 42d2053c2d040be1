import { easterSunday } from './easter';
import {
  dayNumberOf,
  formatLocalDate,
  isoWeekday,
  isWeekend,
  nthWeekdayOfMonth,
  Weekday,
  weekdayBefore,
  type DayNumber,
} from './local-date';
import type { BilingualText, LocalDate } from './types';

/** The holidays Jalon's calendars know by name. */
export const HOLIDAY_NAMES = {
  'new-year': { fr: 'Jour de l’An', en: 'New Year’s Day' },
  'day-after-new-year': { fr: 'Lendemain du jour de l’An', en: 'Day after New Year’s Day' },
  'good-friday': { fr: 'Vendredi saint', en: 'Good Friday' },
  'easter-monday': { fr: 'Lundi de Pâques', en: 'Easter Monday' },
  patriotes: { fr: 'Journée nationale des patriotes', en: 'National Patriots’ Day' },
  'fete-nationale': { fr: 'Fête nationale du Québec', en: 'Fête nationale du Québec (June 24)' },
  'canada-day': { fr: 'Fête du Canada', en: 'Canada Day' },
  'labour-day': { fr: 'Fête du Travail', en: 'Labour Day' },
  thanksgiving: { fr: 'Action de grâce', en: 'Thanksgiving' },
  'christmas-eve': { fr: 'Veille de Noël', en: 'Christmas Eve' },
  christmas: { fr: 'Noël', en: 'Christmas Day' },
  'day-after-christmas': { fr: 'Lendemain de Noël', en: 'Day after Christmas' },
  'new-years-eve': { fr: 'Veille du jour de l’An', en: 'New Year’s Eve' },
} as const satisfies Record<string, BilingualText>;

export type HolidayKey = keyof typeof HOLIDAY_NAMES;

export const RULE_SETS = ['qc-fonction-publique', 'qc-loi-interpretation'] as const;
export type RuleSetId = (typeof RULE_SETS)[number];

/** A day on which the offices are closed, as observed (possibly moved from a weekend). */
export interface ObservedHoliday {
  /** The day that is not a business day. */
  readonly date: LocalDate;
  readonly key: string;
  readonly name: BilingualText;
  /** The holiday's own date; differs from `date` when moved off a weekend. */
  readonly actualDate: LocalDate;
  readonly source: 'computed' | 'official' | 'additional';
}

/** How a holiday that falls on a weekend is observed. */
type WeekendShift =
  | 'none'
  | 'next-free-weekday'
  | 'previous-free-weekday'
  /** Sunday → the following Monday; Saturday → the preceding Friday. */
  | 'sunday-next-saturday-previous'
  /** Sunday → the following Monday (I-16 art. 61 for 1 July); Saturday stays. */
  | 'sunday-next';

interface HolidayRule {
  readonly key: HolidayKey;
  readonly date: (year: number) => DayNumber;
  readonly weekendShift: WeekendShift;
}

const fixed = (month: number, day: number) => (year: number) => dayNumberOf(year, month, day);

/**
 * The 13 holidays of the Québec public service, with the weekend observance of DESIGN.md
 * (matches the published closures of 2011-12, 2022 and 2023).
 */
const FONCTION_PUBLIQUE: readonly HolidayRule[] = [
  { key: 'new-year', date: fixed(1, 1), weekendShift: 'next-free-weekday' },
  { key: 'day-after-new-year', date: fixed(1, 2), weekendShift: 'next-free-weekday' },
  { key: 'good-friday', date: (y) => easterSunday(y) - 2, weekendShift: 'none' },
  { key: 'easter-monday', date: (y) => easterSunday(y) + 1, weekendShift: 'none' },
  {
    key: 'patriotes',
    date: (y) => weekdayBefore(dayNumberOf(y, 5, 25), Weekday.Monday),
    weekendShift: 'none',
  },
  { key: 'fete-nationale', date: fixed(6, 24), weekendShift: 'sunday-next-saturday-previous' },
  { key: 'canada-day', date: fixed(7, 1), weekendShift: 'sunday-next-saturday-previous' },
  { key: 'labour-day', date: (y) => nthWeekdayOfMonth(y, 9, Weekday.Monday, 1), weekendShift: 'none' },
  { key: 'thanksgiving', date: (y) => nthWeekdayOfMonth(y, 10, Weekday.Monday, 2), weekendShift: 'none' },
  { key: 'christmas-eve', date: fixed(12, 24), weekendShift: 'previous-free-weekday' },
  { key: 'christmas', date: fixed(12, 25), weekendShift: 'next-free-weekday' },
  { key: 'day-after-christmas', date: fixed(12, 26), weekendShift: 'next-free-weekday' },
  { key: 'new-years-eve', date: fixed(12, 31), weekendShift: 'previous-free-weekday' },
];

/**
 * Loi d'interprétation (RLRQ c. I-16) art. 61 para. 23: the statutory days (Sundays are non-business
 * anyway). Only 1 July moves (to 2 July when it falls on a Sunday); the sovereign's birthday is the
 * Monday before 25 May (Journée nationale des patriotes in Québec).
 */
const LOI_INTERPRETATION: readonly HolidayRule[] = [
  { key: 'new-year', date: fixed(1, 1), weekendShift: 'none' },
  { key: 'good-friday', date: (y) => easterSunday(y) - 2, weekendShift: 'none' },
  { key: 'easter-monday', date: (y) => easterSunday(y) + 1, weekendShift: 'none' },
  {
    key: 'patriotes',
    date: (y) => weekdayBefore(dayNumberOf(y, 5, 25), Weekday.Monday),
    weekendShift: 'none',
  },
  { key: 'fete-nationale', date: fixed(6, 24), weekendShift: 'none' },
  { key: 'canada-day', date: fixed(7, 1), weekendShift: 'sunday-next' },
  { key: 'labour-day', date: (y) => nthWeekdayOfMonth(y, 9, Weekday.Monday, 1), weekendShift: 'none' },
  { key: 'thanksgiving', date: (y) => nthWeekdayOfMonth(y, 10, Weekday.Monday, 2), weekendShift: 'none' },
  { key: 'christmas', date: fixed(12, 25), weekendShift: 'none' },
];

const RULES: Record<RuleSetId, readonly HolidayRule[]> = {
  'qc-fonction-publique': FONCTION_PUBLIQUE,
  'qc-loi-interpretation': LOI_INTERPRETATION,
};

/**
 * The observed holidays of a year under a rule set, sorted by date.
 *
 * Holidays on a weekday are observed on their own date first; then the weekend ones move, in date
 * order, each to a weekday not already observed (forward or backward per its rule). So 25 Dec on a
 * Sunday with 26 Dec on the Monday gives Monday 26 and Tuesday 27. A holiday whose rule keeps it on a
 * weekend is still listed (it is a non-business day either way).
 */
export function computeObservedHolidays(ruleSet: RuleSetId, year: number): ObservedHoliday[] {
  const rules = RULES[ruleSet];
  const taken = new Set<DayNumber>();
  const observed: { date: DayNumber; actual: DayNumber; key: HolidayKey }[] = [];
  const onWeekend: { actual: DayNumber; rule: HolidayRule }[] = [];

  for (const rule of rules) {
    const actual = rule.date(year);
    if (isWeekend(actual) && rule.weekendShift !== 'none') onWeekend.push({ actual, rule });
    else {
      taken.add(actual);
      observed.push({ date: actual, actual, key: rule.key });
    }
  }
  onWeekend.sort((a, b) => a.actual - b.actual);
  for (const { actual, rule } of onWeekend) {
    const date = shift(actual, rule.weekendShift, taken);
    taken.add(date);
    observed.push({ date, actual, key: rule.key });
  }

  return observed
    .sort((a, b) => a.date - b.date)
    .map(({ date, actual, key }) => ({
      date: formatLocalDate(date),
      key,
      name: date === actual ? HOLIDAY_NAMES[key] : observedName(HOLIDAY_NAMES[key]),
      actualDate: formatLocalDate(actual),
      source: 'computed',
    }));
}

function shift(actual: DayNumber, rule: WeekendShift, taken: ReadonlySet<DayNumber>): DayNumber {
  const weekday = isoWeekday(actual);
  switch (rule) {
    case 'next-free-weekday':
      return nextFree(actual, +1, taken);
    case 'previous-free-weekday':
      return nextFree(actual, -1, taken);
    case 'sunday-next-saturday-previous':
      return weekday === Weekday.Sunday ? actual + 1 : actual - 1;
    case 'sunday-next':
      return weekday === Weekday.Sunday ? actual + 1 : actual;
    case 'none':
      return actual;
  }
}

function nextFree(from: DayNumber, step: 1 | -1, taken: ReadonlySet<DayNumber>): DayNumber {
  let day = from + step;
  while (isWeekend(day) || taken.has(day)) day += step;
  return day;
}

/** Name of a holiday observed on another day than its own: « Noël (jour chômé) ». */
export function observedName(name: BilingualText): BilingualText {
  return { fr: `${name.fr} (jour chômé)`, en: `${name.en} (observed)` };
}
