import { bundledCalendars, type CalendarId, type ObservedHoliday } from '../../shared/domain/time';
import { longDateEn, longDateFr } from '../../shared/domain/time/explain';
import { parseLocalDate } from '../../shared/domain/time/local-date';

/** The observed holidays of a year, for `jalon holidays <year>`. */
export function holidaysOf(year: number, calendarId: CalendarId, computedOn: string): ObservedHoliday[] {
  return bundledCalendars().at(calendarId, computedOn).observedHolidays(year);
}

/** One line per holiday: date, day in words, name; moved holidays show their own date. */
export function formatHolidays(holidays: readonly ObservedHoliday[], language: 'fr' | 'en'): string {
  return holidays
    .map((h) => {
      const day = parseLocalDate(h.date);
      const when = language === 'fr' ? longDateFr(day) : longDateEn(day);
      const moved =
        h.actualDate === h.date
          ? ''
          : language === 'fr'
            ? ` — tombe le ${longDateFr(parseLocalDate(h.actualDate))}`
            : ` — falls on ${longDateEn(parseLocalDate(h.actualDate))}`;
      return `${h.date}  ${when.padEnd(language === 'fr' ? 28 : 30)}  ${h.name[language]}${moved}`;
    })
    .join('\n');
}
