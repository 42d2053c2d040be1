import type { Channel } from '../../../shared/domain/case/case';
import type { CategoryKind } from '../../../shared/domain/policy/schema';
import {
  addToTally,
  computeReportFigures,
  emptyTally,
  figureCountsFromTally,
  figuresFromTally,
  mergeTally,
  tallySize,
} from '../../../shared/domain/report';
import type { CaseReportFacts, DeadlineFacts, ReportPeriod } from '../../../shared/domain/report';
import type { LocalDate } from '../../../shared/domain/time/types';
import { seededRandom } from '../../../bench/stats';
import { directReportFigures } from './direct-figures';

const CATEGORIES = ['statistics', 'service-complaint', 'comment', 'access', 'a-b', 'ab', 'B', '10'];
const CHANNELS: Channel[] = ['web', 'email', 'mail', 'phone', 'in-person'];
const KINDS = new Map<string, CategoryKind>([
  ['statistics', 'request'],
  ['service-complaint', 'complaint'],
  ['comment', 'comment'],
  ['access', 'request'],
  ['a-b', 'complaint'],
  ['ab', 'comment'],
]);
const OUTCOMES: DeadlineFacts['outcome'][] = ['pending', 'met', 'met-late', 'breached', 'void'];

function generatedFacts(seed: number, count: number, period: ReportPeriod): CaseReportFacts[] {
  // Deterministic, so that a failure names its seed.
  const next = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  // Few distinct small values, so medians and percentiles fall on ties.
  const days = () => Math.floor(next() * 4);
  const start = Date.parse(`${period.from}T12:00:00Z`) - 40 * 86_400_000;
  const end = Date.parse(`${period.to}T12:00:00Z`) + 5 * 86_400_000;
  const deadline = (): DeadlineFacts => {
    const outcome = pick(OUTCOMES);
    return {
      dueAt: '2026-03-10T03:59:59.999Z',
      dueDate: '2026-03-09' as LocalDate,
      outcome,
      ...(outcome === 'met' || outcome === 'met-late' || next() < 0.1
        ? { metAt: '2026-03-08T15:00:00Z' }
        : {}),
      ...(outcome === 'met-late' || outcome === 'breached' ? { lateBusinessDays: days() } : {}),
      revisions: 0,
    };
  };
  return Array.from({ length: count }, (_, i) => {
    const receivedAt = new Date(start + next() * (end - start)).toISOString();
    const open = next() < 0.3;
    const ack = next() < 0.85 ? deadline() : undefined;
    const answer = next() < 0.7 ? deadline() : undefined;
    const sentBy = next() < 0.6 ? pick(['staff', 'automatic'] as const) : undefined;
    return {
      caseId: `case-${seed}-${i}`,
      ...(next() < 0.8 ? { reference: `JAL-${String(Math.floor(next() * 1000)).padStart(4, '0')}` } : {}),
      category: pick(CATEGORIES),
      channel: pick(CHANNELS),
      confidential: next() < 0.15,
      receivedAt,
      receivedDate: receivedAt.slice(0, 10) as LocalDate,
      status: open ? 'acknowledged' : 'closed',
      ...(ack !== undefined
        ? { acknowledgement: { ...ack, ...(sentBy !== undefined ? { sentBy } : {}) } }
        : {}),
      ...(answer !== undefined
        ? {
            answer: {
              ...answer,
              ...(next() < 0.6 ? { delayBusinessDays: Math.floor(next() * 25) } : {}),
              extensions: next() < 0.2 ? 1 + Math.floor(next() * 2) : 0,
            },
          }
        : {}),
      delayNoticeSent: next() < 0.1,
      dissatisfied: next() < 0.05,
      handoffs: Math.floor(next() * 3),
      open,
      pastDeadline: open && next() < 0.5,
      ageBusinessDays: Math.floor(next() * 40),
    };
  });
}

const PERIODS: ReportPeriod[] = [
  { from: '2026-03-01' as LocalDate, to: '2026-03-31' as LocalDate },
  { from: '2025-11-15' as LocalDate, to: '2026-02-03' as LocalDate },
];
const confidentialCategories = new Set(['service-complaint', 'B']);
const readers = {
  auditor: () => true,
  supervisor: (f: Pick<CaseReportFacts, 'confidential' | 'category'>) =>
    !(f.confidential || confidentialCategories.has(f.category)),
};

describe('report figures from a tally (figuresFromTally)', () => {
  it('are byte for byte the figures computed directly from the facts, on many generated fact sets', () => {
    let compared = 0;
    for (let seed = 1; seed <= 120; seed += 1) {
      const period = PERIODS[seed % PERIODS.length]!;
      const size = [0, 1, 2, 3, 4, 7, 10, 60, 250][seed % 9]!;
      const facts = generatedFacts(seed, size, period);
      for (const mayList of Object.values(readers)) {
        const input = { period, facts, categoryKinds: KINDS, mayList };
        const expected = JSON.stringify(directReportFigures(input));
        const actual = JSON.stringify(computeReportFigures(input));
        if (actual !== expected) expect({ seed, actual }).toEqual({ seed, actual: expected });
        compared += 1;
      }
    }
    expect(compared).toBe(240);
  });

  it('give the figures of all the facts when tallies of parts are merged, whatever the split', () => {
    const period = PERIODS[0]!;
    const facts = generatedFacts(7, 300, period);
    const whole = computeReportFigures({ period, facts, categoryKinds: KINDS, mayList: readers.supervisor });
    const parts = [emptyTally(), emptyTally(), emptyTally()];
    facts.forEach((f, i) => addToTally(parts[i % 3]!, f, period));
    const merged = emptyTally();
    for (const part of parts) mergeTally(merged, JSON.parse(JSON.stringify(part)) as typeof part);
    const fromParts = figuresFromTally(merged, { period, categoryKinds: KINDS, mayList: readers.supervisor });
    expect(JSON.stringify(fromParts)).toBe(JSON.stringify(whole));
  });

  it('give exact medians and 90th percentiles on ties, an even count and one case', () => {
    const period = PERIODS[0]!;
    const base = generatedFacts(3, 1, period)[0]!;
    const answered = (i: number, delay: number): CaseReportFacts => ({
      ...base,
      caseId: `c${i}`,
      receivedAt: '2026-03-05T15:00:00Z',
      receivedDate: '2026-03-05' as LocalDate,
      answer: {
        dueAt: base.receivedAt,
        dueDate: '2026-03-20' as LocalDate,
        outcome: 'met',
        revisions: 0,
        delayBusinessDays: delay,
        extensions: 0,
      },
    });
    const figure = (delays: number[]) =>
      computeReportFigures({
        period,
        facts: delays.map((d, i) => answered(i, d)),
        categoryKinds: KINDS,
        mayList: readers.auditor,
      }).total['answer-delay'];
    expect(figure([5])).toMatchObject({ count: 1, median: 5, p90: 5, max: 5 });
    expect(figure([2, 9])).toMatchObject({ median: 5.5, p90: 9, max: 9 });
    expect(figure([3, 3, 3, 8, 8, 8, 8, 8, 8, 20])).toMatchObject({ median: 8, p90: 8, max: 20 });
    expect(figure([])).toMatchObject({ count: 0, median: null, p90: null, max: null });
  });

  it('merge a cell of 200,000 cases (a year at 200,000 cases a year, most of one category and channel)', () => {
    const period = PERIODS[0]!;
    const base = generatedFacts(5, 1, period)[0]!;
    const year = emptyTally();
    for (let i = 0; i < 200_000; i += 1) addToTally(year, { ...base, caseId: `c${i}` }, period);

    const merged = mergeTally(emptyTally(), year);

    expect(tallySize(merged)).toBe(200_000);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(year));
  });

  it('count the withheld cases of every figure as the references listed would (figureCountsFromTally)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const period = PERIODS[seed % PERIODS.length]!;
      const tally = emptyTally();
      for (const facts of generatedFacts(seed, [0, 1, 5, 60, 250][seed % 5]!, period))
        addToTally(tally, facts, period);
      for (const mayList of Object.values(readers)) {
        const input = { period, categoryKinds: KINDS, mayList };
        // Each figure's listed cases reduced to how many are withheld.
        const expected = JSON.stringify(figuresFromTally(tally, input), (key, value: unknown) =>
          key === 'cases' ? { withheld: (value as { withheld: number }).withheld } : value,
        );
        const actual = JSON.stringify(figureCountsFromTally(tally, input));
        if (actual !== expected) expect({ seed, actual }).toEqual({ seed, actual: expected });
        compared += 1;
      }
    }
    expect(compared).toBe(80);
  });
});
