import { AccessDeniedError, InvalidRequestError } from '../../errors';
import type { RequestIssue } from '../../errors';
import { ChannelSchema } from '../case/case';
import type { StaffIdentity } from '../identity/identity';
import type { ReportPeriod } from './compute';
import { CASES_PAGE_SIZE, MAX_CASES_PAGE_SIZE, REPORT_CASES_PATH, casesHref } from './case-links';
import type { FigureSelector } from './case-links';
import { INDICATOR_IDS } from './indicators';
import type { IndicatorId } from './indicators';
import { checkReportPeriod } from './period';
import { figuresFromTally, filterTally, tallyCases } from './tally';
import { categoryKindsOf, reportFacts } from './service-statement';
import type { ServiceStatementDeps } from './service-statement';

/** One page of the cases behind a figure of the service-statement report. */
export interface ReportCasesPage extends FigureSelector {
  readonly report: 'service-statement';
  readonly period: ReportPeriod;
  readonly asOf: string;
  /** The figure's count: every case behind it, listed or withheld. */
  readonly count: number;
  /** Cases counted but not listed to this reader (confidential, to a supervisor). */
  readonly withheld: number;
  readonly page: number;
  readonly pageSize: number;
  /** Pages of listed references (at least 1). */
  readonly pages: number;
  /** This page's references (the case id for a case not yet registered), sorted as in the report. */
  readonly references: string[];
  readonly next?: string;
  readonly previous?: string;
}

export interface ReportCasesQuery {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly indicator?: unknown;
  readonly category?: unknown;
  readonly channel?: unknown;
  readonly page?: unknown;
  readonly pageSize?: unknown;
}

/**
 * The drill-down of a report figure: the references of the cases behind one indicator of a period, in total
 * or for a category and/or a channel, exactly as `serviceStatementReport` counts them (same replay, same
 * cut-off, same scope), `pageSize` (default 100, at most 500) at a time. Who may read it and what they see
 * are the report's rules: auditors every reference, the confidential ones on the page journaled as a list
 * view; supervisors their units' categories, confidential references withheld (counted in `withheld`);
 * anyone else 403 before anything is read.
 *
 * @throws AccessDeniedError, InvalidRequestError (every bad field: period, indicator, category, channel, page)
 */
export async function serviceStatementCases(
  deps: ServiceStatementDeps,
  identity: StaffIdentity,
  query: ReportCasesQuery,
): Promise<ReportCasesPage> {
  const auditor = identity.roles.includes('auditor');
  if (!auditor && !identity.roles.includes('supervisor')) throw new AccessDeniedError('audit-report');
  const { period, selector, page, pageSize } = checkCasesQuery(
    query,
    deps.policy.categories.map((c) => c.id),
  );
  const now = deps.clock.now();
  const { asOf, tally, mayList, confidential } = await reportFacts(deps, identity, period, now);
  const members = filterTally(
    tally,
    (cell) =>
      (selector.category === undefined || cell.category === selector.category) &&
      (selector.channel === undefined || cell.channel === selector.channel),
  );
  const figure = figuresFromTally(members, {
    period,
    categoryKinds: categoryKindsOf(deps.policy),
    mayList,
  }).total[selector.indicator];
  const { references, withheld } = figure.cases;
  const pages = Math.max(1, Math.ceil(references.length / pageSize));
  const listed = references.slice((page - 1) * pageSize, page * pageSize);

  if (auditor) {
    const onPage = new Set(listed);
    const caseIds = [...tallyCases(members)]
      .filter((c) => confidential(c) && onPage.has(c.ref))
      .map((c) => c.id)
      .sort();
    if (caseIds.length > 0) {
      await deps.accessJournal.recordListView({
        at: now.toISOString(),
        actor: { kind: 'staff', id: identity.id, role: 'auditor' },
        route: `GET ${REPORT_CASES_PATH}`,
        caseIds,
      });
    }
  }
  return {
    report: 'service-statement',
    period,
    asOf: asOf.toISOString(),
    ...selector,
    count: figure.count,
    withheld,
    page,
    pageSize,
    pages,
    references: listed,
    ...(page < pages ? { next: casesHref(period, selector, { page: page + 1, pageSize }) } : {}),
    ...(page > 1
      ? { previous: casesHref(period, selector, { page: Math.min(page, pages + 1) - 1, pageSize }) }
      : {}),
  };
}

function checkCasesQuery(
  query: ReportCasesQuery,
  categories: readonly string[],
): { period: ReportPeriod; selector: FigureSelector; page: number; pageSize: number } {
  const issues: RequestIssue[] = [];
  let period: ReportPeriod | undefined;
  try {
    period = checkReportPeriod(query);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    issues.push(...error.issues);
  }
  const given = (value: unknown) => value !== undefined && value !== '';
  const indicators = INDICATOR_IDS.join(', ');
  if (!given(query.indicator)) {
    issues.push({
      path: 'query.indicator',
      fr: `est obligatoire (l’un de ${indicators})`,
      en: `is required (one of ${indicators})`,
    });
  } else if (!INDICATOR_IDS.includes(query.indicator as IndicatorId)) {
    issues.push({
      path: 'query.indicator',
      fr: `doit être l’un de ${indicators}`,
      en: `must be one of ${indicators}`,
    });
  }
  if (given(query.category) && !categories.includes(query.category as string)) {
    const list = [...categories].sort().join(', ');
    issues.push({
      path: 'query.category',
      fr: `doit être une catégorie de la politique (${list})`,
      en: `must be a category of the policy (${list})`,
    });
  }
  if (given(query.channel) && !ChannelSchema.safeParse(query.channel).success) {
    const list = ChannelSchema.options.join(', ');
    issues.push({ path: 'query.channel', fr: `doit être l’un de ${list}`, en: `must be one of ${list}` });
  }
  const whole = (name: 'page' | 'pageSize', fallback: number, max?: number): number => {
    const value = query[name];
    if (!given(value)) return fallback;
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1) || (max !== undefined && number > max)) {
      issues.push({
        path: `query.${name}`,
        fr:
          max === undefined
            ? 'doit être un nombre entier à partir de 1'
            : `doit être un nombre entier de 1 à ${max}`,
        en: max === undefined ? 'must be a whole number from 1' : `must be a whole number from 1 to ${max}`,
      });
    }
    return number;
  };
  const page = whole('page', 1);
  const pageSize = whole('pageSize', CASES_PAGE_SIZE, MAX_CASES_PAGE_SIZE);
  if (issues.length > 0 || period === undefined) throw new InvalidRequestError(issues);
  return {
    period,
    selector: {
      indicator: query.indicator as IndicatorId,
      ...(given(query.category) ? { category: query.category as string } : {}),
      ...(given(query.channel) ? { channel: query.channel as string } : {}),
    },
    page,
    pageSize,
  };
}
