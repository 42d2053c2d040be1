import type { TaskHandler } from '../../infra/local/stepfunctions/engine';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Notifier } from '../../shared/domain/messaging/ports';
import { EmailServiceUnavailableError, StoreUnavailableError } from '../../shared/errors';
import { startDynalite, type LocalDynamo } from '../support/dynalite';
import { startLifecycle, type Lifecycle } from '../support/lifecycle-harness';
import { startSesEmulator, type SesEmulator, type StoredEmail } from '../support/ses-emulator';
import { receiveCase } from '../support/workflow-fixtures';

/**
 * The real case-lifecycle ASL, executed by the local engine with the real workflow handler over dynalite and
 * the SES emulator, on a virtual clock.
 */
let dynamo: LocalDynamo;
let ses: SesEmulator;
let lifecycle: Lifecycle | undefined;

beforeAll(async () => {
  dynamo = await startDynalite('paths');
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

const RECEIVED = '2026-12-18T15:00:00.000Z';

async function open(
  options: Parameters<typeof startLifecycle>[1] = { now: RECEIVED },
  category = 'statistics',
) {
  lifecycle = await startLifecycle({ dynamo, ses }, options);
  const caseId = await receiveCase(lifecycle.ledger, {
    receivedAt: RECEIVED,
    email: 'marie@example.com',
    category,
  });
  const executionArn = await lifecycle.start(caseId);
  return { lifecycle, caseId, executionArn };
}

async function mail(): Promise<StoredEmail[]> {
  return ses.readStore();
}

function subjects(emails: StoredEmail[], to: string): string[] {
  return emails.filter((e) => e.destination.to.includes(to)).map((e) => e.subject);
}

async function events(l: Lifecycle, caseId: string): Promise<LedgerEvent[]> {
  return l.ledger.read(caseId);
}

async function staff(
  l: Lifecycle,
  caseId: string,
  type: 'case.acknowledged' | 'case.answered',
  data: object,
) {
  await l.ledger.append(caseId, {
    type,
    at: new Date().toISOString(),
    actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
    data,
  } as Parameters<CaseLedger['append']>[1]);
}

describe('case lifecycle, executed', () => {
  it('acknowledged on business day 3 and answered on time: no reminder, closed', async () => {
    const { lifecycle: l, caseId, executionArn } = await open();
    expect(subjects(await mail(), 'marie@example.com')).toHaveLength(1);

    await l.clock.advanceTo('2026-12-23T15:00:00Z');
    await staff(l, caseId, 'case.acknowledged', {
      messageId: 'staff-ack',
      promisedAnswerDate: '2027-01-15',
      automatic: false,
    });
    await l.ledger.append(caseId, {
      type: 'deadline.planned',
      at: new Date().toISOString(),
      actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
      data: { kind: 'answer', deadline: (await l.ledger.getCase(caseId))!.deadlines.acknowledgement! },
    });
    await l.clock.advanceTo('2027-01-05T15:00:00Z');
    await staff(l, caseId, 'case.answered', { messageId: 'staff-answer' });
    await l.clock.advanceTo('2027-01-12T12:00:00Z');

    const execution = await l.sfn.describeExecution({ executionArn });
    expect(execution.status).toBe('SUCCEEDED');
    expect((await l.ledger.getCase(caseId))?.status).toBe('closed');
    const staffMail = (await mail()).filter((e) => !e.destination.to.includes('marie@example.com'));
    expect(staffMail.map((e) => e.subject).filter((s) => /rappel|escalade/i.test(s))).toEqual([]);
    const stats = l.sfn.executionStats(executionArn);
    process.stdout.write(
      `common path: ${stats.stateTransitions} state transitions, ${stats.historyEvents} history events\n`,
    );
  });

  it('no acknowledgement: reminder, escalations, then the automatic acknowledgement before the end of business day 10 (2027-01-11)', async () => {
    const { lifecycle: l, caseId } = await open();
    await l.clock.advanceTo('2027-01-08T14:00:00Z');
    const before = await mail();
    expect(before.filter((e) => e.destination.to.includes('marie@example.com'))).toHaveLength(1);
    const staffBefore = before.filter((e) => !e.destination.to.includes('marie@example.com'));
    expect(staffBefore.map((e) => [e.destination.to[0], new Date(e.at * 1000).toISOString()])).toEqual([
      ['stats@sct.example', '2026-12-18T15:00:00.000Z'],
      ['stats@sct.example', '2027-01-06T13:30:00.000Z'],
      ['stats-sup@sct.example', '2027-01-08T13:30:00.000Z'],
    ]);

    await l.clock.advanceTo('2027-01-12T05:00:00Z');
    const ack = (await mail()).filter((e) => e.destination.to.includes('marie@example.com'))[1];
    expect(ack).toBeDefined();
    expect(ack?.body.text).toContain('lundi 18 janvier 2027');
    expect(new Date((ack?.at ?? 0) * 1000).toISOString()).toBe('2027-01-11T20:30:00.000Z');
    const acknowledged = (await events(l, caseId)).find((e) => e.type === 'case.acknowledged');
    expect(acknowledged?.data).toMatchObject({ automatic: true, promisedAnswerDate: '2027-01-18' });
    expect(Date.parse(acknowledged?.at ?? '')).toBeLessThan(Date.parse('2027-01-12T04:59:59.999Z'));
  });

  it('overdue answer: delay notice to the requester, escalations to staff, bounded repeats', async () => {
    const { lifecycle: l, caseId, executionArn } = await open();
    await l.clock.advanceTo('2027-03-31T12:00:00Z');
    const toRequester = subjects(await mail(), 'marie@example.com');
    expect(toRequester).toHaveLength(3);
    const done = (await events(l, caseId))
      .filter((e) => e.type === 'step.done')
      .map((e) => (e.data as { stepId: string }).stepId);
    expect(done).toEqual([
      'ack-reminder',
      'ack-escalation-supervisor',
      'ack-escalation-director',
      'ack-deadline-action',
      'answer-reminder',
      'answer-escalation-supervisor',
      'answer-escalation-director',
      'answer-delay-notice',
      'answer-overdue',
      'answer-overdue#2',
      'answer-overdue#3',
      'answer-overdue#4',
    ]);
    expect((await l.sfn.describeExecution({ executionArn })).status).toBe('RUNNING');
    const stats = l.sfn.executionStats(executionArn);
    process.stdout.write(
      `worst path (to 2027-03-31): ${stats.stateTransitions} state transitions, ${stats.historyEvents} history events\n`,
    );
  });

  it('a wait that returns early takes no premature action', async () => {
    let early = true;
    const { lifecycle: l, caseId } = await open({
      now: RECEIVED,
      wrapTask:
        (handler: TaskHandler): TaskHandler =>
        async (input, context) => {
          const output = (await handler(input, context)) as { check?: { waitUntil: string } };
          // The first ack-phase wait is cut short: it wakes 3 days early.
          if (early && output.check?.waitUntil === '2027-01-06T13:30:00Z') {
            early = false;
            output.check.waitUntil = '2027-01-03T13:30:00Z';
          }
          return output;
        },
    });
    await l.clock.advanceTo('2027-01-06T13:00:00Z');
    expect(early).toBe(false);
    expect((await events(l, caseId)).filter((e) => e.type === 'step.done')).toEqual([]);
    await l.clock.advanceTo('2027-01-06T14:00:00Z');
    const reminders = (await mail()).filter((e) => e.destination.to.includes('stats@sct.example'));
    expect(reminders.map((e) => new Date(e.at * 1000).toISOString())).toEqual([
      '2026-12-18T15:00:00.000Z',
      '2027-01-06T13:30:00.000Z',
    ]);
  });

  it('a retried task sends no duplicate email', async () => {
    let failOnce = true;
    const { lifecycle: l, caseId } = await open({
      now: RECEIVED,
      wrapLedger: (ledger) => ({
        ...ledger,
        read: (id) => ledger.read(id),
        verifyChain: (id) => ledger.verifyChain(id),
        getCase: (id) => ledger.getCase(id),
        repairProjection: (id) => ledger.repairProjection(id),
        append: (id, draft, options) => {
          if (failOnce && draft.type === 'step.done') {
            failOnce = false;
            return Promise.reject(
              new StoreUnavailableError({
                operation: 'PutItem',
                table: 'ledger',
                errorName: 'ServiceUnavailable',
              }),
            );
          }
          return ledger.append(id, draft, options);
        },
      }),
    });
    await l.clock.advanceTo('2027-01-06T14:00:00Z');
    expect(failOnce).toBe(false);
    const reminders = (await mail()).filter((e) => e.destination.to.includes('stats@sct.example'));
    expect(reminders).toHaveLength(2);
    const done = (await events(l, caseId)).filter((e) => e.type === 'step.done');
    expect(done).toHaveLength(1);
  });

  it('a task that keeps failing: failure in the ledger, operations alerted, execution failed', async () => {
    const {
      lifecycle: l,
      caseId,
      executionArn,
    } = await open({
      now: RECEIVED,
      wrapNotifier: (notifier: Notifier): Notifier => ({
        send: (message) =>
          message.template === 'reminder'
            ? Promise.reject(new EmailServiceUnavailableError({ template: 'reminder' }))
            : notifier.send(message),
      }),
    });
    await l.clock.advanceTo('2027-01-07T12:00:00Z');
    expect((await l.sfn.describeExecution({ executionArn })).status).toBe('FAILED');
    const failure = (await events(l, caseId)).find((e) => e.type === 'failure.recorded');
    expect(failure?.data).toEqual({ code: 'EmailServiceUnavailableError', stepId: 'ack-reminder' });
    const alert = (await mail()).find((e) => e.destination.to.includes('ops@sct.example'));
    expect(alert).toBeDefined();
    expect(alert?.body.text).not.toContain('marie@example.com');
    const history = await l.sfn.getExecutionHistory({ executionArn, maxResults: 1000 });
    const retries = history.events?.filter((e) => e.type === 'TaskFailed').length ?? 0;
    expect(retries).toBe(7);
  });
});
