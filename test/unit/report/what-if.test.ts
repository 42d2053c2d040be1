import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  INDICATOR_IDS,
  replayCase,
  serviceStatementReport,
  whatIfReport,
} from '../../../shared/domain/report';
import type { CategoryChange, WhatIfReport } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { AccessDeniedError, InvalidRequestError } from '../../../shared/errors';
import { AGENT, AUDITOR, FixedClock, SUPERVISOR } from '../commands/fixtures';
import { listedCases } from './listed-cases';
import { PERIOD, buildScenario } from './scenario';
import type { Scenario } from './scenario';
import { withCaseLinks } from '../../../shared/domain/report/case-links';

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

describe('what-if replay of March 2026 under a changed policy', () => {
  it('the reality side is the service-statement report (confidential references withheld)', async () => {
    const report = await serviceStatementReport(deps(histories), AUDITOR, PERIOD);
    const result = await whatIf({ statistics: { acknowledgementDays: 5 } });

    for (const id of INDICATOR_IDS) {
      const real = result.reality.total[id];
      const reported = report.total[id];
      expect({ id, ...real, cases: undefined }).toEqual({ id, ...reported, cases: undefined });
      // G (a complaint) and H (a comment) are confidential: counted, never listed here.
      const listed = await listedCases(deps(histories), AUDITOR, reported.cases.href);
      expect(real.cases.href).toBe(reported.cases.href);
      expect([...real.cases.references].sort()).toEqual(
        listed.references.filter((r) => r !== scenario.refs['G'] && r !== scenario.refs['H']),
      );
    }
    expect(result.reality.byMonth).toEqual(report.byMonth);
    expect(Object.keys(result.reality.byCategory)).toEqual(Object.keys(report.byCategory));
    expect(result.confidentialReferences).toBe('withheld');
  });

  it('a change to a category without cases changes nothing', async () => {
    const result = await whatIf({ media: { acknowledgementDays: 1, answerDays: 1 } });

    // The same figures; only the recorded side links to the report's lists of cases.
    expect(withCaseLinks(result.changed, result.period)).toEqual(result.reality);
    expect(result.source).toEqual({ kind: 'ledger-replay', casesRead: 12, casesChanged: 0 });
    expect(result.differences.acknowledgement.breached).toEqual({ references: [], withheld: 0 });
    expect(
      replayCase(histories[0]!, {
        policy: loadSctPolicy(),
        changes: new Map(),
        calendarOf: () => bundledCalendars().at('qc-fonction-publique', '2026-03-01'),
      }).events,
    ).toEqual(histories[0]);
  });

  it('5 business days to acknowledge statistics: staff acknowledgements after the new deadline would have been automatic', async () => {
    const result = await whatIf({ statistics: { acknowledgementDays: 5 } });

    // B (17 March), D (18 March), E (letter, 12 March) and F (17 March) were acknowledged by staff after
    // 9 March at 16:30, when the workflow would have sent it; A (4 March) was before it.
    expect(result.differences.automaticInstead.references).toEqual(refs('B', 'D', 'E', 'F'));
    expect(result.changed.total['ack-automatic'].cases.references).toEqual(refs('B', 'C', 'D', 'E', 'F'));
    expect(result.changed.total['ack-by-staff'].cases.references).toEqual(refs('A'));
    expect(result.changed.total['ack-by-staff'].cases.withheld).toBe(1);
    // D and E were late in reality; the automatic acknowledgement would have been on time.
    expect(result.differences.acknowledgement).toEqual({
      breached: { references: [], withheld: 0 },
      noLongerBreached: { references: refs('D', 'E'), withheld: 0 },
    });
    // F: the automatic acknowledgement would have promised 15 business days (23 March), not the 10 April
    // staff promised: unanswered at the end, it would be late. D's extension to 27 March still stands.
    expect(result.differences.answer).toEqual({
      breached: { references: refs('F'), withheld: 0 },
      noLongerBreached: { references: [], withheld: 0 },
    });
    expect(result.changed.total['ack-on-time']).toMatchObject({ count: 7, denominator: 8, percent: 87.5 });
    // The workflow's delay notice on the new answer dates (23 March for B, D, F; 24 March for C), sent
    // because they were still unanswered then; the one C was sent in reality (on 24 March) is replaced.
    expect(result.reality.total['delay-notices'].cases.references).toEqual(refs('C'));
    expect(result.changed.total['delay-notices'].cases.references).toEqual(refs('B', 'C', 'D', 'F'));
    expect(result.reality.total['ack-on-time']).toMatchObject({ count: 5, denominator: 8, percent: 62.5 });
  });

  it('5 business days without automatic acknowledgement: the late staff acknowledgements breach', async () => {
    const result = await whatIf({ statistics: { acknowledgementDays: 5, automaticAcknowledgement: false } });

    // B and F were on time in reality and late against 9 March; C, acknowledged by the workflow in reality,
    // is not acknowledged at all; D and E were already late.
    expect(result.differences.acknowledgement.breached.references).toEqual(refs('B', 'C', 'F'));
    expect(result.differences.acknowledgement.noLongerBreached.references).toEqual([]);
    expect(result.differences.automaticInstead.references).toEqual([]);
    expect(result.changed.total['ack-missing'].cases.references).toEqual(refs('C'));
    expect(result.changed.total['ack-late'].cases.references).toEqual(refs('B', 'D', 'E', 'F'));
    expect(result.changed.total['ack-automatic'].count).toBe(0);
    // C is not acknowledged, so it has no answer date at all: not counted as an answer kept.
    expect(result.differences.answer).toEqual({
      breached: { references: [], withheld: 0 },
      noLongerBreached: { references: [], withheld: 0 },
    });
  });

  it('12 business days to answer statistics: staff promises beyond it are brought back to it', async () => {
    const result = await whatIf({ statistics: { answerDays: 12 } });

    // Due 18 March for a receipt on 2 March: E's answer letter posted on 20 March is late, F (promised 10
    // April, unanswered) is past it; A answered on 18 March is on time; D's extension to 27 March stands.
    expect(result.differences.answer.breached.references).toEqual(refs('E', 'F'));
    expect(result.differences.answer.noLongerBreached.references).toEqual([]);
    expect(result.differences.acknowledgement.breached.references).toEqual([]);
    expect(result.changed.total['answer-on-time'].cases.references).toEqual(refs('A', 'D'));
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
});
