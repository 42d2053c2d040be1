import type { TaskHandler } from '../../infra/local/stepfunctions/engine';
import { PdfkitLetterRenderer } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import { InMemoryLetterStore } from '../../shared/domain/letters/ports';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import {
  acknowledge,
  answer,
  close,
  extend,
  getCase,
  reassign,
  recordDissatisfaction,
} from '../../shared/domain/case/commands';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import type { Notifier } from '../../shared/domain/messaging/ports';
import { CaseNotFoundError, EmailServiceUnavailableError, StoreUnavailableError } from '../../shared/errors';
import { startDynalite, type LocalDynamo } from '../support/dynalite';
import { startLifecycle, type Lifecycle } from '../support/lifecycle-harness';
import { startSesEmulator, type SesEmulator, type StoredEmail } from '../support/ses-emulator';
import { receiveCase } from '../support/workflow-fixtures';
import { DynamoDbReferenceAllocator } from '../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { registerCase, type IntakeRequest } from '../../shared/domain/intake/register-case';

/**
 * The real case-lifecycle ASL, executed by the local engine with the real workflow handler over dynalite and
 * the SES emulator, on a virtual clock.
 */
// A year of timers on real dynalite: seconds of work, more on a loaded machine.
jest.setTimeout(30_000);

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
  email = 'marie@example.com',
) {
  lifecycle = await startLifecycle({ dynamo, ses }, options);
  const caseId = await receiveCase(lifecycle.ledger, {
    receivedAt: RECEIVED,
    email,
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

const AGENT: StaffIdentity = { id: 'agent-1', roles: ['agent'], units: ['statistics'] };
const OFFICER: StaffIdentity = { id: 'officer-1', roles: ['complaints-officer'], units: [] };
const AUDITOR: StaffIdentity = { id: 'auditor-1', roles: ['auditor'], units: [] };

/** The staff commands run with the same ledger, notifier, clock and policy as the workflow. */
function commandDeps(l: Lifecycle) {
  return {
    ledger: l.ledger,
    notifier: l.deps.notifier,
    replyAddresses: l.deps.replyAddresses,
    clock: l.deps.clock,
    policy: l.deps.policy,
    calendars: l.deps.calendars,
    letters: l.deps.letters ?? { renderer: new PdfkitLetterRenderer(), store: new InMemoryLetterStore() },
  };
}

/**
 * The tests that run more than a year of virtual time on the real engine take 5–8 s on an idle machine; a CI
 * run beside other jobs took over 30 s for one of them. A timeout, not a timing assertion.
 */
const YEAR_LONG_TIMEOUT_MS = 120_000;

describe('case lifecycle, executed', () => {
  it('acknowledged on business day 3 and answered on time: no reminder, closed', async () => {
    const { lifecycle: l, caseId, executionArn } = await open();
    expect(subjects(await mail(), 'marie@example.com')).toHaveLength(1);

    await l.clock.advanceTo('2026-12-23T15:00:00Z');
    await acknowledge(commandDeps(l), AGENT, { caseId, answerBy: '2027-01-15' });
    await l.clock.advanceTo('2027-01-05T15:00:00Z');
    await answer(commandDeps(l), AGENT, { caseId, message: 'Voici les statistiques demandées.' });
    await l.clock.advanceTo('2027-01-12T12:00:00Z');

    const execution = await l.sfn.describeExecution({ executionArn });
    expect(execution.status).toBe('SUCCEEDED');
    expect((await l.ledger.getCase(caseId))?.status).toBe('closed');
    const toRequester = (await mail()).filter((e) => e.destination.to.includes('marie@example.com'));
    expect(toRequester).toHaveLength(3);
    expect(toRequester[1]?.body.text).toContain('vendredi 15 janvier 2027');
    const staffMail = (await mail()).filter((e) => !e.destination.to.includes('marie@example.com'));
    expect(staffMail).toHaveLength(1);
    const stats = l.sfn.executionStats(executionArn);
    process.stdout.write(
      `common path: ${stats.stateTransitions} state transitions, ${stats.historyEvents} history events\n`,
    );
  });

  it('extension: the requester is told the new date and the reminders run again for it', async () => {
    const { lifecycle: l, caseId } = await open();
    await l.clock.advanceTo('2026-12-22T15:00:00Z');
    await acknowledge(commandDeps(l), AGENT, { caseId, answerBy: '2027-01-15' });
    await l.clock.advanceTo('2027-01-12T15:00:00Z');
    await extend(commandDeps(l), AGENT, {
      caseId,
      answerBy: '2027-02-05',
      reason: 'Données à compiler auprès de trois ministères',
    });
    await l.clock.advanceTo('2027-02-06T12:00:00Z');

    const toRequester = (await mail()).filter((e) => e.destination.to.includes('marie@example.com'));
    const notice = toRequester.find((e) => e.body.text?.includes('vendredi 5 février 2027'));
    expect(notice?.body.text).toContain('vendredi 15 janvier 2027');
    expect(notice?.body.text).toContain('Données à compiler auprès de trois ministères');
    const done = (await events(l, caseId))
      .filter((e) => e.type === 'step.done')
      .map((e) => (e.data as { stepId: string }).stepId);
    expect(done).toEqual([
      'answer-reminder',
      'answer-reminder@r2',
      'answer-escalation-supervisor@r2',
      'answer-escalation-director@r2',
      'answer-delay-notice@r2',
    ]);
    const kinds = (await events(l, caseId)).filter(
      (e) => e.type === 'deadline.planned' || e.type === 'deadline.extended',
    );
    expect(
      kinds.map((e) => [e.type, (e.data as { deadline: { dueDate: string } }).deadline.dueDate]),
    ).toEqual([
      ['deadline.planned', '2027-01-11'],
      ['deadline.planned', '2027-01-15'],
      ['deadline.extended', '2027-02-05'],
    ]);
  });

  it('complaint: handled by the complaints officer only, reads logged, answer carries the Protecteur du citoyen referral', async () => {
    const { lifecycle: l, caseId, executionArn } = await open({ now: RECEIVED }, 'service-complaint');
    const first = (await mail()).filter((e) => !e.destination.to.includes('marie@example.com'));
    expect(first.map((e) => e.destination.to)).toEqual([['plaintes@sct.example']]);

    await expect(getCase(commandDeps(l), AGENT, caseId)).rejects.toBeInstanceOf(CaseNotFoundError);
    const auditorView = await getCase(commandDeps(l), AUDITOR, caseId);
    expect(JSON.stringify(auditorView)).not.toContain('Marie Tremblay');
    await getCase(commandDeps(l), OFFICER, caseId);
    const reads = (await events(l, caseId)).filter((e) => e.type === 'case.read');
    expect(reads.map((e) => [e.actor.id, (e.data as { scope: string }).scope])).toEqual([
      ['auditor-1', 'metadata'],
      ['officer-1', 'content'],
    ]);

    await l.clock.advanceTo('2026-12-22T15:00:00Z');
    await acknowledge(commandDeps(l), OFFICER, { caseId, answerBy: '2027-01-22' });
    await l.clock.advanceTo('2027-01-14T15:00:00Z');
    await answer(commandDeps(l), OFFICER, { caseId, message: 'Nous avons examiné votre plainte.' });
    const answerMail = (await mail()).filter((e) => e.destination.to.includes('marie@example.com')).at(-1);
    expect(answerMail?.body.text).toContain('Protecteur du citoyen');
    expect(answerMail?.body.text).toContain('1 800 463-5070');

    await l.clock.advanceTo('2027-02-10T12:00:00Z');
    expect((await l.ledger.getCase(caseId))?.status).toBe('answered');
    await l.clock.advanceTo('2027-02-16T12:00:00Z');
    expect((await l.ledger.getCase(caseId))?.status).toBe('closed');
    expect((await l.sfn.describeExecution({ executionArn })).status).toBe('SUCCEEDED');
  });

  it('dissatisfied requester: the review deadline’s reminder and escalations, then the closing message with the referral', async () => {
    // Another requester: the automatic receipts of one address are limited per day across the cases here.
    const {
      lifecycle: l,
      caseId,
      executionArn,
    } = await open({ now: RECEIVED }, 'service-complaint', 'jean@example.com');
    await l.clock.advanceTo('2026-12-22T15:00:00Z');
    await acknowledge(commandDeps(l), OFFICER, { caseId, answerBy: '2027-01-22' });
    await l.clock.advanceTo('2027-01-14T15:00:00Z');
    await answer(commandDeps(l), OFFICER, { caseId, message: 'Nous avons examiné votre plainte.' });
    await l.clock.advanceTo('2027-01-15T12:00:00Z');
    await recordDissatisfaction(commandDeps(l), OFFICER, { caseId, channel: 'email' });

    await l.clock.advanceTo('2027-02-16T12:00:00Z');
    const done = (await events(l, caseId))
      .filter((e) => e.type === 'step.done')
      .map((e) => (e.data as { stepId: string }).stepId)
      .filter((id) => id.includes('@2027'));
    expect(done).toEqual([
      'dissatisfaction@20270115T120000Z',
      'review-reminder@20270115T120000Z',
      'review-escalation-supervisor@20270115T120000Z',
      'review-escalation-director@20270115T120000Z',
      'review-overdue@20270115T120000Z',
    ]);
    const staff = (await mail()).filter((e) => e.at * 1000 > Date.parse('2027-01-15T12:00:00Z'));
    // The workflow, waiting for the end of the dissatisfaction window, sees the dissatisfaction at its next
    // checkpoint; the review's own steps fall on the instants the plan gives them.
    expect(staff.map((e) => [e.destination.to[0], new Date(e.at * 1000).toISOString()])).toEqual([
      ['plaintes@sct.example', '2027-01-19T13:30:00.000Z'],
      ['plaintes@sct.example', '2027-02-09T13:30:00.000Z'],
      ['secretariat-general@sct.example', '2027-02-11T13:30:00.000Z'],
      ['office-of-the-secretary@sct.example', '2027-02-12T13:30:00.000Z'],
      ['office-of-the-secretary@sct.example', '2027-02-15T13:30:00.000Z'],
    ]);

    await close(commandDeps(l), OFFICER, { caseId, outcome: 'answered' });
    const closing = (await mail()).filter((e) => e.destination.to.includes('jean@example.com')).at(-1);
    for (const field of ['1 800 463-5070', '525, boul. René-Lévesque Est', '1 866 902-7130']) {
      expect(closing?.body.text).toContain(field);
    }
    // The execution ends at its next checkpoint (the instant of the next review step), sending nothing more.
    await l.clock.advanceTo('2027-02-23T12:00:00Z');
    expect((await l.sfn.describeExecution({ executionArn })).status).toBe('SUCCEEDED');
    expect((await mail()).filter((e) => e.at * 1000 > Date.parse('2027-02-16T12:00:01Z'))).toEqual([]);
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

  it('acknowledged by a letter nobody posted: on the deadline day the supervisor is told to post it today', async () => {
    lifecycle = await startLifecycle({ dynamo, ses }, { now: RECEIVED });
    const l = lifecycle;
    const caseId = await receiveCase(l.ledger, { receivedAt: RECEIVED, email: undefined });
    await l.start(caseId);
    await l.clock.advanceTo('2027-01-05T15:00:00Z');
    await acknowledge(commandDeps(l), AGENT, { caseId, answerBy: '2027-02-01' });

    await l.clock.advanceTo('2027-01-12T05:00:00Z');

    const toSupervisor = (await mail()).filter((e) => e.destination.to.includes('stats-sup@sct.example'));
    const toMail = toSupervisor.filter((e) => e.body.text?.includes('À POSTER AUJOURD’HUI'));
    expect(toMail).toHaveLength(1);
    expect(new Date((toMail[0]?.at ?? 0) * 1000).toISOString()).toBe('2027-01-11T20:30:00.000Z');
    expect((await l.ledger.getCase(caseId))?.deadlines.acknowledgement?.metAt).toBeUndefined();
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

  it(
    'a case still open after a year continues as a new execution, with nothing sent twice',
    async () => {
      const { lifecycle: l, caseId, executionArn } = await open();
      await l.clock.advanceTo('2028-01-20T12:00:00Z');
      const first = await l.sfn.describeExecution({ executionArn });
      expect(first.status).toBe('SUCCEEDED');
      const executions = await l.sfn.listExecutions({ stateMachineArn: l.stateMachineArn });
      const next = executions.executions?.find((e) => e.name === `${caseId}--g2`);
      expect(next?.status).toBe('RUNNING');
      const stats = l.sfn.executionStats(executionArn);
      expect(stats.historyEvents).toBeLessThan(25_000);
      const done = (await events(l, caseId))
        .filter((e) => e.type === 'step.done')
        .map((e) => (e.data as { stepId: string }).stepId);
      expect(new Set(done).size).toBe(done.length);
      process.stdout.write(
        `one year open: ${stats.stateTransitions} state transitions, ${stats.historyEvents} history events in the first execution\n`,
      );
      // A year of virtual time on the real engine: seconds of work, more on a loaded machine.
    },
    YEAR_LONG_TIMEOUT_MS,
  );

  it(
    'an intake replayed after the first execution expired starts no second first generation',
    async () => {
      const l = (lifecycle = await startLifecycle({ dynamo, ses }, { now: RECEIVED }));
      const intake = {
        ledger: l.ledger,
        references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
        workflow: l.workflow,
        clock: l.deps.clock,
        policy: l.deps.policy,
      };
      const request: IntakeRequest = {
        intakeKey: `form:${Math.random().toString(36).slice(2)}`,
        channel: 'web',
        category: 'statistics',
        requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
        subject: 'Effectif de la fonction publique 2025',
        body: 'Bonjour, je souhaite obtenir les statistiques.',
        receivedAt: RECEIVED,
        receiptEvidence: { kind: 'web-server-time' },
        actor: { kind: 'citizen' },
      };
      const { caseId } = await registerCase(intake, request);
      await l.clock.advanceTo('2028-01-20T12:00:00Z');
      const before = await l.sfn.listExecutions({ stateMachineArn: l.stateMachineArn });
      const first = before.executions?.find((e) => e.name === caseId);
      expect(first?.status).toBe('SUCCEEDED');
      expect(before.executions?.find((e) => e.name === `${caseId}--g2`)?.status).toBe('RUNNING');

      // Step Functions forgets a closed execution 90 days after it closed: its name is free again.
      l.sfn.forgetExecution(first?.executionArn ?? '');
      await l.clock.advanceTo('2028-04-25T12:00:00Z');
      const replay = await registerCase(intake, request);
      await l.clock.runUntilIdle();

      expect(replay).toMatchObject({ caseId, created: false });
      const running = (await l.sfn.listExecutions({ stateMachineArn: l.stateMachineArn })).executions
        ?.filter((e) => e.status === 'RUNNING')
        .map((e) => e.name);
      expect(running).toEqual([`${caseId}--g2`]);
      const started = (await events(l, caseId)).filter((e) => e.type === 'workflow.started');
      expect(started.map((e) => (e.data as { generation: number }).generation)).toEqual([1, 2]);
    },
    YEAR_LONG_TIMEOUT_MS,
  );

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
        // The item holding the reminder's record and `step.done` is written, but its answer is lost: the task
        // fails and is retried. (When the item is not written, the email goes again unless the mail service
        // says it accepted it, as with a lost record of any sent message: `sendOnce`.)
        appendAll: async (id, drafts, options) => {
          const result = await ledger.appendAll(id, drafts, options);
          if (failOnce && drafts.some(({ draft }) => draft.type === 'step.done')) {
            failOnce = false;
            throw new StoreUnavailableError({
              operation: 'PutItem',
              table: 'ledger',
              errorName: 'ServiceUnavailable',
            });
          }
          return result;
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

  it.each(['Sandbox.Timedout', 'Runtime.ExitError', 'Lambda.ClientExecutionTimeoutException'])(
    'a Lambda that fails once with %s is retried: the workflow keeps running and the reminder is sent once',
    async (errorName) => {
      let failures = 0;
      const {
        lifecycle: l,
        caseId,
        executionArn,
      } = await open({
        now: RECEIVED,
        wrapTask:
          (handler: TaskHandler): TaskHandler =>
          async (input, context) => {
            // What Lambda reports for a function that timed out (or whose runtime exited) mid-step.
            if (context.stateName === 'SendAckReminder' && failures === 0) {
              failures += 1;
              await handler(input, context);
              throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: errorName });
            }
            return handler(input, context);
          },
      });
      await l.clock.advanceTo('2027-01-06T14:00:00Z');
      expect(failures).toBe(1);
      expect((await l.sfn.describeExecution({ executionArn })).status).toBe('RUNNING');
      expect((await events(l, caseId)).filter((e) => e.type === 'failure.recorded')).toEqual([]);
      const reminders = (await mail()).filter((e) => e.destination.to.includes('stats@sct.example'));
      expect(reminders).toHaveLength(2);
      await l.clock.advanceTo('2027-01-08T14:00:00Z');
      const done = (await events(l, caseId))
        .filter((e) => e.type === 'step.done')
        .map((e) => (e.data as { stepId: string }).stepId);
      expect(done).toEqual(['ack-reminder', 'ack-escalation-supervisor']);
    },
  );

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

  // Last: the requester's automatic receipts of the earlier tests count against their daily limit (shared
  // tables); this test reads only staff mail.
  it('reassigned to another unit on day 2: the reminder and the escalations go to that unit, nothing twice', async () => {
    const { lifecycle: l, caseId } = await open();
    await l.clock.advanceTo('2026-12-22T15:00:00Z');
    const supervisor: StaffIdentity = {
      id: 'sup-1',
      roles: ['supervisor'],
      units: ['statistics', 'management-policies'],
    };
    await reassign({ ...commandDeps(l), directory: l.deps.directory }, supervisor, {
      caseId,
      to: { unit: 'management-policies' },
      reason: 'misrouted',
    });
    await l.clock.advanceTo('2027-01-11T14:00:00Z');

    const staff = (await mail()).filter((e) => !e.destination.to.includes('marie@example.com'));
    expect(staff.map((e) => [e.destination.to, new Date(e.at * 1000).toISOString()])).toEqual([
      [['stats@sct.example'], '2026-12-18T15:00:00.000Z'],
      [['management-policies-officers@sct.example'], '2027-01-06T13:30:00.000Z'],
      [['management-policies-supervisors@sct.example'], '2027-01-08T13:30:00.000Z'],
      [['management-policies-directors@sct.example'], '2027-01-11T13:30:00.000Z'],
    ]);
  });
});
