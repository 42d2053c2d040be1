import type { CategoryKind } from '../policy/schema';
import type { LocalDate } from '../time/types';
import type { CaseReportFacts } from './facts';
import type { IndicatorId } from './indicators';
import { addToTally, emptyTally, figuresFromTally } from './tally';

/**
 * The cases behind a figure, listed: the references the reader may see (the case id for a case not yet
 * registered), sorted, and how many others were counted but are not listed to this reader (confidential
 * cases). What a drill-down page lists from and the what-if compares; the report itself carries `FigureCases`.
 */
export interface Drilldown {
  readonly references: string[];
  readonly withheld: number;
  /** Where to list them, paged (see `FigureCases.href`), when the figure is the report's. */
  readonly href?: string;
}

/**
 * The cases behind a figure as the report gives them: not their references (a year's report would list each
 * case in some 8 indicators × 4 scopes: tens of megabytes at 200,000 cases), but how many of them are not
 * listed to this reader (confidential cases) and where to list the others a page at a time (`GET
 * /api/audit/reports/service-statement/cases?…`, see `casesHref`, `serviceStatementCases`).
 */
export interface FigureCases {
  readonly withheld: number;
  readonly href: string;
}

/**
 * One cell of the report: a count, with the statistics that apply to it, and the cases behind it (`Cases`:
 * listed, `Drilldown`, or counted and linked, `FigureCases`).
 */
export interface Figure<Cases = Drilldown> {
  readonly count: number;
  /** For shares: the cases the count is a share of, and the share in % with one decimal (`null` for 0/0). */
  readonly denominator?: number;
  readonly percent?: number | null;
  /** For durations and hand-offs, over the cases behind the figure (`null` when there are none). */
  readonly mean?: number | null;
  readonly median?: number | null;
  readonly p90?: number | null;
  readonly max?: number | null;
  /** Extensions granted (`extended` only: the count is of cases). */
  readonly total?: number;
  readonly cases: Cases;
}

export type Figures<Cases = Drilldown> = Record<IndicatorId, Figure<Cases>>;

export interface ReportPeriod {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export interface ReportComputationInput {
  readonly period: ReportPeriod;
  /** Facts as of the cut-off: every case received by then (see `caseReportFacts`). */
  readonly facts: Iterable<CaseReportFacts>;
  /** The kind of each category of the policy (complaint and comment figures). */
  readonly categoryKinds: ReadonlyMap<string, CategoryKind>;
  /** Whether the reader may see the reference of a case (by its own confidentiality and its category); counted either way. */
  readonly mayList: (facts: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean;
}

/**
 * One calendar month of the period (by the Québec date of receipt), for the dashboard's chart: the cases
 * received that month, and of those, how many had their acknowledgement deadline come (`ackAssessed`) and met
 * on time (`ackOnTime`), as `ack-assessed` and `ack-on-time` count them. The cases are behind the indicators.
 */
export interface MonthFigures {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly received: number;
  readonly ackAssessed: number;
  readonly ackOnTime: number;
}

export interface ReportFigures<Cases = Drilldown> {
  readonly total: Figures<Cases>;
  readonly byCategory: Record<string, Figures<Cases>>;
  readonly byChannel: Record<string, Figures<Cases>>;
  /** Per category, then per channel: only the pairs that have cases. */
  readonly byCategoryChannel: Record<string, Record<string, Figures<Cases>>>;
  /** Every month the period touches, in order, months without cases included (zeros). */
  readonly byMonth: MonthFigures[];
}

/**
 * The figures of the service-statement report, in total, per category, per channel and per category × channel
 * (a case counts under its category at the cut-off, after any recategorization, and under the channel it came
 * by).
 *
 * Flow indicators count the cases received in the period (Québec date of receipt from `from` to `to`
 * inclusive); the end-of-period indicators count every case open at the cut-off, whenever received. Shares
 * are over the cases whose deadline has come (met, met late or breached): a deadline still running at the
 * cut-off is pending, never late; a deadline left unmet because the case was closed before it came
 * (withdrawn, duplicate…) is not counted. Definitions: `docs/service-statement-report.md`.
 *
 * The facts are folded into a tally (`addToTally`), whose figures (`figuresFromTally`) are those of the facts:
 * tallies of parts of the cases merge, so settled days can be folded once (`ReportDaySummary`).
 *
 * Pure: the same facts give the same figures, whatever their order.
 */
export function computeReportFigures(input: ReportComputationInput): ReportFigures {
  const tally = emptyTally();
  for (const facts of input.facts) addToTally(tally, facts, input.period);
  return figuresFromTally(tally, input);
}
