import { AccessDeniedError } from '../../errors';
import type { AccessJournal } from '../audit/access-journal';
import type { StaffIdentity } from '../identity/identity';
import type { LedgerEvent } from '../ledger/events';
import type { Clock } from '../messaging/ports';
import type { CategoryKind, Policy } from '../policy/schema';
import type { CalendarRegistry } from '../time/calendars';
import { parseLocalDate } from '../time/local-date';
import { endOfLocalDay } from '../time/zone';
import { computeReportFigures } from './compute';
import type { ReportFigures, ReportPeriod } from './compute';
import { caseReportFacts } from './facts';
import type { CaseReportFacts } from './facts';
import { withCaseLinks } from './case-links';
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
  readonly reportSource: ReportCaseSource;
  readonly clock: Clock;
  readonly policy: Pick<Policy, 'categories'>;
  readonly calendars: CalendarRegistry;
  /** The listing of confidential references to an auditor is journaled like a work-list view. */
  readonly accessJournal: AccessJournal;
}

/** Whose cases the figures cover: every case (auditors), or the categories of a supervisor's units. */
export type ReportScope =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'units';
      readonly units: readonly string[];
      readonly categories: readonly string[];
      readonly note: { readonly fr: string; readonly en: string };
    };

export interface ServiceStatementReport extends ReportFigures {
  readonly report: 'service-statement';
  readonly period: ReportPeriod;
  /** The cut-off: the end of `to` (Québec time), or the moment of the request if earlier. */
  readonly asOf: string;
  readonly generatedAt: string;
  readonly scope: ReportScope;
  /** How the figures were obtained and how many cases were read. */
  readonly source: { readonly kind: 'ledger-replay'; readonly casesRead: number };
  /** Confidential references are listed to auditors only; to others they are counted as `withheld`. */
  readonly confidentialReferences: 'listed' | 'withheld';
}

/**
 * The service-statement report of a period (`from`, `to`: Québec dates, both included), from the ledger
 * alone: each case's events up to the cut-off are replayed (`caseReportFacts`) and aggregated
 * (`computeReportFigures`). With neither `from` nor `to`, the period is 1 January of the current year to
 * today, by the Québec date of the server's clock (the dashboard's default). Each figure says where to list
 * its cases, paged (`cases.href`, see `serviceStatementCases`).
 *
 * Who may read it:
 * - auditors: every case; every reference, confidential ones included (auditors see the metadata of every
 *   case; the listing is journaled as a list view of those confidential cases);
 * - supervisors (not auditors): the cases of the categories their units receive (`routing.queue` among their
 *   units), figures computed on those cases only, said so in `scope`; confidential cases are counted but
 *   their references are withheld (supervisors may not see them);
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
  const { scope, asOf, facts, casesRead, mayList, confidential } = await reportFacts(
    deps,
    identity,
    period,
    now,
  );
  const figures = withCaseLinks(
    computeReportFigures({
      period,
      facts,
      categoryKinds: categoryKindsOf(deps.policy),
      mayList,
    }),
    period,
  );
  const listedConfidential = auditor ? facts.filter(confidential).map((f) => f.caseId) : [];
  if (listedConfidential.length > 0) {
    await deps.accessJournal.recordListView({
      at: now.toISOString(),
      actor: { kind: 'staff', id: identity.id, role: 'auditor' },
      route: 'GET /api/audit/reports/service-statement',
      caseIds: listedConfidential.sort(),
    });
  }
  return {
    report: 'service-statement',
    period,
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    scope,
    source: { kind: 'ledger-replay', casesRead },
    confidentialReferences: auditor ? 'listed' : 'withheld',
    ...figures,
  };
}

/** The facts of the cases a reader may count for a period, as of its cut-off, and who may see which. */
export interface ReportFactsRead {
  readonly scope: ReportScope;
  /** The cut-off: the end of `to` (Québec time), or now if earlier. */
  readonly asOf: Date;
  readonly facts: CaseReportFacts[];
  readonly casesRead: number;
  /** Whether this reader may see the reference of a case (auditors all; others not the confidential ones). */
  readonly mayList: (facts: CaseReportFacts) => boolean;
  readonly confidential: (facts: CaseReportFacts) => boolean;
}

/**
 * Reads and replays every case up to the period's cut-off and keeps those in the reader's scope (every case
 * for an auditor; a supervisor's units' categories otherwise). The caller has checked the reader's role.
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
  const facts: CaseReportFacts[] = [];
  let casesRead = 0;
  const inScope =
    scope.kind === 'all' ? () => true : (f: CaseReportFacts) => scope.categories.includes(f.category);
  for await (const events of deps.reportSource.caseHistories()) {
    casesRead += 1;
    const caseFacts = caseReportFacts(events, asOf, deps.calendars);
    if (caseFacts !== undefined && inScope(caseFacts)) facts.push(caseFacts);
  }
  const confidential = (f: CaseReportFacts) =>
    f.confidential || deps.policy.categories.some((c) => c.id === f.category && c.confidential);
  return { scope, asOf, facts, casesRead, mayList: (f) => auditor || !confidential(f), confidential };
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
