import type { CategoryKind } from '../policy/schema';
import type { LocalDate } from '../time/types';
import type { CaseReportFacts } from './facts';
import { INDICATOR_IDS } from './indicators';
import type { IndicatorId } from './indicators';
import { maximum, mean, median, percent, percentile } from './statistics';

/**
 * The cases behind a figure: the references the reader may see (the case id for a case not yet registered),
 * sorted, and how many others were counted but are not listed to this reader (confidential cases).
 */
export interface Drilldown {
  readonly references: string[];
  readonly withheld: number;
  /**
   * Where to list them, paged (`GET /api/audit/reports/service-statement/cases?…`); set by the report, which
   * knows the period and the scope of the figure (see `withCaseLinks`).
   */
  readonly href?: string;
}

/** One cell of the report: a count, with the statistics that apply to it, and the cases behind it. */
export interface Figure {
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
  readonly cases: Drilldown;
}

export type Figures = Record<IndicatorId, Figure>;

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
  /** Whether the reader may see the reference of this case; counted either way. */
  readonly mayList: (facts: CaseReportFacts) => boolean;
}

/**
 * One calendar month of the period (by the Québec date of receipt), for the dashboard's chart: the cases
 * received that month, and of those, how many had their acknowledgement deadline come (`ackAssessed`) and met
 * on time (`ackOnTime`), as `ack-assessed` and `ack-on-time` count them. References are in the indicators.
 */
export interface MonthFigures {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly received: number;
  readonly ackAssessed: number;
  readonly ackOnTime: number;
}

export interface ReportFigures {
  readonly total: Figures;
  readonly byCategory: Record<string, Figures>;
  readonly byChannel: Record<string, Figures>;
  /** Per category, then per channel: only the pairs that have cases. */
  readonly byCategoryChannel: Record<string, Record<string, Figures>>;
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
 * Pure: the same facts give the same figures, whatever their order.
 */
export function computeReportFigures(input: ReportComputationInput): ReportFigures {
  const groups = new Map<string, CaseReportFacts[]>([['total', []]]);
  const add = (key: string, facts: CaseReportFacts) => {
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [facts]);
    else group.push(facts);
  };
  const cells = new Map<string, Map<string, CaseReportFacts[]>>();
  for (const facts of input.facts) {
    add('total', facts);
    add(`category:${facts.category}`, facts);
    add(`channel:${facts.channel}`, facts);
    const ofCategory = cells.get(facts.category) ?? new Map<string, CaseReportFacts[]>();
    cells.set(facts.category, ofCategory);
    const cell = ofCategory.get(facts.channel);
    if (cell === undefined) ofCategory.set(facts.channel, [facts]);
    else cell.push(facts);
  }
  const byCategory: Record<string, Figures> = {};
  const byChannel: Record<string, Figures> = {};
  for (const [key, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    if (key === 'total') continue;
    const [kind, id] = key.split(':') as [string, string];
    (kind === 'category' ? byCategory : byChannel)[id] = figuresOf(members, input);
  }
  const byCategoryChannel: Record<string, Record<string, Figures>> = {};
  for (const [category, channels] of [...cells].sort(([a], [b]) => a.localeCompare(b))) {
    byCategoryChannel[category] = Object.fromEntries(
      [...channels]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([channel, members]) => [channel, figuresOf(members, input)]),
    );
  }
  const total = groups.get('total') ?? [];
  return {
    total: figuresOf(total, input),
    byCategory,
    byChannel,
    byCategoryChannel,
    byMonth: monthsOf(total, input.period),
  };
}

/**
 * The received, acknowledgement-assessed and acknowledged-on-time counts of each month of the period, by the
 * month of the Québec date of receipt (the same cases and outcomes as the `received`, `ack-assessed` and
 * `ack-on-time` indicators: the months add up to the total).
 */
function monthsOf(all: readonly CaseReportFacts[], period: ReportPeriod): MonthFigures[] {
  const months = new Map<string, { received: number; ackAssessed: number; ackOnTime: number }>();
  let [year, month] = period.from.split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.set(key, { received: 0, ackAssessed: 0, ackOnTime: 0 });
    if (key >= last) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  for (const facts of all) {
    if (facts.receivedDate < period.from || facts.receivedDate > period.to) continue;
    const counts = months.get(facts.receivedDate.slice(0, 7));
    if (counts === undefined) continue;
    const outcome = facts.acknowledgement?.outcome;
    counts.received += 1;
    if (outcome === 'met' || outcome === 'met-late' || outcome === 'breached') counts.ackAssessed += 1;
    if (outcome === 'met') counts.ackOnTime += 1;
  }
  return [...months].map(([key, counts]) => ({ month: key, ...counts }));
}

function figuresOf(all: readonly CaseReportFacts[], input: ReportComputationInput): Figures {
  const { from, to } = input.period;
  const drill = (cases: readonly CaseReportFacts[]): Drilldown => {
    const references: string[] = [];
    let withheld = 0;
    for (const facts of cases) {
      if (input.mayList(facts)) references.push(facts.reference ?? facts.caseId);
      else withheld += 1;
    }
    return { references: references.sort(), withheld };
  };
  const count = (cases: readonly CaseReportFacts[], extra: Omit<Figure, 'count' | 'cases'> = {}): Figure => ({
    count: cases.length,
    ...extra,
    cases: drill(cases),
  });
  const share = (cases: readonly CaseReportFacts[], of: readonly CaseReportFacts[]): Figure =>
    count(cases, { denominator: of.length, percent: percent(cases.length, of.length) });

  const received = all.filter((f) => f.receivedDate >= from && f.receivedDate <= to);
  const ackOutcome = (f: CaseReportFacts) => f.acknowledgement?.outcome;
  const answerOutcome = (f: CaseReportFacts) => f.answer?.outcome;
  const ackAssessed = received.filter((f) => ['met', 'met-late', 'breached'].includes(ackOutcome(f) ?? ''));
  const ackOnTime = received.filter((f) => ackOutcome(f) === 'met');
  const ackLate = received.filter((f) => ackOutcome(f) === 'met-late');
  const ackDays = ackLate.map((f) => f.acknowledgement?.lateBusinessDays ?? 0);
  const ackMissing = received.filter((f) => ackOutcome(f) === 'breached');
  const missingDays = ackMissing.map((f) => f.acknowledgement?.lateBusinessDays ?? 0);
  const acknowledged = received.filter((f) => f.acknowledgement?.sentBy !== undefined);
  const answerAssessed = received.filter((f) =>
    ['met', 'met-late', 'breached'].includes(answerOutcome(f) ?? ''),
  );
  const answered = received.filter((f) => f.answer?.delayBusinessDays !== undefined);
  const answerDelays = answered.map((f) => f.answer?.delayBusinessDays ?? 0);
  const extended = received.filter((f) => (f.answer?.extensions ?? 0) > 0);
  const ofKind = (kind: CategoryKind) => received.filter((f) => input.categoryKinds.get(f.category) === kind);
  const complaints = ofKind('complaint');
  const comments = ofKind('comment');
  const openAtEnd = all.filter((f) => f.open);
  const ages = openAtEnd.map((f) => f.ageBusinessDays);
  const handoffs = received.map((f) => f.handoffs);

  const figures: Figures = {
    received: count(received),
    'ack-assessed': count(ackAssessed),
    'ack-on-time': share(ackOnTime, ackAssessed),
    'ack-by-staff': count(acknowledged.filter((f) => f.acknowledgement?.sentBy === 'staff')),
    'ack-automatic': count(acknowledged.filter((f) => f.acknowledgement?.sentBy === 'automatic')),
    'ack-late': count(ackLate, { median: median(ackDays), max: maximum(ackDays) }),
    'ack-missing': count(ackMissing, { median: median(missingDays), max: maximum(missingDays) }),
    'ack-pending': count(received.filter((f) => ackOutcome(f) === 'pending')),
    'answer-assessed': count(answerAssessed),
    'answer-on-time': share(
      received.filter((f) => answerOutcome(f) === 'met'),
      answerAssessed,
    ),
    'answer-late': count(received.filter((f) => answerOutcome(f) === 'met-late')),
    'answer-missing': count(received.filter((f) => answerOutcome(f) === 'breached')),
    'answer-pending': count(received.filter((f) => answerOutcome(f) === 'pending')),
    'answer-delay': count(answered, {
      median: median(answerDelays),
      p90: percentile(answerDelays, 90),
      max: maximum(answerDelays),
    }),
    extended: count(extended, {
      total: extended.reduce((sum, f) => sum + (f.answer?.extensions ?? 0), 0),
    }),
    'delay-notices': count(received.filter((f) => f.delayNoticeSent)),
    'complaints-received': count(complaints),
    'complaints-answered': count(complaints.filter((f) => f.answer?.metAt !== undefined)),
    'comments-received': count(comments),
    'comments-answered': count(comments.filter((f) => f.answer?.metAt !== undefined)),
    dissatisfied: count(received.filter((f) => f.dissatisfied)),
    handoffs: count(
      received.filter((f) => f.handoffs > 0),
      { mean: mean(handoffs), max: maximum(handoffs) },
    ),
    'open-at-end': count(openAtEnd, { median: median(ages), max: maximum(ages) }),
    'open-past-deadline': count(openAtEnd.filter((f) => f.pastDeadline)),
  };
  // The order of INDICATOR_IDS is the order of the report.
  return Object.fromEntries(INDICATOR_IDS.map((id) => [id, figures[id]])) as Figures;
}
