import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  INDICATOR_IDS,
  replayCase,
  serviceStatementReport,
  whatIfCases,
  whatIfReport,
} from '../../../shared/domain/report';
import type { CategoryChange, WhatIfCasesSelector, WhatIfReport } from '../../../shared/domain/report';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import { bundledCalendars } from '../../../shared/domain/time';
import { AccessDeniedError, InvalidRequestError } from '../../../shared/errors';
import { AGENT, AUDITOR, FixedClock, SUPERVISOR } from '../commands/fixtures';
import { listedCases } from './listed-cases';
import { PERIOD, buildScenario } from './scenario';
import type { Scenario } from './scenario';
import type { IndicatorId } from '../../../shared/domain/report';

/** Asked on Thursday 2 April 2026: the cut-off is the end of 31 March (as the report's own tests). */
const ASKED_AT = '2026-04-02T14:00:00.000Z';

function deps(histories: LedgerEvent[][]) {
  return {
    reportSource: {
      async *caseHistories() {
        for (const events of histories) yield events;
      },
    },
    clock: new FixedClock(ASKED_AT),
    policy: loadSctPolicy(),
    calendars: bundledCalendars(),
    accessJournal: new InMemoryAccessJournal(),
  };
}

let scenario: Scenario;
let histories: LedgerEvent[][];

beforeAll(async () => {
  scenario = await buildScenario();
  histories = await scenario.histories();
});

const refs = (...names: string[]) => names.map((name) => scenario.refs[name]!).sort();
const whatIf = (changes: Record<string, CategoryChange>) =>
  whatIfReport(deps(histories), AUDITOR, { ...PERIOD, changes });

/**
 * Every reference of a list of a what-if (a difference's `next`, a changed figure's `first`), read page after
 * page through `whatIfCases` two at a time (so that the paging itself is exercised), with its counts, checked
 * to be the same on every page.
 */
async function allOf(
  changes: Record<string, CategoryChange>,
  first: WhatIfCasesSelector | undefined,
  identity: StaffIdentity = AUDITOR,
): Promise<{ count: number; withheld: number; references: string[] }> {
  const references: string[] = [];
  let seen: { count: number; withheld: number } | undefined;
  for (let at = first; at !== undefined;) {
    const page = await whatIfCases(deps(histories), identity, { ...PERIOD, changes, pageSize: 2, cases: at });
    if (seen !== undefined && (seen.count !== page.count || seen.withheld !== page.withheld)) {
      throw new Error(`page ${page.page} of ${at.list} counts differently from the first`);
    }
    seen = { count: page.count, withheld: page.withheld };
    references.push(...page.references);
    at = page.next;
  }
  return { ...seen!, references };
}
const changedOf = async (changes: Record<string, CategoryChange>, result: WhatIfReport, id: IndicatorId) =>
  (await allOf(changes, result.changed.total[id].cases.first)).references;
describe('what-if replay of March 2026 under a changed policy', () => {
  it('the reality side is the service-statement report', async () => {
    const report = await serviceStatementReport(deps(histories), AUDITOR, PERIOD);
    const change = { statistics: { acknowledgementDays: 5 } };
    const result = await whatIf(change);

    for (const id of INDICATOR_IDS) {
      // The report's own figure: its count, statistics, withheld count and drill-down address.
      expect({ id, ...result.reality.total[id] }).toEqual({ id, ...report.total[id] });
    }
    expect(result.reality.byMonth).toEqual(report.byMonth);
    expect(Object.keys(result.reality.byCategory)).toEqual(Object.keys(report.byCategory));
    expect(result.confidentialReferences).toBe('withheld');
  });

  it('a change to a category without cases changes nothing', async () => {
    const result = await whatIf({ media: { acknowledgementDays: 1, answerDays: 1 } });

    // The same figures; only the recorded side links to the report's lists of cases.
    const counts = (figures: WhatIfReport['changed'] | WhatIfReport['reality']) =>
      JSON.parse(JSON.stringify(figures, (key, value: unknown) => (key === 'cases' ? undefined : value)));
    expect(counts(result.changed)).toEqual(counts(result.reality));
    expect(result.source).toEqual({ kind: 'ledger-replay', casesRead: 12, casesChanged: 0 });
    expect(result.differences.acknowledgement.breached).toEqual({
      count: 0,
      withheld: 0,
      page: 1,
      pageSize: 100,
      pages: 1,
      references: [],
    });
    expect(
      replayCase(histories[0]!, {
        policy: loadSctPolicy(),
        changes: new Map(),
        calendarOf: () => bundledCalendars().at('qc-fonction-publique', '2026-03-01'),
      }).events,
    ).toEqual(histories[0]);
  });

  it('5 business days to acknowledge statistics: staff acknowledgements after the new deadline would have been automatic', async () => {
    const change = { statistics: { acknowledgementDays: 5 } };
    const result = await whatIf(change);

    // B (17 March), D (18 March), E (letter, 12 March) and F (17 March) were acknowledged by staff after
    // 9 March at 16:30, when the workflow would have sent it; A (4 March) was before it.
    expect(result.differences.automaticInstead.references).toEqual(refs('B', 'D', 'E', 'F'));
    expect(await changedOf(change, result, 'ack-automatic')).toEqual(refs('B', 'C', 'D', 'E', 'F'));
    expect(await changedOf(change, result, 'ack-by-staff')).toEqual(refs('A'));
    expect(result.changed.total['ack-by-staff'].cases.withheld).toBe(1);
    expect(await allOf(change, result.changed.total['ack-by-staff'].cases.first)).toEqual({
      count: 2,
      withheld: 1,
      references: refs('A'),
    });
    // D and E were late in reality; the automatic acknowledgement would have been on time.
    expect(result.differences.acknowledgement).toMatchObject({
      breached: { references: [], withheld: 0 },
      noLongerBreached: { references: refs('D', 'E'), withheld: 0 },
    });
    // F: the automatic acknowledgement would have promised 15 business days (23 March), not the 10 April
    // staff promised: unanswered at the end, it would be late. D's extension to 27 March still stands.
    expect(result.differences.answer).toMatchObject({
      breached: { references: refs('F'), withheld: 0 },
      noLongerBreached: { references: [], withheld: 0 },
    });
    expect(result.changed.total['ack-on-time']).toMatchObject({ count: 7, denominator: 8, percent: 87.5 });
    // The workflow's delay notice on the new answer dates (23 March for B, D, F; 24 March for C), sent
    // because they were still unanswered then; the one C was sent in reality (on 24 March) is replaced.
    expect(
      (await listedCases(deps(histories), AUDITOR, result.reality.total['delay-notices'].cases.href))
        .references,
    ).toEqual(refs('C'));
    expect(await changedOf(change, result, 'delay-notices')).toEqual(refs('B', 'C', 'D', 'F'));
    expect(result.reality.total['ack-on-time']).toMatchObject({ count: 5, denominator: 8, percent: 62.5 });
  });

  it('5 business days without automatic acknowledgement: the late staff acknowledgements breach', async () => {
    const change = { statistics: { acknowledgementDays: 5, automaticAcknowledgement: false } };
    const result = await whatIf(change);

    // B and F were on time in reality and late against 9 March; C, acknowledged by the workflow in reality,
    // is not acknowledged at all; D and E were already late.
    expect(result.differences.acknowledgement.breached.references).toEqual(refs('B', 'C', 'F'));
    expect(result.differences.acknowledgement.noLongerBreached.references).toEqual([]);
    expect(result.differences.automaticInstead.references).toEqual([]);
    expect(await changedOf(change, result, 'ack-missing')).toEqual(refs('C'));
    expect(await changedOf(change, result, 'ack-late')).toEqual(refs('B', 'D', 'E', 'F'));
    expect(result.changed.total['ack-automatic'].count).toBe(0);
    // C is not acknowledged, so it has no answer date at all: not counted as an answer kept.
    expect(result.differences.answer).toMatchObject({
      breached: { references: [], withheld: 0 },
      noLongerBreached: { references: [], withheld: 0 },
    });
  });

  it('12 business days to answer statistics: staff promises beyond it are brought back to it', async () => {
    const change = { statistics: { answerDays: 12 } };
    const result = await whatIf(change);

    // Due 18 March for a receipt on 2 March: E's answer letter posted on 20 March is late, F (promised 10
    // April, unanswered) is past it; A answered on 18 March is on time; D's extension to 27 March stands.
    expect(result.differences.answer.breached.references).toEqual(refs('E', 'F'));
    expect(result.differences.answer.noLongerBreached.references).toEqual([]);
    expect(result.differences.acknowledgement.breached.references).toEqual([]);
    expect(await changedOf(change, result, 'answer-on-time')).toEqual(refs('A', 'D'));
  });

  it('a closure added to the calendar (Monday 16 March) moves the deadlines of 2 March to 17 March', async () => {
    const change = { statistics: { calendar: { addClosures: ['2026-03-16'] } } };
    const result = await whatIf(change);

    // 10 business days from 2 March skipping 16 March: Tuesday 17 March. D, acknowledged by staff on 18
    // March, would have been acknowledged by the workflow on 17 March; E's letter, posted on 17 March, is on
    // time; C's automatic acknowledgement moves to 18 March and stays on time.
    expect(result.reality.total['ack-late']).toMatchObject({ count: 2, median: 1.5, max: 2 });
    expect(result.changed.total['ack-late']).toMatchObject({ count: 0, median: null, max: null });
    expect(result.differences.acknowledgement.noLongerBreached.references).toEqual(refs('D', 'E'));
    expect(result.differences.automaticInstead.references).toEqual(refs('D'));
    expect(result.changes).toEqual(change);
  });

  it('no automatic acknowledgement while the workflow had stopped enforcing deadlines (a failure it recorded)', () => {
    const b = histories.find((events) => events[0]!.caseId === scenario.ids['B'])!;
    const failure = {
      ...b[1]!,
      type: 'failure.recorded',
      at: '2026-03-03T12:00:00.000Z',
      actor: { kind: 'system', id: 'workflow' },
      data: { code: 'WORKFLOW_FAILED' },
    } as LedgerEvent;
    const stopped = [...b, failure].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    const context = {
      policy: loadSctPolicy(),
      changes: new Map([
        ['statistics', { acknowledgementDelay: { amount: 5, unit: 'business-days' as const } }],
      ]),
      calendarOf: () => bundledCalendars().at('qc-fonction-publique', '2026-03-02'),
    };

    expect(replayCase(b, context).automaticInstead).toBe('2026-03-17T03:59:59.999Z');
    expect(replayCase(stopped, context).automaticInstead).toBeUndefined();
  });

  it('refuses, field by field in both languages: unknown category, unknown calendar version, bad period', async () => {
    const error = await whatIfReport(deps(histories), AUDITOR, {
      from: '2026-03-31',
      to: '2026-03-01',
      changes: {
        inconnue: { acknowledgementDays: 5 },
        statistics: { calendar: { version: '1999.9' } },
      },
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    const issues = (error as InvalidRequestError).issues;
    expect(issues.map((i) => i.path)).toEqual([
      'body.from',
      'body.changes.inconnue',
      'body.changes.statistics.calendar.version',
    ]);
    expect(issues[1]).toMatchObject({
      fr: expect.stringContaining('catégorie inconnue') as string,
      en: expect.stringContaining('unknown category') as string,
    });
  });

  it('a supervisor may change their units’ categories only; an agent may not run it', async () => {
    const refused = await whatIfReport(deps(histories), SUPERVISOR, {
      ...PERIOD,
      changes: { 'service-complaint': { acknowledgementDays: 5 } },
    }).catch((e: unknown) => e);
    const own: WhatIfReport = await whatIfReport(deps(histories), SUPERVISOR, {
      ...PERIOD,
      changes: { statistics: { acknowledgementDays: 5 } },
    });
    const agent = await whatIfReport(deps(histories), AGENT, {
      ...PERIOD,
      changes: { statistics: { acknowledgementDays: 5 } },
    }).catch((e: unknown) => e);

    expect((refused as InvalidRequestError).issues).toEqual([
      {
        path: 'body.changes.service-complaint',
        fr: 'n’est pas une catégorie de vos unités',
        en: 'is not a category of your units',
      },
    ]);
    expect(own.scope.kind).toBe('units');
    // G became a complaint: outside the supervisor's categories, not counted.
    expect(own.reality.total.received.count).toBe(8);
    expect(own.differences.automaticInstead.references).toEqual(refs('B', 'D', 'E', 'F'));
    expect(agent).toBeInstanceOf(AccessDeniedError);
  });

  it('lists each list a page at a time: the first page in the answer, the next ones by sending its `next` back', async () => {
    const change = { statistics: { acknowledgementDays: 5 } };
    const result = await whatIfReport(deps(histories), AUDITOR, { ...PERIOD, changes: change, pageSize: 3 });
    const asOf = '2026-03-31T03:59:59.999Z'.replace('03-31T03', '04-01T03');

    // B, D, E, F: three on the first page, the fourth on the second.
    expect(result.pageSize).toBe(3);
    expect(result.differences.automaticInstead).toEqual({
      count: 4,
      withheld: 0,
      page: 1,
      pageSize: 3,
      pages: 2,
      references: refs('B', 'D', 'E', 'F').slice(0, 3),
      next: { list: 'automaticInstead', page: 2, asOf },
    });
    const second = await whatIfCases(deps(histories), AUDITOR, {
      ...PERIOD,
      changes: change,
      pageSize: 3,
      cases: result.differences.automaticInstead.next!,
    });
    expect(second).toMatchObject({
      report: 'what-if-cases',
      list: 'automaticInstead',
      asOf,
      count: 4,
      withheld: 0,
      page: 2,
      pages: 2,
      references: refs('B', 'D', 'E', 'F').slice(3),
      previous: { list: 'automaticInstead', page: 1, asOf },
    });
    expect(second.next).toBeUndefined();
    // A changed figure: its `first` asks for its first page (by category and channel too).
    expect(result.changed.byCategory['statistics']!['ack-automatic'].cases.first).toEqual({
      list: 'changed',
      indicator: 'ack-automatic',
      category: 'statistics',
      page: 1,
      asOf,
    });
    expect(
      await allOf(change, result.changed.byCategory['statistics']!['ack-automatic'].cases.first),
    ).toEqual({ count: 5, withheld: 0, references: refs('B', 'C', 'D', 'E', 'F') });
  });

  it('confidential cases are counted in `withheld` on every page, never listed, auditors included', async () => {
    // H (a comment, confidential), never acknowledged, 6 business days late at the end of March; with 20 business
    // days (due 7 April) it would not yet be due.
    const change = { comment: { acknowledgementDays: 20 } };
    const result = await whatIf(change);

    expect(result.differences.acknowledgement.noLongerBreached).toMatchObject({
      count: 1,
      withheld: 1,
      references: [],
    });
    expect(
      await allOf(change, { list: 'acknowledgement.noLongerBreached', page: 1, asOf: result.asOf }),
    ).toEqual({ count: 1, withheld: 1, references: [] });
    expect(await allOf(change, result.changed.total['ack-pending'].cases.first)).toEqual({
      count: 2,
      withheld: 1,
      references: refs('I'),
    });
  });

  it('a page is of the list of the answer it came from: its `asOf` fixes the cut-off while the period goes on', async () => {
    // Asked on 12 March, the last day of the period not over; the next page asked on 2 April.
    const change = { statistics: { acknowledgementDays: 5, automaticAcknowledgement: false } };
    const early = { ...deps(histories), clock: new FixedClock('2026-03-12T14:00:00.000Z') };
    const first = await whatIfReport(early, AUDITOR, { ...PERIOD, changes: change, pageSize: 1 });
    const later = (cases: WhatIfCasesSelector | { list: string }) =>
      whatIfCases(deps(histories), AUDITOR, { ...PERIOD, changes: change, pageSize: 1, cases });

    const pinned = await later(first.differences.acknowledgement.breached.next!);
    const unpinned = await later({ list: 'acknowledgement.breached', page: 2 });

    expect(first.asOf).toBe('2026-03-12T14:00:00.000Z');
    expect(pinned.asOf).toBe(first.asOf);
    expect(pinned.count).toBe(first.differences.acknowledgement.breached.count);
    // By the end of March some were late in reality too: the list of the end of March is another list.
    expect([pinned.count, unpinned.count]).toEqual([5, 3]);
  });

  it('refuses a bad page field by field: list, indicator, channel, page, asOf after the cut-off, page size', async () => {
    const asked = async (body: { pageSize?: unknown; cases: Record<string, unknown> }) => {
      const error = await whatIfCases(deps(histories), AUDITOR, {
        ...PERIOD,
        changes: { statistics: { acknowledgementDays: 5 } },
        ...body,
      }).catch((e: unknown) => e);
      if (!(error instanceof InvalidRequestError)) throw new Error('not refused');
      return error;
    };

    const unknown = await asked({ pageSize: 0, cases: { list: 'late', page: 0 } });
    const changed = await asked({ cases: { list: 'changed', channel: 'fax' } });
    const other = await asked({ cases: { list: 'answer.breached', indicator: 'received' } });
    const future = await asked({ cases: { list: 'automaticInstead', asOf: '2026-04-01T04:00:00.000Z' } });
    const notInstant = await asked({ cases: { list: 'automaticInstead', asOf: '2026-03-31' } });

    expect(unknown.issues.map((i) => i.path)).toEqual([
      'body.pageSize',
      'body.cases.list',
      'body.cases.page',
    ]);
    expect(unknown.issues[1]).toMatchObject({ en: expect.stringContaining('acknowledgement.breached') });
    expect(changed.issues.map((i) => [i.path, i.en])).toEqual([
      ['body.cases.indicator', 'is required for the list changed'],
      ['body.cases.channel', expect.stringContaining('must be one of web')],
    ]);
    expect(other.issues.map((i) => i.path)).toEqual(['body.cases.indicator']);
    expect(future.issues).toEqual([
      expect.objectContaining({
        path: 'body.cases.asOf',
        fr: expect.stringContaining('ne peut pas être après'),
      }),
    ]);
    expect(notInstant.issues.map((i) => i.path)).toEqual(['body.cases.asOf']);
  });
});
