import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SCRIPT_TEXT_KEYS } from '../../../web/staff';
import { DASHBOARD_SCRIPT_TEXT_KEYS } from '../../../web/staff/dashboard-strings';

/** The exports of `web/static/dashboard.js` (a browser module, through jest's transform). */
interface Period {
  from: string;
  to: string;
}
interface Month {
  month: string;
  received: number;
  ackAssessed: number;
  ackOnTime: number;
}
interface Bar {
  kind: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Geometry {
  width: number;
  height: number;
  baseline: number;
  max: number;
  ticks: { value: number; y: number }[];
  groups: { month: string; center: number; bars: Bar[] }[];
}
interface Link {
  count: number;
  href: string;
}
interface Row {
  id: string;
  name: string;
  received: number;
  ackOnTime: number | null;
  handoffs: number | null;
  links: Record<'received' | 'ackOnTime' | 'answerOnTime' | 'complaints' | 'handoffs', Link | null>;
}
interface Dashboard {
  MAX_PERIOD_DAYS: number;
  periodFromSearch(search: string): Period | null;
  periodSearch(period: Period): string;
  periodIssues(period: Period): { path: string; key: string }[];
  reportUrl(period: Period | null, format?: string, language?: string): string;
  formatNumber(value: number, language: string, digits?: number): string;
  formatPercent(value: number | null, language: string): string;
  monthLabel(month: string, language: string, width?: string): string;
  niceScale(max: number): { max: number; step: number };
  sourceNote(source: unknown): { key: string; values: Record<string, string> } | null;
  chartGeometry(months: Month[], size?: Record<string, unknown>): Geometry;
  categoryRows(report: unknown, name: (id: string) => string, total: string): Row[];
  channelRows(report: unknown, name: (id: string) => string, total: string): Row[];
  crossTable(
    report: unknown,
    categoryName: (id: string) => string,
    channelName: (id: string) => string,
  ): {
    channels: { id: string; name: string }[];
    rows: { id: string; name: string; cells: (Link | null)[] }[];
  };
}

const dashboard = jest.requireActual<Dashboard>('../../../web/static/dashboard.js');
/** Narrow no-break space (fr-CA percent, thousands) and no-break space: compared as plain spaces. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('the dashboard period', () => {
  it('is read from and written to the address; none there leaves the default period to the server', () => {
    expect(dashboard.periodFromSearch('?from=2026-03-01&to=2026-03-31')).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
    });
    // No browser clock: with neither date the report is asked without a period (the server's Québec date).
    expect(dashboard.periodFromSearch('')).toBeNull();
    expect(dashboard.periodFromSearch('?lang=fr')).toBeNull();
    // One date only: the other is missing, and the form says so.
    expect(dashboard.periodFromSearch('?to=2026-02-28')).toEqual({ from: '', to: '2026-02-28' });
    expect(dashboard.periodSearch({ from: '2026-03-01', to: '2026-03-31' })).toBe(
      '?from=2026-03-01&to=2026-03-31',
    );
  });

  it('is checked as the API checks it: required, real dates, in order, at most 366 days', () => {
    expect(dashboard.periodIssues({ from: '2026-01-01', to: '2026-12-31' })).toEqual([]);
    expect(dashboard.periodIssues({ from: '2024-01-01', to: '2024-12-31' })).toEqual([]); // 366 days
    expect(dashboard.periodIssues({ from: '', to: '2026-02-30' })).toEqual([
      { path: 'query.from', key: 'dashboard.period.required' },
      { path: 'query.to', key: 'dashboard.period.invalid' },
    ]);
    expect(dashboard.periodIssues({ from: '2026-03-02', to: '2026-03-01' })).toEqual([
      { path: 'query.to', key: 'dashboard.period.reversed' },
    ]);
    expect(dashboard.periodIssues({ from: '2025-01-01', to: '2026-01-02' })).toEqual([
      { path: 'query.to', key: 'dashboard.period.tooLong' },
    ]);
  });

  it('gives the report API address, as JSON or as CSV with the page language', () => {
    const period = { from: '2026-01-01', to: '2026-03-31' };
    expect(dashboard.reportUrl(period)).toBe(
      '/api/audit/reports/service-statement?from=2026-01-01&to=2026-03-31',
    );
    expect(dashboard.reportUrl(period, 'csv', 'en')).toBe(
      '/api/audit/reports/service-statement?from=2026-01-01&to=2026-03-31&format=csv&lang=en',
    );
    expect(dashboard.reportUrl(null)).toBe('/api/audit/reports/service-statement');
  });
});

describe('the dashboard numbers', () => {
  it('are written in the page language, percentages with one decimal', () => {
    expect(spaces(dashboard.formatNumber(12345, 'fr'))).toBe('12 345');
    expect(dashboard.formatNumber(12345, 'en')).toBe('12,345');
    expect(dashboard.formatNumber(1.25, 'fr', 2)).toBe('1,25');
    expect(dashboard.formatNumber(1.25, 'en', 2)).toBe('1.25');
    expect(spaces(dashboard.formatPercent(62.5, 'fr'))).toBe('62,5 %');
    expect(dashboard.formatPercent(62.5, 'en')).toBe('62.5%');
    expect(dashboard.formatPercent(100, 'en')).toBe('100.0%');
    expect(dashboard.formatPercent(null, 'fr')).toBe('');
    expect(dashboard.monthLabel('2026-03', 'fr')).toBe('mars 2026');
    expect(dashboard.monthLabel('2026-03', 'en')).toBe('March 2026');
  });

  it('lists every category by name, then the total', () => {
    const figures = (received: number, ack: number | null, mean: number | null) => ({
      received: { count: received },
      'ack-on-time': { count: 0, percent: ack },
      'answer-on-time': { count: 0, percent: null },
      'complaints-received': { count: 0 },
      handoffs: { count: 0, mean },
    });
    const rows = dashboard.categoryRows(
      { total: figures(3, 50, 0.33), byCategory: { b: figures(1, null, 0), a: figures(2, 50, 0.5) } },
      (id) => ({ a: 'Zèbre', b: 'Abeille' })[id] ?? id,
      'Total',
    );
    expect(rows.map((row) => [row.id, row.name, row.received, row.ackOnTime, row.handoffs])).toEqual([
      ['b', 'Abeille', 1, null, 0],
      ['a', 'Zèbre', 2, 50, 0.5],
      ['total', 'Total', 3, 50, 0.33],
    ]);
  });
});

describe('the dashboard drill-down', () => {
  const figures = (scope: string, received: number, onTime: number) => {
    const cases = (indicator: string, count: number) => ({
      count,
      percent: count === 0 ? null : 50,
      mean: 0,
      cases: { withheld: 0, href: `/cases?indicator=${indicator}${scope}` },
    });
    return {
      received: cases('received', received),
      'ack-on-time': cases('ack-on-time', onTime),
      'answer-on-time': cases('answer-on-time', 0),
      'complaints-received': cases('complaints-received', 0),
      handoffs: cases('handoffs', 1),
    };
  };
  const report = {
    total: figures('', 3, 1),
    byCategory: { stat: figures('&category=stat', 2, 1), plainte: figures('&category=plainte', 1, 0) },
    byChannel: { web: figures('&channel=web', 2, 1), mail: figures('&channel=mail', 1, 0) },
    byCategoryChannel: {
      plainte: { mail: figures('&category=plainte&channel=mail', 1, 0) },
      stat: { web: figures('&category=stat&channel=web', 2, 1) },
    },
  };
  const names: Record<string, string> = {
    stat: 'Statistiques',
    plainte: 'Plainte',
    web: 'Web',
    mail: 'Poste',
  };
  const name = (id: string) => names[id] ?? id;

  it('gives each figure of the category table its cases’ address, none where no case is behind it', () => {
    const rows = dashboard.categoryRows(report, name, 'Total');
    expect(rows.map((row) => row.id)).toEqual(['plainte', 'stat', 'total']);
    expect(rows[1]!.links.received).toEqual({ count: 2, href: '/cases?indicator=received&category=stat' });
    expect(rows[1]!.links.ackOnTime).toEqual({
      count: 1,
      href: '/cases?indicator=ack-on-time&category=stat',
    });
    expect(rows[0]!.links.ackOnTime).toBeNull();
    expect(rows[2]!.links.handoffs).toEqual({ count: 1, href: '/cases?indicator=handoffs' });
  });

  it('has a row per channel by name, then the total, with the same links', () => {
    const rows = dashboard.channelRows(report, name, 'Total');
    expect(rows.map((row) => [row.id, row.name, row.received])).toEqual([
      ['mail', 'Poste', 1],
      ['web', 'Web', 2],
      ['total', 'Total', 3],
    ]);
    expect(rows[0]!.links.received).toEqual({ count: 1, href: '/cases?indicator=received&channel=mail' });
  });

  it('crosses categories and channels: requests received per pair, an empty cell where there is none', () => {
    const table = dashboard.crossTable(report, name, name);
    expect(table.channels).toEqual([
      { id: 'mail', name: 'Poste' },
      { id: 'web', name: 'Web' },
    ]);
    expect(table.rows).toEqual([
      {
        id: 'plainte',
        name: 'Plainte',
        cells: [{ count: 1, href: '/cases?indicator=received&category=plainte&channel=mail' }, null],
      },
      {
        id: 'stat',
        name: 'Statistiques',
        cells: [null, { count: 2, href: '/cases?indicator=received&category=stat&channel=web' }],
      },
    ]);
  });
});

describe('the dashboard chart geometry', () => {
  const months: Month[] = [
    { month: '2026-01', received: 8, ackAssessed: 8, ackOnTime: 6 },
    { month: '2026-02', received: 0, ackAssessed: 0, ackOnTime: 0 },
    { month: '2026-03', received: 4, ackAssessed: 2, ackOnTime: 1 },
  ];

  it('rounds the value axis up to a whole step of 1, 2 or 5 times a power of ten, 5 steps at most', () => {
    expect(dashboard.niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(dashboard.niceScale(3)).toEqual({ max: 3, step: 1 });
    expect(dashboard.niceScale(8)).toEqual({ max: 8, step: 2 });
    expect(dashboard.niceScale(37)).toEqual({ max: 40, step: 10 });
    expect(dashboard.niceScale(1234)).toEqual({ max: 1500, step: 500 });
    for (const max of [1, 7, 12, 99, 101, 950, 20_000]) {
      const scale = dashboard.niceScale(max);
      expect(scale.max).toBeGreaterThanOrEqual(max);
      expect(scale.max / scale.step).toBeLessThanOrEqual(5);
    }
  });

  it('draws two bars a month, heights proportional to the values on a common scale, left to right', () => {
    const geometry = dashboard.chartGeometry(months, {
      width: 600,
      height: 300,
      margin: { top: 10, bottom: 40, left: 40, right: 20 },
    });
    const plotHeight = 300 - 10 - 40;
    expect(geometry.max).toBe(8);
    expect(geometry.baseline).toBe(260);
    expect(geometry.groups.map((group) => group.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    const [january, february, march] = geometry.groups;
    expect(january!.bars.map((bar) => [bar.kind, bar.value])).toEqual([
      ['received', 8],
      ['on-time', 6],
    ]);
    expect(january!.bars[0]!.height).toBeCloseTo(plotHeight);
    expect(january!.bars[1]!.height).toBeCloseTo(plotHeight * 0.75);
    expect(march!.bars[0]!.height).toBeCloseTo(plotHeight * 0.5);
    expect(february!.bars.every((bar) => bar.height === 0 && bar.y === 260)).toBe(true);
    for (const bar of geometry.groups.flatMap((group) => group.bars))
      expect(bar.y + bar.height).toBeCloseTo(260);
    // Months left to right, inside the plot, the two bars of a month side by side.
    expect(january!.center).toBeLessThan(february!.center);
    expect(february!.center).toBeLessThan(march!.center);
    expect(january!.bars[1]!.x).toBeCloseTo(january!.bars[0]!.x + january!.bars[0]!.width);
    expect(march!.bars[1]!.x + march!.bars[1]!.width).toBeLessThanOrEqual(580);
    expect(geometry.ticks.map((tick) => tick.value)).toEqual([0, 2, 4, 6, 8]);
    expect(geometry.ticks[0]!.y).toBe(260);
    expect(geometry.ticks[4]!.y).toBe(10);
  });
});

describe('the words of the dashboard script', () => {
  it('are all given by the page: every literal key the script asks for is a page key', () => {
    const source = readFileSync(path.join(__dirname, '../../../web/static/dashboard.js'), 'utf8');
    const keys: readonly string[] = [...SCRIPT_TEXT_KEYS, ...DASHBOARD_SCRIPT_TEXT_KEYS];
    const used = [...source.matchAll(/\bt\('([^']+)'/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(10);
    for (const key of used) expect([key, keys.includes(key ?? '')]).toEqual([key, true]);
    // Sentences chosen by the plural form of a number: both forms given.
    const plural = [...source.matchAll(/\bt\(\s*`([a-zA-Z.]+)\.\$\{pluralForm\(/g)].map((match) => match[1]);
    expect(plural).toEqual([
      'dashboard.rateCount',
      'dashboard.withheld',
      'dashboard.pastAll',
      'dashboard.cases.count',
      'dashboard.withheld',
    ]);
    for (const key of plural) {
      expect(keys).toEqual(expect.arrayContaining([`${key}.one`, `${key}.other`]));
    }
  });
});

describe('where the figures come from', () => {
  it('says whether the aggregates were checked against the ledger, when, and with what outcome', () => {
    expect(
      dashboard.sourceNote({
        kind: 'aggregates',
        casesRead: 12,
        lastChecked: { at: '2026-12-06T07:10:00.000Z', matched: true },
      }),
    ).toEqual({ key: 'dashboard.source.checked', values: { at: '2026-12-06T07:10:00.000Z' } });
    expect(
      dashboard.sourceNote({
        kind: 'aggregates',
        casesRead: 12,
        lastChecked: { at: '2026-12-06T07:10:00.000Z', matched: false },
      }),
    ).toEqual({ key: 'dashboard.source.repaired', values: { at: '2026-12-06T07:10:00.000Z' } });
    expect(dashboard.sourceNote({ kind: 'aggregates', casesRead: 3, lastChecked: null })).toEqual({
      key: 'dashboard.source.unchecked',
      values: {},
    });
    expect(dashboard.sourceNote({ kind: 'ledger-replay', casesRead: 3, awaitingFirstReplay: true })).toEqual({
      key: 'dashboard.source.awaiting',
      values: {},
    });
    expect(dashboard.sourceNote({ kind: 'ledger-replay', casesRead: 3 })).toEqual({
      key: 'dashboard.source.ledger',
      values: {},
    });
    expect(dashboard.sourceNote(undefined)).toBeNull();
  });
});
