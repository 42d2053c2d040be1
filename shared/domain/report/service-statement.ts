import { AccessDeniedError } from '../../errors';
import type { AccessJournal } from '../access/access-journal';
import type { StaffIdentity } from '../identity/identity';
import type { LedgerEvent } from '../ledger/events';
import type { Clock } from '../messaging/ports';
import type { CategoryKind, Policy } from '../policy/schema';
import type { CalendarRegistry } from '../time/calendars';
import { parseLocalDate } from '../time/local-date';
import { endOfLocalDay } from '../time/zone';
import type { FigureCases, ReportFigures, ReportPeriod } from './compute';
import { reportFactsFromRecord } from './aggregates';
import type { ReportRecordSource } from './aggregates';
import { caseReportFacts } from './facts';
import type { CaseReportFacts } from './facts';
import { withCaseLinks } from './case-links';
import { readPeriodByDays } from './day-summary';
import type { DaySummaryMonitor } from './day-summary';
import { addToTally, emptyTally, figureCountsFromTally, filterTally, mergeTally } from './tally';
import type { ReportTally } from './tally';
import { checkReportPeriod, defaultReportPeriod } from './period';

/**
 * Where the report reads the cases from: the ledger events of every case, one case at a time (all its events,
 * in seq order). Today a pass over the ledger; stream-kept aggregates can later supply `CaseReportFacts`
 * directly to `computeReportFigures`.
 */
export interface ReportCaseSource {
  caseHistories(): AsyncIterable<readonly LedgerEvent[]>;
}

export interface ServiceStatementDeps {
  /** The ledger (a replay of every case), or the report aggregates kept from it (`ReportRecordSource`). */
  readonly reportSource: ReportCaseSource | ReportRecordSource;
  readonly clock: Clock;
  readonly policy: Pick<Policy, 'categories'>;
  readonly calendars: CalendarRegistry;
  /** The listing of confidential references to an auditor (a drill-down page) is journaled like a work-list view. */
  readonly accessJournal: AccessJournal;
  /** Told of the day summaries a report by day summaries could not save (the audit API logs them). */
  readonly daySummaryMonitor?: DaySummaryMonitor;
}

/** Where a report's facts came from (see `ServiceStatementReport.source`). */
export type ReportSource =
  | {
      readonly kind: 'ledger-replay';
      readonly casesRead: number;
      /** The aggregates are kept but no full replay has completed yet, so they are not read (see `ReportRecordSource`). */
      readonly awaitingFirstReplay?: true;
    }
  | {
      readonly kind: 'aggregates';
      readonly casesRead: number;
      readonly lastChecked: { readonly at: string; readonly matched: boolean } | null;
    };

/** Whose cases the figures cover: every case (auditors), or the categories of a supervisor's units. */
export type ReportScope =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'units';
      readonly units: readonly string[];
      readonly categories: readonly string[];
      readonly note: { readonly fr: string; readonly en: string };
    };

export interface ServiceStatementReport extends ReportFigures<FigureCases> {
  readonly report: 'service-statement';
  readonly period: ReportPeriod;
  /** The cut-off: the end of `to` (Québec time), or the moment of the request if earlier. */
  readonly asOf: string;
  readonly generatedAt: string;
  readonly scope: ReportScope;
  /**
   * How the figures were obtained and how many cases were read: a replay of the ledger, or the aggregates kept
   * from it, with when a full replay last checked them and whether they matched (`null`: never checked).
   */
  readonly source: ReportSource;
  /** Confidential references are listed (by the drill-down) to auditors only; to others they are counted as `withheld`. */
  readonly confidentialReferences: 'listed' | 'withheld';
}

/**
 * The service-statement report of a period (`from`, `to`: Québec dates, both included), from the ledger
 * alone: each case's events up to the cut-off are replayed (`caseReportFacts`), or read from the aggregates
 * kept from the ledger (`reportFactsFromRecord`: the same facts, without reading the ledger), and the cases
 * received in the period or open at the cut-off are aggregated (`computeReportFigures`). From aggregates,
 * the report says when a full replay last checked them (`source.lastChecked`). With neither `from` nor `to`, the period is 1 January of the current year to
 * today, by the Québec date of the server's clock (the dashboard's default). Each figure gives its count and
 * where to list its cases, paged (`cases.href`, see `serviceStatementCases`), not their references: a year's
 * report listing them would pass the 6 MB a Lambda may answer (`docs/service-statement-report.md`, Limits).
 *
 * Who may read it:
 * - auditors: every case; the drill-down lists every reference, confidential ones included (auditors see the
 *   metadata of every case; each page is journaled as a list view of its confidential cases);
 * - supervisors (not auditors): the cases of the categories their units receive (`routing.queue` among their
 *   units), figures computed on those cases only, said so in `scope`; confidential cases are counted but
 *   their references are withheld (`cases.withheld`: supervisors may not see them);
 * - anyone else: 403, before anything is read.
 *
 * @throws AccessDeniedError, InvalidRequestError (the period, field by field)
 */
export async function serviceStatementReport(
  deps: ServiceStatementDeps,
  identity: StaffIdentity,
  query: { from?: unknown; to?: unknown },
): Promise<ServiceStatementReport> {
  const auditor = identity.roles.includes('auditor');
  if (!auditor && !identity.roles.includes('supervisor')) throw new AccessDeniedError('audit-report');
  const now = deps.clock.now();
  const period =
    query.from === undefined && query.to === undefined ? defaultReportPeriod(now) : checkReportPeriod(query);
  const { scope, asOf, tally, source, mayList } = await reportFacts(deps, identity, period, now);
  // No reference is listed here, so nothing is journaled: the drill-down journals the pages it lists.
  const figures = withCaseLinks(
    figureCountsFromTally(tally, { period, categoryKinds: categoryKindsOf(deps.policy), mayList }),
    period,
  );
  return {
    report: 'service-statement',
    period,
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    scope,
    source,
    confidentialReferences: auditor ? 'listed' : 'withheld',
    ...figures,
  };
}

/** The facts of the cases a reader may count for a period, as of its cut-off, and who may see which. */
export interface ReportFactsRead {
  readonly scope: ReportScope;
  /** The cut-off: the end of `to` (Québec time), or now if earlier. */
  readonly asOf: Date;
  /** Their facts, folded (`addToTally`; a settled day's summary is already one). */
  readonly tally: ReportTally;
  readonly source: ReportSource;
  /** Whether this reader may see the reference of a case (auditors all; others not the confidential ones). */
  readonly mayList: (facts: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean;
  readonly confidential: (facts: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean;
}

/**
 * The facts of the cases the figures count, as of the period's cut-off: those received in the period, or open
 * at the cut-off (the end-of-period figures), in the reader's scope (every case for an auditor; a supervisor's
 * units' categories otherwise). Read from the aggregates when the source keeps them (with when a replay last
 * checked them), else replayed from the ledger. The caller has checked the reader's role.
 */
export async function reportFacts(
  deps: ServiceStatementDeps,
  identity: StaffIdentity,
  period: ReportPeriod,
  now: Date,
): Promise<ReportFactsRead> {
  const auditor = identity.roles.includes('auditor');
  const scope = scopeOf(identity, deps.policy, auditor);
  const endOfPeriod = Date.parse(endOfLocalDay(parseLocalDate(period.to)));
  const asOf = new Date(Math.min(endOfPeriod, now.getTime()));
  const tally = emptyTally();
  let casesRead = 0;
  const relevant = (f: CaseReportFacts) =>
    (f.open || (f.receivedDate >= period.from && f.receivedDate <= period.to)) &&
    (scope.kind === 'all' || scope.categories.includes(f.category));
  const keep = (caseFacts: CaseReportFacts | undefined) => {
    casesRead += 1;
    if (caseFacts !== undefined && relevant(caseFacts)) addToTally(tally, caseFacts, period);
  };
  const reportSource = deps.reportSource;
  let source: ReportSource;
  // Aggregates started on a ledger that already held cases are read once a full replay has completed.
  const ledgerFirst = 'recordsFor' in reportSource ? reportSource.untilFirstReplay : undefined;
  const firstReplay =
    ledgerFirst !== undefined && 'recordsFor' in reportSource
      ? await reportSource.latestReplayResult()
      : undefined;
  if (ledgerFirst !== undefined && firstReplay === undefined) {
    for await (const events of ledgerFirst.caseHistories())
      keep(caseReportFacts(events, asOf, deps.calendars));
    source = { kind: 'ledger-replay', casesRead, awaitingFirstReplay: true };
  } else if ('recordsFor' in reportSource) {
    const [, replay] = await Promise.all([
      (async () => {
        if (reportSource.days === undefined) {
          for await (const record of reportSource.recordsFor(period, asOf)) {
            keep(reportFactsFromRecord(record, asOf, deps.calendars));
          }
          return;
        }
        // Settled days from their summaries (a tally per category: the scope filters it), the rest by case.
        const byDays = await readPeriodByDays(reportSource.days, period, asOf, deps.calendars, now.getTime());
        for (const failure of byDays.summariesNotSaved) deps.daySummaryMonitor?.summaryNotSaved(failure);
        casesRead += byDays.summarizedCases;
        mergeTally(
          tally,
          scope.kind === 'all'
            ? byDays.tally
            : filterTally(byDays.tally, (cell) => scope.categories.includes(cell.category)),
        );
        for (const record of byDays.records) keep(reportFactsFromRecord(record, asOf, deps.calendars));
      })(),
      firstReplay ?? reportSource.latestReplayResult(),
    ]);
    const lastChecked = replay === undefined ? null : { at: replay.checkedAt, matched: replay.matched };
    source = { kind: 'aggregates', casesRead, lastChecked };
  } else {
    for await (const events of reportSource.caseHistories())
      keep(caseReportFacts(events, asOf, deps.calendars));
    source = { kind: 'ledger-replay', casesRead };
  }
  const confidential = (f: Pick<CaseReportFacts, 'confidential' | 'category'>) =>
    f.confidential || deps.policy.categories.some((c) => c.id === f.category && c.confidential);
  return { scope, asOf, tally, source, mayList: (f) => auditor || !confidential(f), confidential };
}

/** The kind of each category of the policy (complaint and comment figures). */
export function categoryKindsOf(policy: Pick<Policy, 'categories'>): ReadonlyMap<string, CategoryKind> {
  return new Map(policy.categories.map((c) => [c.id, c.kind]));
}

/** Whose cases a reader's report covers (see `serviceStatementReport`). */
export function scopeOf(
  identity: StaffIdentity,
  policy: Pick<Policy, 'categories'>,
  auditor: boolean,
): ReportScope {
  if (auditor) return { kind: 'all' };
  const categories = policy.categories
    .filter((category) => identity.units.includes(category.routing.queue))
    .map((category) => category.id)
    .sort();
  return {
    kind: 'units',
    units: [...identity.units],
    categories,
    note: {
      fr: `Chiffres calculés sur les seuls dossiers des catégories de vos unités (${categories.join(', ') || 'aucune'}), selon leur catégorie à la fin de la période.`,
      en: `Figures computed on the cases of your units’ categories only (${categories.join(', ') || 'none'}), by their category at the end of the period.`,
    },
  };
}
