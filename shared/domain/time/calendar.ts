import * as z from '../../zod-mini';
import { computeObservedHolidays, HOLIDAY_NAMES, RULE_SETS, type ObservedHoliday } from './holidays';
import { civilOf, isoWeekday, parseLocalDate, Weekday, type DayNumber } from './local-date';
import { BilingualTextSchema, CalendarIdSchema, LocalDateSchema, type LocalDate } from './types';

const OfficialHolidaySchema = z
  .strictObject({
    date: LocalDateSchema,
    /** A known holiday key (its names are used) or any other key with an explicit name. */
    key: z.string().check(z.minLength(1)),
    name: z.optional(BilingualTextSchema),
    actualDate: z.optional(LocalDateSchema),
  })
  .check(
    z.refine((h) => h.name !== undefined || h.key in HOLIDAY_NAMES, {
      message: 'a holiday with an unknown key needs a name in French and English',
      path: ['name'],
    }),
  );

/**
 * One version of a calendar. Calendars are versioned data: a new version (say, with the official list
 * of a year once published) takes effect from `effectiveFrom`; deadlines computed before keep the version
 * they were computed with (recorded in their proof).
 */
export const CalendarVersionSchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  effectiveFrom: LocalDateSchema,
  ruleSet: z.enum(RULE_SETS),
  /** Official per-year lists: when present, they replace the computed holidays of that year. */
  officialYears: z._default(
    z.record(z.string().check(z.regex(/^\d{4}$/, 'expected a year YYYY')), z.array(OfficialHolidaySchema)),
    {},
  ),
  /** Closures decreed for a single day (e.g. a day fixed by the government), added to the computed ones. */
  additionalClosures: z._default(
    z.array(z.strictObject({ date: LocalDateSchema, name: BilingualTextSchema })),
    [],
  ),
  notes: z.optional(z.string()),
});
export type CalendarVersion = z.infer<typeof CalendarVersionSchema>;

export const CalendarFileSchema = z
  .strictObject({
    id: CalendarIdSchema,
    name: BilingualTextSchema,
    versions: z.array(CalendarVersionSchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((file, ctx) => {
      const seen = new Set<string>();
      file.versions.forEach((v, i) => {
        if (seen.has(v.version))
          ctx.addIssue({ code: 'custom', path: ['versions', i, 'version'], message: 'duplicate version' });
        seen.add(v.version);
        const previous = file.versions[i - 1];
        if (previous && previous.effectiveFrom >= v.effectiveFrom) {
          ctx.addIssue({
            code: 'custom',
            path: ['versions', i, 'effectiveFrom'],
            message: 'versions must be listed in increasing effectiveFrom order',
          });
        }
      });
    }),
  );
export type CalendarFile = z.infer<typeof CalendarFileSchema>;

/**
 * A business-day calendar: Monday to Friday, except the observed holidays of its version.
 * Observed holidays are computed once per year and cached.
 */
export class BusinessCalendar {
  private readonly byYear = new Map<number, Map<DayNumber, ObservedHoliday>>();

  constructor(
    readonly id: z.infer<typeof CalendarIdSchema>,
    readonly name: z.infer<typeof BilingualTextSchema>,
    readonly version: CalendarVersion,
  ) {}

  /** Observed holidays (and decreed closures) of a year, sorted by date. */
  observedHolidays(year: number): ObservedHoliday[] {
    return [...this.yearTable(year).values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** The holiday observed on a day, if any. */
  holidayOn(day: DayNumber): ObservedHoliday | undefined {
    return this.yearTable(civilOf(day).year).get(day);
  }

  isBusinessDay(day: DayNumber): boolean {
    return isoWeekday(day) < Weekday.Saturday && !this.yearTable(civilOf(day).year).has(day);
  }

  private yearTable(year: number): Map<DayNumber, ObservedHoliday> {
    let table = this.byYear.get(year);
    if (!table) {
      table = new Map();
      const official = this.version.officialYears[String(year)];
      const holidays: ObservedHoliday[] = official
        ? official.map((h) => ({
            date: h.date,
            key: h.key,
            name: h.name ?? HOLIDAY_NAMES[h.key as keyof typeof HOLIDAY_NAMES],
            actualDate: h.actualDate ?? h.date,
            source: 'official',
          }))
        : computeObservedHolidays(this.version.ruleSet, year);
      for (const holiday of holidays) table.set(parseLocalDate(holiday.date), holiday);
      for (const closure of this.version.additionalClosures) {
        const day = parseLocalDate(closure.date);
        if (civilOf(day).year === year && !table.has(day)) {
          table.set(day, {
            date: closure.date,
            key: 'additional',
            name: closure.name,
            actualDate: closure.date,
            source: 'additional',
          });
        }
      }
      this.byYear.set(year, table);
    }
    return table;
  }
}

/**
 * The version of a calendar in effect on a date: the last one whose `effectiveFrom` is on or before it.
 * Throws when the date precedes every version (no rule was in force).
 */
export function versionInEffect(file: CalendarFile, on: LocalDate): CalendarVersion {
  let chosen: CalendarVersion | undefined;
  for (const version of file.versions) if (version.effectiveFrom <= on) chosen = version;
  if (!chosen) {
    throw new RangeError(
      `calendar ${file.id} has no version in effect on ${on} (first: ${file.versions[0]?.effectiveFrom})`,
    );
  }
  return chosen;
}
