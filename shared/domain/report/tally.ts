import type { CategoryKind } from '../policy/schema';
import type { Drilldown, Figure, Figures, MonthFigures, ReportFigures, ReportPeriod } from './compute';
import type { CaseReportFacts } from './facts';
import { INDICATOR_IDS } from './indicators';
import { percent } from './statistics';

/**
 * The case sets a tally keeps per cell: each indicator's cases, and `answer-sent` (received cases whose answer
 * went out: the complaints and comments answered).
 */
export const TALLY_SETS = [
  'received',
  'ack-assessed',
  'ack-on-time',
  'ack-by-staff',
  'ack-automatic',
  'ack-late',
  'ack-missing',
  'ack-pending',
  'answer-assessed',
  'answer-on-time',
  'answer-late',
  'answer-missing',
  'answer-pending',
  'answer-delay',
  'answer-sent',
  'extended',
  'delay-notices',
  'dissatisfied',
  'handoffs',
  'open-at-end',
  'open-past-deadline',
] as const;
export type TallySet = (typeof TALLY_SETS)[number];

/** Whole numbers by how many times each occurs (`"3": 2`: the value 3, twice): exact medians and percentiles. */
export type Histogram = Record<string, number>;

/** A case of a tally: its id (the access journal), the reference it is listed by, its own confidentiality. */
export interface TallyCase {
  readonly id: string;
  readonly ref: string;
  readonly confidential: boolean;
}

/** The cases of one category × channel, folded. */
export interface TallyCell {
  readonly category: string;
  readonly channel: string;
  readonly cases: TallyCase[];
  /** For each set, the indexes in `cases` of its members (absent: none). */
  readonly sets: Partial<Record<TallySet, number[]>>;
  /** Business days late of `ack-late` and `ack-missing`, delays of `answer-delay`, ages of `open-at-end`. */
  readonly ackLateDays: Histogram;
  readonly ackMissingDays: Histogram;
  readonly answerDelays: Histogram;
  readonly openAges: Histogram;
  /** Hand-offs of every received case (the `handoffs` mean and max). */
  readonly handoffs: Histogram;
  /** Extensions granted to the received cases. */
  extensions: number;
  /** Per month of receipt (`YYYY-MM`): received, acknowledgement assessed, acknowledged on time. */
  readonly months: Record<string, [number, number, number]>;
}

/**
 * The report's facts folded into sums that merge: per category × channel, the cases behind each indicator
 * (to list them), exact distributions of business days and hand-offs, extensions, and monthly counts. Tallies
 * of disjoint sets of cases merge into the tally of their union (`mergeTally`), so a day's settled cases can
 * be folded once and kept (`ReportDaySummary`). Plain data (JSON).
 */
export interface ReportTally {
  /** By `category` + "\n" + `channel`. */
  readonly cells: Record<string, TallyCell>;
}

export function emptyTally(): ReportTally {
  return { cells: {} };
}

function cellOf(tally: ReportTally, category: string, channel: string): TallyCell {
  const key = `${category}\n${channel}`;
  let cell = tally.cells[key];
  if (cell === undefined) {
    cell = {
      category,
      channel,
      cases: [],
      sets: {},
      ackLateDays: {},
      ackMissingDays: {},
      answerDelays: {},
      openAges: {},
      handoffs: {},
      extensions: 0,
      months: {},
    };
    tally.cells[key] = cell;
  }
  return cell;
}

function count(histogram: Histogram, value: number, times = 1): void {
  histogram[String(value)] = (histogram[String(value)] ?? 0) + times;
}

/**
 * Folds the facts of one case into `tally` (mutated), as the report counts them for `period`: the flow
 * indicators count it when it was received in the period, the end-of-period ones when it is open at the
 * cut-off. Each case is folded once.
 */
export function addToTally(tally: ReportTally, facts: CaseReportFacts, period: ReportPeriod): void {
  const cell = cellOf(tally, facts.category, facts.channel);
  const index = cell.cases.length;
  cell.cases.push({
    id: facts.caseId,
    ref: facts.reference ?? facts.caseId,
    confidential: facts.confidential,
  });
  const add = (set: TallySet) => (cell.sets[set] ??= []).push(index);
  if (facts.open) {
    add('open-at-end');
    count(cell.openAges, facts.ageBusinessDays);
    if (facts.pastDeadline) add('open-past-deadline');
  }
  if (facts.receivedDate < period.from || facts.receivedDate > period.to) return;
  add('received');
  const ack = facts.acknowledgement;
  const answer = facts.answer;
  const assessed = (outcome: string | undefined) =>
    outcome === 'met' || outcome === 'met-late' || outcome === 'breached';
  if (assessed(ack?.outcome)) add('ack-assessed');
  if (ack?.outcome === 'met') add('ack-on-time');
  if (ack?.outcome === 'met-late') {
    add('ack-late');
    count(cell.ackLateDays, ack.lateBusinessDays ?? 0);
  }
  if (ack?.outcome === 'breached') {
    add('ack-missing');
    count(cell.ackMissingDays, ack.lateBusinessDays ?? 0);
  }
  if (ack?.outcome === 'pending') add('ack-pending');
  if (ack?.sentBy === 'staff') add('ack-by-staff');
  if (ack?.sentBy === 'automatic') add('ack-automatic');
  if (assessed(answer?.outcome)) add('answer-assessed');
  if (answer?.outcome === 'met') add('answer-on-time');
  if (answer?.outcome === 'met-late') add('answer-late');
  if (answer?.outcome === 'breached') add('answer-missing');
  if (answer?.outcome === 'pending') add('answer-pending');
  if (answer?.delayBusinessDays !== undefined) {
    add('answer-delay');
    count(cell.answerDelays, answer.delayBusinessDays);
  }
  if (answer?.metAt !== undefined) add('answer-sent');
  if ((answer?.extensions ?? 0) > 0) {
    add('extended');
    cell.extensions += answer?.extensions ?? 0;
  }
  if (facts.delayNoticeSent) add('delay-notices');
  if (facts.dissatisfied) add('dissatisfied');
  if (facts.handoffs > 0) add('handoffs');
  count(cell.handoffs, facts.handoffs);
  const month = (cell.months[facts.receivedDate.slice(0, 7)] ??= [0, 0, 0]);
  month[0] += 1;
  if (assessed(ack?.outcome)) month[1] += 1;
  if (ack?.outcome === 'met') month[2] += 1;
}

/** Adds the cases of `other` (disjoint from those of `into`) to `into` (mutated); `other` is not changed. */
export function mergeTally(into: ReportTally, other: ReportTally): ReportTally {
  for (const from of Object.values(other.cells)) {
    const cell = cellOf(into, from.category, from.channel);
    const offset = cell.cases.length;
    // One by one: a spread (`push(...from.cases)`) passes every case as an argument, which overflows the stack
    // past ~100,000 (a year's tally at 200,000 cases a year).
    for (const c of from.cases) cell.cases.push(c);
    for (const [set, members] of Object.entries(from.sets) as [TallySet, number[]][]) {
      const target = (cell.sets[set] ??= []);
      for (const index of members) target.push(index + offset);
    }
    for (const name of ['ackLateDays', 'ackMissingDays', 'answerDelays', 'openAges', 'handoffs'] as const) {
      for (const [value, times] of Object.entries(from[name])) count(cell[name], Number(value), times);
    }
    cell.extensions += from.extensions;
    for (const [month, counts] of Object.entries(from.months)) {
      const target = (cell.months[month] ??= [0, 0, 0]);
      counts.forEach((n, i) => (target[i]! += n));
    }
  }
  return into;
}

/** The tally of the cells of `tally` that `keep` accepts (the cells are shared, not copied). */
export function filterTally(
  tally: ReportTally,
  keep: (cell: { readonly category: string; readonly channel: string }) => boolean,
): ReportTally {
  return { cells: Object.fromEntries(Object.entries(tally.cells).filter(([, cell]) => keep(cell))) };
}

/** How many cases a tally holds. */
export function tallySize(tally: ReportTally): number {
  return Object.values(tally.cells).reduce((sum, cell) => sum + cell.cases.length, 0);
}

/** The cases of a tally, with the category they count under. */
export function* tallyCases(tally: ReportTally): Iterable<TallyCase & { readonly category: string }> {
  for (const cell of Object.values(tally.cells)) {
    for (const c of cell.cases) yield { ...c, category: cell.category };
  }
}

export interface TallyFiguresInput {
  readonly period: ReportPeriod;
  /** The kind of each category of the policy (complaint and comment figures). */
  readonly categoryKinds: ReadonlyMap<string, CategoryKind>;
  /** Whether the reader may see the reference of a case (by its own confidentiality and its category). */
  readonly mayList: (c: { readonly confidential: boolean; readonly category: string }) => boolean;
}

/**
 * The report's figures from a tally, in total, per category, per channel and per category × channel, and the
 * months of the period, each with the references of its cases: the same figures, key order included, as the
 * cases folded into it give (`computeReportFigures`; definitions in `docs/service-statement-report.md`).
 */
export function figuresFromTally(tally: ReportTally, input: TallyFiguresInput): ReportFigures {
  return figuresWith(tally, input, (set, cells) => {
    const references: string[] = [];
    let withheld = 0;
    for (const c of membersOf(set, cells)) {
      if (input.mayList(c)) references.push(c.ref);
      else withheld += 1;
    }
    return { references: references.sort(), withheld } satisfies Drilldown;
  });
}

/**
 * The same figures as `figuresFromTally`, each with only how many of its cases are not listed to this reader
 * (`withheld`) instead of the references: what the report carries, without listing or sorting a reference.
 * Whether the reader may list a case is asked once per case, and the withheld members of a set counted once
 * per cell, whatever the scopes (total, category, channel, both) the cell counts in: a year's tally at
 * 200,000 cases took 2.1 s when each figure of each scope walked its members as new objects
 * (`docs/service-statement-report.md`, « 200,000 cases, in memory »).
 */
export function figureCountsFromTally(
  tally: ReportTally,
  input: TallyFiguresInput,
): ReportFigures<{ readonly withheld: number }> {
  const hidden = new Map<TallyCell, boolean[]>();
  const withheldBySet = new Map<TallyCell, Partial<Record<TallySet, number>>>();
  const withheldIn = (cell: TallyCell, set: TallySet): number => {
    let counts = withheldBySet.get(cell);
    if (counts === undefined) withheldBySet.set(cell, (counts = {}));
    let withheld = counts[set];
    if (withheld === undefined) {
      let unlisted = hidden.get(cell);
      if (unlisted === undefined) {
        unlisted = cell.cases.map(
          (c) => !input.mayList({ confidential: c.confidential, category: cell.category }),
        );
        hidden.set(cell, unlisted);
      }
      withheld = 0;
      for (const index of cell.sets[set] ?? []) if (unlisted[index] === true) withheld += 1;
      counts[set] = withheld;
    }
    return withheld;
  };
  return figuresWith(tally, input, (set, cells) => ({
    withheld: cells.reduce((sum, cell) => sum + withheldIn(cell, set), 0),
  }));
}

/** The cases of `set` in `cells`, with the category they count under. */
function* membersOf(set: TallySet, cells: readonly TallyCell[]): Iterable<TallyCase & { category: string }> {
  for (const cell of cells) {
    for (const index of cell.sets[set] ?? []) yield { ...cell.cases[index]!, category: cell.category };
  }
}

/** The cases of `set` in `cells`, as a figure gives them (`figuresFromTally`, `figureCountsFromTally`). */
type CasesOf<Cases> = (set: TallySet, cells: readonly TallyCell[]) => Cases;

function figuresWith<Cases>(
  tally: ReportTally,
  input: TallyFiguresInput,
  casesOf: CasesOf<Cases>,
): ReportFigures<Cases> {
  const cells = Object.values(tally.cells);
  const byCategory: Record<string, Figures<Cases>> = {};
  const byChannel: Record<string, Figures<Cases>> = {};
  const groups = new Map<string, TallyCell[]>();
  for (const cell of cells) {
    for (const key of [`category:${cell.category}`, `channel:${cell.channel}`]) {
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [cell]);
      else group.push(cell);
    }
  }
  for (const [key, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, id] = key.split(':') as [string, string];
    (kind === 'category' ? byCategory : byChannel)[id] = figuresOf(members, input, casesOf);
  }
  const byCategoryChannel: Record<string, Record<string, Figures<Cases>>> = {};
  const categories = [...new Set(cells.map((cell) => cell.category))].sort((a, b) => a.localeCompare(b));
  for (const category of categories) {
    byCategoryChannel[category] = Object.fromEntries(
      cells
        .filter((cell) => cell.category === category)
        .sort((a, b) => a.channel.localeCompare(b.channel))
        .map((cell) => [cell.channel, figuresOf([cell], input, casesOf)]),
    );
  }
  return {
    total: figuresOf(cells, input, casesOf),
    byCategory,
    byChannel,
    byCategoryChannel,
    byMonth: monthsOf(cells, input.period),
  };
}

/** Every month the period touches, in order, with the received, assessed and on-time counts of its cases. */
function monthsOf(cells: readonly TallyCell[], period: ReportPeriod): MonthFigures[] {
  const months: MonthFigures[] = [];
  let [year, month] = period.from.split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    const counts = [0, 0, 0];
    for (const cell of cells) cell.months[key]?.forEach((n, i) => (counts[i]! += n));
    months.push({ month: key, received: counts[0]!, ackAssessed: counts[1]!, ackOnTime: counts[2]! });
    if (key >= last) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** Statistics of a merged histogram, as `statistics.ts` computes them on the values it stands for. */
class Distribution {
  private readonly values: [number, number][];
  readonly size: number;

  constructor(histograms: readonly Histogram[]) {
    const merged = new Map<number, number>();
    for (const histogram of histograms) {
      for (const [value, times] of Object.entries(histogram)) {
        merged.set(Number(value), (merged.get(Number(value)) ?? 0) + times);
      }
    }
    this.values = [...merged].sort(([a], [b]) => a - b);
    this.size = this.values.reduce((sum, [, times]) => sum + times, 0);
  }

  /** The value of rank `rank` (1 for the smallest). */
  private ranked(rank: number): number {
    let seen = 0;
    for (const [value, times] of this.values) {
      seen += times;
      if (seen >= rank) return value;
    }
    throw new RangeError(`rank ${rank} of ${this.size}`);
  }

  median(): number | null {
    if (this.size === 0) return null;
    const middle = Math.floor(this.size / 2);
    if (this.size % 2 === 1) return this.ranked(middle + 1);
    return (this.ranked(middle) + this.ranked(middle + 1)) / 2;
  }

  percentile(p: number): number | null {
    if (this.size === 0) return null;
    return this.ranked(Math.max(1, Math.ceil((p / 100) * this.size)));
  }

  mean(): number | null {
    if (this.size === 0) return null;
    const sum = this.values.reduce((total, [value, times]) => total + value * times, 0);
    return Math.round((sum * 100) / this.size) / 100;
  }

  max(): number | null {
    return this.size === 0 ? null : this.values[this.values.length - 1]![0];
  }
}

function figuresOf<Cases>(
  cells: readonly TallyCell[],
  input: TallyFiguresInput,
  casesOf: CasesOf<Cases>,
): Figures<Cases> {
  const size = (set: TallySet, of: readonly TallyCell[] = cells) =>
    of.reduce((sum, cell) => sum + (cell.sets[set]?.length ?? 0), 0);
  const figure = (
    set: TallySet,
    extra: Omit<Figure, 'count' | 'cases'> = {},
    of: readonly TallyCell[] = cells,
  ): Figure<Cases> => ({ count: size(set, of), ...extra, cases: casesOf(set, of) });
  const share = (set: TallySet, of: TallySet): Figure<Cases> =>
    figure(set, { denominator: size(of), percent: percent(size(set), size(of)) });
  const distribution = (name: 'ackLateDays' | 'ackMissingDays' | 'answerDelays' | 'openAges' | 'handoffs') =>
    new Distribution(cells.map((cell) => cell[name]));
  const ofKind = (kind: CategoryKind) =>
    cells.filter((cell) => input.categoryKinds.get(cell.category) === kind);
  const ackLate = distribution('ackLateDays');
  const ackMissing = distribution('ackMissingDays');
  const answerDelays = distribution('answerDelays');
  const ages = distribution('openAges');
  const handoffs = distribution('handoffs');

  const figures: Figures<Cases> = {
    received: figure('received'),
    'ack-assessed': figure('ack-assessed'),
    'ack-on-time': share('ack-on-time', 'ack-assessed'),
    'ack-by-staff': figure('ack-by-staff'),
    'ack-automatic': figure('ack-automatic'),
    'ack-late': figure('ack-late', { median: ackLate.median(), max: ackLate.max() }),
    'ack-missing': figure('ack-missing', { median: ackMissing.median(), max: ackMissing.max() }),
    'ack-pending': figure('ack-pending'),
    'answer-assessed': figure('answer-assessed'),
    'answer-on-time': share('answer-on-time', 'answer-assessed'),
    'answer-late': figure('answer-late'),
    'answer-missing': figure('answer-missing'),
    'answer-pending': figure('answer-pending'),
    'answer-delay': figure('answer-delay', {
      median: answerDelays.median(),
      p90: answerDelays.percentile(90),
      max: answerDelays.max(),
    }),
    extended: figure('extended', { total: cells.reduce((sum, cell) => sum + cell.extensions, 0) }),
    'delay-notices': figure('delay-notices'),
    'complaints-received': figure('received', {}, ofKind('complaint')),
    'complaints-answered': figure('answer-sent', {}, ofKind('complaint')),
    'comments-received': figure('received', {}, ofKind('comment')),
    'comments-answered': figure('answer-sent', {}, ofKind('comment')),
    dissatisfied: figure('dissatisfied'),
    handoffs: figure('handoffs', { mean: handoffs.mean(), max: handoffs.max() }),
    'open-at-end': figure('open-at-end', { median: ages.median(), max: ages.max() }),
    'open-past-deadline': figure('open-past-deadline'),
  };
  // The order of INDICATOR_IDS is the order of the report.
  return Object.fromEntries(INDICATOR_IDS.map((id) => [id, figures[id]])) as Figures<Cases>;
}
