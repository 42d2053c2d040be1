import type { CategoryKind } from '../../../shared/domain/policy/schema';
import type {
  CaseReportFacts,
  Drilldown,
  Figure,
  Figures,
  MonthFigures,
  ReportComputationInput,
  ReportFigures,
  ReportPeriod,
} from '../../../shared/domain/report';
import { INDICATOR_IDS, maximum, mean, median, percent, percentile } from '../../../shared/domain/report';

/**
 * The report's figures computed directly from the facts, case list by case list: the implementation
 * `computeReportFigures` had before it folded facts into a tally, kept as the reference the tally must equal
 * byte for byte.
 */
export function directReportFigures(input: ReportComputationInput): ReportFigures {
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
