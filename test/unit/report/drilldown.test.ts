import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { serviceStatementCases, serviceStatementReport } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { AccessDeniedError, InvalidRequestError } from '../../../shared/errors';
import { AGENT, AUDITOR, FixedClock, SUPERVISOR } from '../commands/fixtures';
import { listedCases } from './listed-cases';
import { PERIOD, buildScenario } from './scenario';
import type { Scenario } from './scenario';

/** The drill-down of a report figure: the cases behind one cell, paged (the March 2026 scenario). */
const ASKED_AT = '2026-04-02T14:00:00.000Z';

function deps(histories: LedgerEvent[][], journal = new InMemoryAccessJournal()) {
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
let histories: LedgerEvent[][];

beforeAll(async () => {
  scenario = await buildScenario();
  histories = await scenario.histories();
});

const refs = (...names: string[]) => names.map((name) => scenario.refs[name]!).sort();
const BASE = '/api/audit/reports/service-statement/cases?from=2026-03-01&to=2026-03-31';

describe('the cases behind a figure', () => {
  it('lists the references of one cell (statistics × web, received), as the report counts them', async () => {
    const page = await serviceStatementCases(deps(histories), AUDITOR, {
      ...PERIOD,
      indicator: 'received',
      category: 'statistics',
      channel: 'web',
    });
    expect(page).toMatchObject({
      report: 'service-statement',
      period: PERIOD,
      asOf: '2026-04-01T03:59:59.999Z',
      indicator: 'received',
      category: 'statistics',
      channel: 'web',
      count: 7,
      withheld: 0,
      page: 1,
      pages: 1,
      references: refs('A', 'B', 'C', 'D', 'F', 'I', 'K'),
    });
    expect(page.next).toBeUndefined();
    expect(page.previous).toBeUndefined();
  });

  it('lists, at each figure’s address in the report, as many cases as it counts, in every scope', async () => {
    const report = await serviceStatementReport(deps(histories), AUDITOR, PERIOD);
    const scopes = [
      report.total,
      ...Object.values(report.byCategory),
      ...Object.values(report.byChannel),
      ...Object.values(report.byCategoryChannel).flatMap((channels) => Object.values(channels)),
    ];
    for (const figure of scopes.flatMap((figures) => Object.values(figures))) {
      const listed = await listedCases(deps(histories), AUDITOR, figure.cases.href);
      expect([figure.cases.href, listed.count, listed.withheld, listed.references.length]).toEqual([
        figure.cases.href,
        figure.count,
        figure.cases.withheld,
        figure.count,
      ]);
      expect(new Set(listed.references).size).toBe(figure.count);
    }
  });

  it('pages the list: pageSize at a time, with links to the next and previous pages', async () => {
    const query = { ...PERIOD, indicator: 'received', pageSize: '4' };
    const first = await serviceStatementCases(deps(histories), AUDITOR, query);
    expect(first).toMatchObject({ count: 10, page: 1, pageSize: 4, pages: 3 });
    expect(first.references).toEqual(refs('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K').slice(0, 4));
    expect(first.next).toBe(`${BASE}&indicator=received&page=2&pageSize=4`);
    const last = await serviceStatementCases(deps(histories), AUDITOR, { ...query, page: '3' });
    expect(last.references).toEqual(refs('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K').slice(8));
    expect(last.previous).toBe(`${BASE}&indicator=received&page=2&pageSize=4`);
    expect(last.next).toBeUndefined();
  });

  it('journals the confidential references listed to an auditor (those of the page only)', async () => {
    const journal = new InMemoryAccessJournal();
    await serviceStatementCases(deps(histories, journal), AUDITOR, { ...PERIOD, indicator: 'ack-missing' });
    expect(journal.all()).toEqual([
      {
        at: ASKED_AT,
        actor: { kind: 'staff', id: AUDITOR.id, role: 'auditor' },
        route: 'GET /api/audit/reports/service-statement/cases',
        caseIds: [scenario.ids.H!],
      },
    ]);
    const quiet = new InMemoryAccessJournal();
    await serviceStatementCases(deps(histories, quiet), AUDITOR, { ...PERIOD, indicator: 'ack-late' });
    expect(quiet.all()).toEqual([]);
  });

  it('withholds confidential references from a supervisor, counted, and keeps to their units’ categories', async () => {
    const supervisor: StaffIdentity = { ...SUPERVISOR, units: ['statistics', 'service-complaints'] };
    const page = await serviceStatementCases(deps(histories), supervisor, {
      ...PERIOD,
      indicator: 'dissatisfied',
    });
    expect(page).toMatchObject({ count: 1, withheld: 1, references: [] });
    const comments = await serviceStatementCases(deps(histories), supervisor, {
      ...PERIOD,
      indicator: 'comments-received',
    });
    expect(comments.count).toBe(0);
  });

  it('refuses an agent before anything is read', async () => {
    const d = deps([]);
    const read = jest.fn();
    d.reportSource.caseHistories = read;
    await expect(
      serviceStatementCases(d, AGENT, { ...PERIOD, indicator: 'received' }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    expect(read).not.toHaveBeenCalled();
  });

  it('refuses an unknown indicator, category or channel and a bad page, field by field, in both languages', async () => {
    const issues = async (query: Record<string, string>) => {
      try {
        await serviceStatementCases(deps(histories), AUDITOR, query);
      } catch (error) {
        if (error instanceof InvalidRequestError) return error.issues.map((issue) => [issue.path, issue.en]);
        throw error;
      }
      return [];
    };
    expect(
      await issues({
        ...PERIOD,
        indicator: 'nope',
        category: 'unknown',
        channel: 'fax',
        page: '0',
        pageSize: '501',
      }),
    ).toEqual([
      ['query.indicator', expect.stringContaining('ack-on-time')],
      ['query.category', expect.stringContaining('statistics')],
      ['query.channel', 'must be one of web, email, mail, phone, in-person'],
      ['query.page', 'must be a whole number from 1'],
      ['query.pageSize', 'must be a whole number from 1 to 500'],
    ]);
    expect(await issues({ from: '2026-03-01' })).toEqual([
      ['query.to', 'is required (YYYY-MM-DD)'],
      ['query.indicator', expect.stringContaining('is required')],
    ]);
  });
});
