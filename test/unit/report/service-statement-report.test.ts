import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  caseReportFacts,
  checkReportPeriod,
  median,
  percent,
  percentile,
  serviceStatementReport,
} from '../../../shared/domain/report';
import type { FigureCases, ServiceStatementReport } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { AccessDeniedError, InvalidRequestError } from '../../../shared/errors';
import { ADMIN, AGENT, AUDITOR, FixedClock, SUPERVISOR } from '../commands/fixtures';
import { listedCases } from './listed-cases';
import { PERIOD, buildScenario } from './scenario';
import type { Scenario } from './scenario';

/** The report is asked on Thursday 2 April 2026: the cut-off is the end of 31 March. */
const ASKED_AT = '2026-04-02T14:00:00.000Z';
const END_OF_MARCH = '2026-04-01T03:59:59.999Z';

function reportDeps(histories: LedgerEvent[][], journal = new InMemoryAccessJournal()) {
  return {
    reportSource: {
      async *caseHistories() {
        for (const events of histories) yield events;
      },
    },
    clock: new FixedClock(ASKED_AT),
    policy: loadSctPolicy(),
    calendars: bundledCalendars(),
    accessJournal: journal,
  };
}

let scenario: Scenario;
let report: ServiceStatementReport;
let journal: InMemoryAccessJournal;
/** The drill-downs' own journal: the report's holds what the report itself journaled. */
let drilldownJournal: InMemoryAccessJournal;

beforeAll(async () => {
  scenario = await buildScenario();
  journal = new InMemoryAccessJournal();
  drilldownJournal = new InMemoryAccessJournal();
  report = await serviceStatementReport(reportDeps(await scenario.histories(), journal), AUDITOR, PERIOD);
});

const refs = (...names: string[]) => names.map((name) => scenario.refs[name]!).sort();
/** The references behind a figure, as its drill-down (`cases.href`) lists them to `identity`, every page read. */
const listed = async (figure: { readonly cases: FigureCases }, identity: StaffIdentity = AUDITOR) =>
  (await listedCases(reportDeps(await scenario.histories(), drilldownJournal), identity, figure.cases.href))
    .references;

describe('service-statement report from the ledger (auditor, March 2026)', () => {
  it('cuts off at the end of the period and reads every case', () => {
    expect(report.period).toEqual(PERIOD);
    expect(report.asOf).toBe(END_OF_MARCH);
    expect(report.scope).toEqual({ kind: 'all' });
    expect(report.source).toEqual({ kind: 'ledger-replay', casesRead: 12 });
  });

  it('counts the requests received in the period (not before, not after), listed by the drill-down', async () => {
    expect(report.total.received).toEqual({
      count: 10,
      cases: {
        withheld: 0,
        href: '/api/audit/reports/service-statement/cases?from=2026-03-01&to=2026-03-31&indicator=received',
      },
    });
    expect(await listed(report.total.received)).toEqual(
      refs('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K'),
    );
  });

  it('acknowledgement: on time at the last millisecond, by the re-planned deadline, automatic; late by letter posted later', async () => {
    const t = report.total;
    // K was withdrawn before its deadline (void); I is still running (pending).
    expect(await listed(t['ack-assessed'])).toEqual(refs('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'));
    expect(t['ack-on-time']).toMatchObject({ count: 5, denominator: 8, percent: 62.5 });
    expect(await listed(t['ack-on-time'])).toEqual(refs('A', 'B', 'C', 'F', 'G'));
    expect(await listed(t['ack-by-staff'])).toEqual(refs('A', 'B', 'D', 'E', 'F', 'G'));
    expect(await listed(t['ack-automatic'])).toEqual(refs('C'));
    // D: Wed 18 March for Mon 16 (2 business days); E: posted Tue 17 (1 business day).
    expect(t['ack-late']).toMatchObject({ count: 2, median: 1.5, max: 2 });
    expect(await listed(t['ack-late'])).toEqual(refs('D', 'E'));
    expect(await listed(t['ack-missing'])).toEqual(refs('H'));
    expect(await listed(t['ack-pending'])).toEqual(refs('I'));
  });

  it('answers: by the date in force (extension included), delays in business days, extensions, delay notices', async () => {
    const t = report.total;
    expect(await listed(t['answer-assessed'])).toEqual(refs('A', 'B', 'C', 'D', 'E', 'G'));
    expect(t['answer-on-time']).toMatchObject({ count: 4, denominator: 6, percent: 66.7 });
    expect(await listed(t['answer-on-time'])).toEqual(refs('A', 'D', 'E', 'G'));
    expect(t['answer-late'].count).toBe(0);
    expect(await listed(t['answer-missing'])).toEqual(refs('B', 'C'));
    expect(await listed(t['answer-pending'])).toEqual(refs('F'));
    // G 3, A 12, E 14 (its letter posted 20 March), D 18.
    expect(t['answer-delay']).toMatchObject({ count: 4, median: 13, p90: 18, max: 18 });
    expect(t.extended).toMatchObject({ count: 1, total: 1 });
    expect(await listed(t.extended)).toEqual(refs('D'));
    expect(await listed(t['delay-notices'])).toEqual(refs('C'));
  });

  it('complaints and comments by their category at the end (G recategorized into a complaint)', async () => {
    const t = report.total;
    expect(await listed(t['complaints-received'])).toEqual(refs('G'));
    expect(await listed(t['complaints-answered'])).toEqual(refs('G'));
    expect(await listed(t['comments-received'])).toEqual(refs('H'));
    expect(t['comments-answered'].count).toBe(0);
    expect(await listed(t.dissatisfied)).toEqual(refs('G'));
    expect(Object.keys(report.byCategory)).toEqual(['comment', 'service-complaint', 'statistics']);
    expect(await listed(report.byCategory['service-complaint']!.received)).toEqual(refs('G'));
    expect(report.byCategory.statistics!.received.count).toBe(8);
  });

  it('hand-offs per case received: A twice, D once, G routed to the complaints unit', async () => {
    expect(report.total.handoffs).toMatchObject({ count: 3, mean: 0.4, max: 2 });
    expect(await listed(report.total.handoffs)).toEqual(refs('A', 'D', 'G'));
  });

  it('at the end: the cases awaiting the organization, their age and those past a deadline (J from February)', async () => {
    const t = report.total;
    expect(await listed(t['open-at-end'])).toEqual(refs('B', 'C', 'F', 'G', 'H', 'I', 'J'));
    // Ages 1 (I), 16 (H), 18 (G), 20 (C), 21 (B, F), 31 (J).
    expect(t['open-at-end']).toMatchObject({ count: 7, median: 20, max: 31 });
    expect(await listed(t['open-past-deadline'])).toEqual(refs('B', 'C', 'H', 'J'));
  });

  it('per channel: the letter case under mail', async () => {
    expect(await listed(report.byChannel.mail!.received)).toEqual(refs('E'));
    expect(report.byChannel.web!.received.count).toBe(9);
  });

  it('lists no reference itself (nothing journaled); its drill-down lists the confidential ones to the auditor, journaled', async () => {
    expect(report.confidentialReferences).toBe('listed');
    expect(JSON.stringify(report)).not.toContain(scenario.refs.G);
    expect(journal.all()).toEqual([]);
    const pages = new InMemoryAccessJournal();
    const received = await listedCases(
      reportDeps(await scenario.histories(), pages),
      AUDITOR,
      report.total.received.cases.href,
      100,
    );
    expect(received.references).toEqual(expect.arrayContaining([scenario.refs.G, scenario.refs.H]));
    expect(pages.all()).toEqual([
      {
        at: ASKED_AT,
        actor: { kind: 'staff', id: AUDITOR.id, role: 'auditor' },
        route: 'GET /api/audit/reports/service-statement/cases',
        caseIds: [scenario.ids.G!, scenario.ids.H!].sort(),
      },
    ]);
  });
});

describe('who may read the report', () => {
  it('a supervisor gets the figures of the categories of their units only, confidential references withheld', async () => {
    const supervisor: StaffIdentity = { ...SUPERVISOR, units: ['statistics', 'service-complaints'] };
    const ofUnits = await serviceStatementReport(reportDeps(await scenario.histories()), supervisor, PERIOD);
    expect(ofUnits.scope).toMatchObject({ kind: 'units', categories: ['service-complaint', 'statistics'] });
    expect(ofUnits.confidentialReferences).toBe('withheld');
    // H (a comment) is not in their categories; G (now a complaint) is counted, its reference withheld.
    expect(ofUnits.total.received.count).toBe(9);
    expect(ofUnits.total.received.cases.withheld).toBe(1);
    expect(await listed(ofUnits.total.received, supervisor)).toEqual(
      refs('A', 'B', 'C', 'D', 'E', 'F', 'I', 'K'),
    );
    expect(ofUnits.total['complaints-received']).toEqual({
      count: 1,
      cases: { withheld: 1, href: expect.stringContaining('indicator=complaints-received') },
    });
    expect(await listed(ofUnits.total['complaints-received'], supervisor)).toEqual([]);
  });

  it('a supervisor of statistics only does not see the complaint at all', async () => {
    const ofUnits = await serviceStatementReport(reportDeps(await scenario.histories()), SUPERVISOR, PERIOD);
    expect(ofUnits.total.received.count).toBe(8);
    expect(ofUnits.byCategory['service-complaint']).toBeUndefined();
  });

  it.each([
    ['an agent', AGENT],
    ['an administrator', ADMIN],
  ])('%s is refused before anything is read', async (_name, identity) => {
    const deps = reportDeps([]);
    const read = jest.fn();
    deps.reportSource.caseHistories = read;
    await expect(serviceStatementReport(deps, identity, PERIOD)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(read).not.toHaveBeenCalled();
  });
});

describe('the period', () => {
  const issues = (query: Record<string, string>) => {
    try {
      checkReportPeriod(query);
    } catch (error) {
      if (error instanceof InvalidRequestError) return error.issues.map((issue) => [issue.path, issue.en]);
      throw error;
    }
    return [];
  };

  it('refuses malformed, unreal, reversed and over-long periods field by field, in both languages', () => {
    expect(issues({ from: '2026-3-01', to: '2026-02-30' })).toEqual([
      ['query.from', 'must be a date YYYY-MM-DD'],
      ['query.to', 'must be a real calendar date'],
    ]);
    expect(issues({ to: '2026-03-31' })).toEqual([['query.from', 'is required (YYYY-MM-DD)']]);
    expect(issues({ from: '2026-04-01', to: '2026-03-31' })).toEqual([
      ['query.from', 'must not be after the end date (to)'],
    ]);
    expect(issues({ from: '2024-01-01', to: '2024-12-31' })).toEqual([]);
    expect(issues({ from: '2024-01-01', to: '2025-01-01' })).toEqual([
      ['query.to', 'the period cannot exceed 366 days'],
    ]);
  });
});

describe('facts and statistics', () => {
  it('ignores what happened after the cut-off (a report of a closed period does not change)', async () => {
    const events = await scenario.h.ledger.read(scenario.ids.A!);
    const before = caseReportFacts(events, new Date('2026-03-10T12:00:00Z'), bundledCalendars());
    expect(before).toMatchObject({ status: 'acknowledged', handoffs: 2, open: true });
    expect(before?.answer).toMatchObject({ outcome: 'pending' });
    expect(caseReportFacts(events, new Date('2026-03-01T12:00:00Z'), bundledCalendars())).toBeUndefined();
  });

  it('median, nearest-rank percentile and one-decimal percentages', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('monthly breakdown (the dashboard chart)', () => {
  it('gives each month of the period, with the received and acknowledged-on-time counts of its receipts', async () => {
    expect(report.byMonth).toEqual([
      {
        month: '2026-03',
        received: report.total.received.count,
        ackAssessed: report.total['ack-assessed'].count,
        ackOnTime: report.total['ack-on-time'].count,
      },
    ]);
    expect(report.total.received.count).toBeGreaterThan(0);
    const quarter = await serviceStatementReport(reportDeps(await scenario.histories()), AUDITOR, {
      from: '2025-12-15',
      to: '2026-03-31',
    });
    expect(quarter.byMonth.map((month) => month.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
    const sum = (key: 'received' | 'ackAssessed' | 'ackOnTime') =>
      quarter.byMonth.reduce((total, month) => total + month[key], 0);
    expect(sum('received')).toBe(quarter.total.received.count);
    expect(sum('ackAssessed')).toBe(quarter.total['ack-assessed'].count);
    expect(sum('ackOnTime')).toBe(quarter.total['ack-on-time'].count);
    // The cases received before March land in their own months, not in March.
    expect(quarter.byMonth[3]).toEqual(report.byMonth[0]);
    expect(quarter.total.received.count).toBeGreaterThan(report.total.received.count);
  });
});

describe('per category and channel, lateness of the missing acknowledgements, drill-down links', () => {
  it('gives every indicator per category × channel (the letter case E under statistics × mail)', async () => {
    const cells = report.byCategoryChannel;
    expect(Object.keys(cells)).toEqual(['comment', 'service-complaint', 'statistics']);
    expect(Object.keys(cells.statistics!)).toEqual(['mail', 'web']);
    expect(await listed(cells.statistics!.mail!.received)).toEqual(refs('E'));
    expect(await listed(cells.statistics!.mail!['ack-late'])).toEqual(refs('E'));
    expect(await listed(cells.statistics!.web!.received)).toEqual(refs('A', 'B', 'C', 'D', 'F', 'I', 'K'));
    expect(await listed(cells.comment!.web!['ack-missing'])).toEqual(refs('H'));
    // Only the pairs that have cases.
    expect(cells.comment!.mail).toBeUndefined();
  });

  it('summarises how late the acknowledgements still missing are (H: 6 business days at the end)', () => {
    expect(report.total['ack-missing']).toMatchObject({ count: 1, median: 6, max: 6 });
    expect(report.byCategory.statistics!['ack-missing']).toMatchObject({ count: 0, median: null, max: null });
  });

  it('says, per figure, where to list its cases (period, indicator, category, channel)', () => {
    const base = '/api/audit/reports/service-statement/cases?from=2026-03-01&to=2026-03-31';
    expect(report.total['ack-late'].cases.href).toBe(`${base}&indicator=ack-late`);
    expect(report.byCategory['service-complaint']!.received.cases.href).toBe(
      `${base}&indicator=received&category=service-complaint`,
    );
    expect(report.byChannel.mail!['answer-delay'].cases.href).toBe(
      `${base}&indicator=answer-delay&channel=mail`,
    );
    expect(report.byCategoryChannel.statistics!.mail!.received.cases.href).toBe(
      `${base}&indicator=received&category=statistics&channel=mail`,
    );
  });
});

describe('the default period (no from, no to)', () => {
  it('is 1 January to today by the Québec date of the server’s clock, not UTC', async () => {
    const deps = reportDeps(await scenario.histories());
    const spring = await serviceStatementReport(deps, AUDITOR, {});
    expect(spring.period).toEqual({ from: '2026-01-01', to: '2026-04-02' });
    // 31 December, 22:00 in Québec: still 2026 there, already 2027 in UTC.
    const newYearsEve = await serviceStatementReport(
      { ...deps, clock: new FixedClock('2027-01-01T03:00:00.000Z') },
      AUDITOR,
      {},
    );
    expect(newYearsEve.period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('still requires the other date when only one is given', async () => {
    await expect(
      serviceStatementReport(reportDeps([]), AUDITOR, { from: '2026-03-01' }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
