import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  categoryKindsOf,
  figuresFromTally,
  reportFacts,
  serviceStatementCases,
} from '../../../shared/domain/report';
import type { ReportFigures, ReportPeriod, ServiceStatementDeps } from '../../../shared/domain/report';

/** What a figure's drill-down lists, all its pages read. */
export interface ListedCases {
  readonly count: number;
  readonly withheld: number;
  readonly references: string[];
}

/**
 * Every reference the drill-down at `href` (a report figure's `cases.href`) lists to `identity`, read page
 * after page by following `next` (`pageSize` at a time, small so that the paging itself is exercised), with
 * the count and the withheld count every page repeats (checked to be the same on each page).
 */
export async function listedCases(
  deps: ServiceStatementDeps,
  identity: StaffIdentity,
  href: string,
  pageSize = 3,
): Promise<ListedCases> {
  const references: string[] = [];
  let at: string | undefined = href;
  let seen: { count: number; withheld: number } | undefined;
  while (at !== undefined) {
    const query = Object.fromEntries(new URL(at, 'http://report.test').searchParams);
    const page = await serviceStatementCases(deps, identity, { pageSize: String(pageSize), ...query });
    if (seen !== undefined && (seen.count !== page.count || seen.withheld !== page.withheld)) {
      throw new Error(`page ${page.page} of ${href} counts differently from the first`);
    }
    seen = { count: page.count, withheld: page.withheld };
    references.push(...page.references);
    at = page.next;
  }
  return { ...seen!, references };
}

/**
 * Every figure of the report with the references its drill-down lists to `identity`, in every scope, at once:
 * the lists `serviceStatementCases` pages (the same facts read and `figuresFromTally`), to compare two sources
 * of the whole report, references included, without a request per figure.
 */
export async function listedFigures(
  deps: ServiceStatementDeps,
  identity: StaffIdentity,
  period: ReportPeriod,
): Promise<ReportFigures> {
  const read = await reportFacts(deps, identity, period, deps.clock.now());
  return figuresFromTally(read.tally, {
    period,
    categoryKinds: categoryKindsOf(deps.policy),
    mayList: read.mayList,
  });
}
