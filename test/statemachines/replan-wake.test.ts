import fonctionPublique from '../../shared/config/calendars/qc-fonction-publique.json';
import loiInterpretation from '../../shared/config/calendars/qc-loi-interpretation.json';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { CalendarRegistry } from '../../shared/domain/time';
import { replanCases, type ReplanDeps } from '../../shared/domain/workflow/replan';
import { startDynalite, type LocalDynamo } from '../support/dynalite';
import { startLifecycle, type Lifecycle } from '../support/lifecycle-harness';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator';
import { receiveCase } from '../support/workflow-fixtures';

/**
 * A re-planning that makes a deadline earlier wakes the case's workflow at the new instant: the real
 * case-lifecycle ASL on the local engine, the real workflow handler, dynalite and the SES emulator, on a
 * virtual clock.
 */
jest.setTimeout(60_000);

const RECEIVED = '2026-12-18T15:00:00.000Z';

/** The public-service calendar closed on 2027-01-07 in its first version, open again from 2027-01-04. */
const CALENDARS = (() => {
  const [first] = fonctionPublique.versions;
  return CalendarRegistry.from([
    {
      ...fonctionPublique,
      versions: [
        {
          ...first,
          additionalClosures: [{ date: '2027-01-07', name: { fr: 'Jour décrété', en: 'Decreed day' } }],
        },
        {
          version: '2027.1',
          effectiveFrom: '2027-01-04',
          ruleSet: 'qc-fonction-publique',
          officialYears: {},
          additionalClosures: [],
        },
      ],
    },
    loiInterpretation,
  ]);
})();

let dynamo: LocalDynamo;
let ses: SesEmulator;
let lifecycle: Lifecycle | undefined;

beforeAll(async () => {
  dynamo = await startDynalite('replan-wake');
  ses = await startSesEmulator();
});

afterAll(async () => {
  await ses.stop();
  await dynamo.stop();
});

afterEach(async () => {
  await lifecycle?.stop();
  lifecycle = undefined;
  await ses.clear();
});

function replanDeps(l: Lifecycle): ReplanDeps {
  return {
    ledger: l.ledger,
    calendars: CALENDARS,
    clock: { now: () => new Date() },
    workingHours: loadSctPolicy().organization.workingHours,
    workflow: l.workflow,
  };
}

const ofType = (events: LedgerEvent[], type: LedgerEvent['type']) => events.filter((e) => e.type === type);

it('a deadline made earlier is acted on at the new instant, once, by a new generation', async () => {
  const l = (lifecycle = await startLifecycle({ dynamo, ses }, { now: RECEIVED, calendars: CALENDARS }));
  // A letter nobody has answered yet: its acknowledgement deadline was told to no one.
  const caseId = await receiveCase(l.ledger, { receivedAt: RECEIVED, email: undefined });
  const firstArn = await l.start(caseId);
  expect((await l.ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');

  // On Monday 11, after the supervisor's escalation, the first generation sleeps until Tuesday 12 (the
  // director's escalation planned from the old date) when the re-planning runs.
  await l.clock.advanceTo('2027-01-11T14:00:00Z');
  const summary = await replanCases(replanDeps(l), [caseId]);
  const again = await replanCases(replanDeps(l), [caseId]);
  await l.clock.runUntilIdle();

  expect(summary).toMatchObject({ changed: 1, woken: 1, failed: [] });
  expect(again).toMatchObject({ changed: 0, woken: 0 });
  expect((await l.ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');
  expect(ofType(await l.ledger.read(caseId), 'workflow.started').map((e) => e.data)).toEqual([
    { generation: 2, trigger: 'replan' },
  ]);

  // The new deadline action: Monday 11 January, an hour before closing in Québec.
  await l.clock.advanceTo('2027-01-11T23:00:00Z');
  const acknowledged = ofType(await l.ledger.read(caseId), 'case.acknowledged');
  expect(acknowledged).toHaveLength(1);
  expect(acknowledged[0]!.at >= '2027-01-11T05:00:00Z' && acknowledged[0]!.at < '2027-01-12T05:00:00Z').toBe(
    true,
  );
  const director = ofType(await l.ledger.read(caseId), 'step.done').filter(
    (e) => (e.data as { stepId: string }).stepId === 'ack-escalation-director',
  );
  expect(director.map((e) => e.at.slice(0, 10))).toEqual(['2027-01-11']);
  const mailOnTheDay = await ses.readStore();

  // Past the instant the first generation planned from the old date (Tuesday 12): it ends without acting.
  await l.clock.advanceTo('2027-01-13T01:00:00Z');
  const events = await l.ledger.read(caseId);
  expect(ofType(events, 'case.acknowledged')).toHaveLength(1);
  expect(ofType(events, 'letter.prepared')).toHaveLength(1);
  const stepsDone = ofType(events, 'step.done').map((e) => (e.data as { stepId: string }).stepId);
  expect(stepsDone).toContain('ack-deadline-action');
  expect(new Set(stepsDone).size).toBe(stepsDone.length);
  const mail = await ses.readStore();
  expect(mail).toHaveLength(mailOnTheDay.length);
  const sent = mail.map((m) => `${m.destination.to.join(',')}|${m.subject}`);
  expect(new Set(sent).size).toBe(sent.length);
  // Every message recorded once: the emails to staff, and the acknowledgement letter to be posted.
  const letters = ofType(events, 'letter.prepared').map((e) => (e.data as { messageId: string }).messageId);
  const recorded = ofType(events, 'message.sent').map((e) => (e.data as { messageId: string }).messageId);
  expect(recorded.filter((id) => !letters.includes(id))).toHaveLength(mail.length);
  expect(new Set(recorded).size).toBe(recorded.length);

  expect((await l.sfn.describeExecution({ executionArn: firstArn })).status).toBe('SUCCEEDED');
  const { executions } = await l.sfn.listExecutions({ stateMachineArn: l.stateMachineArn });
  expect(executions?.map((e) => [e.name, e.status])).toEqual([
    [`${caseId}--g2`, 'RUNNING'],
    [caseId, 'SUCCEEDED'],
  ]);
});

it('a deadline made later wakes nothing: the running generation re-checks at the old instant', async () => {
  const later = CalendarRegistry.from([
    {
      ...fonctionPublique,
      versions: [
        fonctionPublique.versions[0],
        {
          version: '2027.1',
          effectiveFrom: '2027-01-04',
          ruleSet: 'qc-fonction-publique',
          officialYears: {},
          additionalClosures: [{ date: '2027-01-07', name: { fr: 'Jour décrété', en: 'Decreed day' } }],
        },
      ],
    },
    loiInterpretation,
  ]);
  const l = (lifecycle = await startLifecycle({ dynamo, ses }, { now: RECEIVED, calendars: later }));
  const caseId = await receiveCase(l.ledger, { receivedAt: RECEIVED, email: undefined });
  await l.start(caseId);

  await l.clock.advanceTo('2027-01-05T14:00:00Z');
  const summary = await replanCases({ ...replanDeps(l), calendars: later }, [caseId]);
  await l.clock.advanceTo('2027-01-13T01:00:00Z');

  expect(summary).toMatchObject({ changed: 1, woken: 0 });
  const events = await l.ledger.read(caseId);
  expect(ofType(events, 'workflow.started')).toEqual([]);
  const acknowledged = ofType(events, 'case.acknowledged');
  expect(acknowledged).toHaveLength(1);
  expect(acknowledged[0]!.at > '2027-01-12T05:00:00Z').toBe(true);
});
