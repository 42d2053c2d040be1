import { InvalidRequestError } from '../../errors';
import type { RequestIssue } from '../../errors';
import { parseLocalDate } from '../time/local-date';
import { localDateOf } from '../time/local-date-of';
import type { ReportPeriod } from './compute';

/** The longest period a report covers, in days (a leap year). */
export const MAX_PERIOD_DAYS = 366;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

/**
 * Checks a report period: `from` and `to` are real Québec dates `YYYY-MM-DD`, `from` is not after `to`, and
 * the period, both days included, is at most `MAX_PERIOD_DAYS` days. Every failing field is reported, in
 * French and English, under `query.from` / `query.to`.
 *
 * @throws InvalidRequestError
 */
export function checkReportPeriod(query: { from?: unknown; to?: unknown }): ReportPeriod {
  const issues: RequestIssue[] = [];
  const date = (name: 'from' | 'to'): string | undefined => {
    const value = query[name];
    if (value === undefined || value === '') {
      issues.push({
        path: `query.${name}`,
        fr: 'est obligatoire (AAAA-MM-JJ)',
        en: 'is required (YYYY-MM-DD)',
      });
      return undefined;
    }
    if (typeof value !== 'string' || !DATE_SHAPE.test(value)) {
      issues.push({
        path: `query.${name}`,
        fr: 'doit être une date AAAA-MM-JJ',
        en: 'must be a date YYYY-MM-DD',
      });
      return undefined;
    }
    if (!isRealDate(value)) {
      issues.push({
        path: `query.${name}`,
        fr: 'doit être une date qui existe au calendrier',
        en: 'must be a real calendar date',
      });
      return undefined;
    }
    return value;
  };
  const from = date('from');
  const to = date('to');
  if (from !== undefined && to !== undefined) {
    if (from > to) {
      issues.push({
        path: 'query.from',
        fr: 'doit être au plus tard la date de fin (to)',
        en: 'must not be after the end date (to)',
      });
    } else if (parseLocalDate(to) - parseLocalDate(from) + 1 > MAX_PERIOD_DAYS) {
      issues.push({
        path: 'query.to',
        fr: `la période ne peut dépasser ${MAX_PERIOD_DAYS} jours`,
        en: `the period cannot exceed ${MAX_PERIOD_DAYS} days`,
      });
    }
  }
  if (issues.length > 0 || from === undefined || to === undefined) throw new InvalidRequestError(issues);
  return { from, to };
}

/**
 * The period a report covers when none is asked: 1 January of the current year to today, both by the Québec
 * date of `now` (the server's clock, not the reader's browser: on 31 December at 22:00 in Québec it is still
 * that year, though already the next one in UTC).
 */
export function defaultReportPeriod(now: Date): ReportPeriod {
  const today = localDateOf(now);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}
