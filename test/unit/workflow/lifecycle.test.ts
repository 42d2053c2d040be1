import {
  checkpoint,
  performStep,
  planDeadlines,
  recordFailure,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import type { WorkflowDeps } from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';

/**
 * Drives a case the way the state machine does (checkpoint → perform the due step or wait until the
 * instant), with a manual clock, until `until` or until the case is closed. Returns the steps performed. The
 * check each step returns (from the case its appends left, which the state machine acts on) must be the one
 * a checkpoint reading the case gives.
 */
async function drive(
  deps: WorkflowDeps,
  clock: ManualClock,
  caseId: string,
  until: string,
): Promise<string[]> {
  const performed: string[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.phase === 'done') return performed;
    if (check.due && check.step) {
      const outcome = await performStep(deps, caseId, check.step.id);
      expect(outcome).toEqual({
        stepId: check.step.id,
        performed: true,
        check: await checkpoint(deps, caseId),
      });
      performed.push(`${check.step.id}@${clock.now().toISOString()}`);
      continue;
    }
    if (!check.waitUntil || check.waitUntil > until) {
      clock.set(until);
      return performed;
    }
    clock.set(check.waitUntil);
  }
  throw new Error('the workflow did not settle');
}

async function start(
  receivedAt: string,
  options: { category?: string; email?: string | undefined; language?: 'fr' | 'en' } = {},
) {
  const context = workflowDeps(receivedAt);
  const caseId = await receiveCase(context.ledger, { receivedAt, email: 'marie@example.com', ...options });
  await planDeadlines(context.deps, caseId);
  expect(await routeAndNotify(context.deps, caseId)).toEqual(await checkpoint(context.deps, caseId));
  return { ...context, caseId };
}

describe('acknowledgement phase across the 2026–27 holiday block', () => {
  it('plans the acknowledgement deadline with its proof and routes the case', async () => {
    const { ledger, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    const projection = await ledger.getCase(caseId);
    expect(projection?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');
    expect(projection?.deadlines.acknowledgement?.proof.calendar.id).toBe('qc-fonction-publique');
    expect(projection?.unit).toBe('statistics');
    expect(notifier.sent.map((m) => [m.template, m.to])).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['automatic-receipt', ['marie@example.com']],
    ]);
    expect(notifier.sent[1]?.values).toMatchObject({ acknowledgementDueDate: 'lundi 11 janvier 2027' });
  });

  it('without an acknowledgement: reminder, escalations, then the automatic acknowledgement before the end of day 10', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    const performed = await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');
    expect(performed).toEqual([
      'ack-reminder@2027-01-06T13:30:00.000Z',
      'ack-escalation-supervisor@2027-01-08T13:30:00.000Z',
      'ack-escalation-director@2027-01-11T13:30:00.000Z',
      'ack-deadline-action@2027-01-11T20:30:00.000Z',
    ]);
    const ack = notifier.sent.find((m) => m.template === 'automatic-acknowledgement');
    expect(ack?.to).toEqual(['marie@example.com']);
    const projection = await ledger.getCase(caseId);
    expect(projection?.status).toBe('acknowledged');
    expect(projection?.deadlines.acknowledgement?.metAt).toBe('2027-01-11T20:30:00.000Z');
    expect(Date.parse(projection?.deadlines.acknowledgement?.metAt ?? '')).toBeLessThan(
      Date.parse('2027-01-12T04:59:59.999Z'),
    );
    // Standard answer delay (15 business days) counted from the receipt: 2027-01-18.
    expect(projection?.promisedAnswerDate).toBe('2027-01-18');
    expect(ack?.values).toMatchObject({ answerByDate: 'lundi 18 janvier 2027' });
    // The director hears twice that day, with different words: a warning at 08:30, then what the system did.
    const toDirector = notifier.sent.filter((m) => m.to.includes('stats-dir@sct.example'));
    expect(toDirector.map((m) => m.template)).toEqual(['escalation', 'acknowledgement-deadline-reached']);
    expect(toDirector[1]?.values).toMatchObject({
      dueDate: 'lundi 11 janvier 2027',
      outcome: expect.stringContaining('réponse au plus tard le lundi 18 janvier 2027'),
    });
  });

  it('at the deadline, a requester without an email address and no letters port: nothing sent to them, the director told to send it', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z', {
      email: undefined,
    });
    const withoutLetters: WorkflowDeps = { ...deps };
    delete (withoutLetters as { letters?: unknown }).letters;
    await drive(withoutLetters, clock, caseId, '2027-01-12T12:00:00Z');

    const reached = notifier.sent.filter((m) => m.template === 'acknowledgement-deadline-reached');
    expect(reached).toHaveLength(1);
    expect(reached[0]?.values['outcome']).toContain('doit être envoyé sans délai');
    expect(notifier.sent.filter((m) => m.template === 'automatic-acknowledgement')).toHaveLength(0);
    expect((await ledger.getCase(caseId))?.status).toBe('received');
  });

  it('a staff acknowledgement before the deadline stops the acknowledgement steps', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    await drive(deps, clock, caseId, '2027-01-07T12:00:00Z');
    await ledger.append(caseId, {
      type: 'case.acknowledged',
      at: '2027-01-07T15:00:00.000Z',
      actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
      data: { messageId: 'staff-ack', promisedAnswerDate: '2027-02-15', automatic: false },
    });
    const check = await checkpoint(deps, caseId);
    expect(check.phase).toBe('answer');
    await drive(deps, clock, caseId, '2027-01-13T12:00:00Z');
    expect(notifier.sent.filter((m) => m.template === 'escalation')).toHaveLength(0);
    expect(notifier.sent.filter((m) => m.template === 'automatic-acknowledgement')).toHaveLength(0);
  });
});

describe('steps run once', () => {
  it('a retried step sends nothing twice', async () => {
    const { deps, clock, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    clock.set('2027-01-06T13:30:00Z');
    await performStep(deps, caseId, 'ack-reminder');
    await performStep(deps, caseId, 'ack-reminder');
    expect(notifier.sent.filter((m) => m.template === 'reminder')).toHaveLength(1);
  });

  it('a step that is not due yet is refused, so a wait that returns early does nothing', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    const before = (await ledger.read(caseId)).length;
    clock.set('2027-01-06T13:29:59Z');
    const outcome = await performStep(deps, caseId, 'ack-reminder');
    expect(outcome).toMatchObject({
      performed: false,
      check: { due: false, waitUntil: '2027-01-06T13:30:00Z', step: { id: 'ack-reminder' } },
    });
    expect(await checkpoint(deps, caseId)).toEqual(outcome.check);
    expect(notifier.sent.filter((m) => m.template === 'reminder')).toHaveLength(0);
    expect((await ledger.read(caseId)).length).toBe(before);
  });

  it('planning and routing twice append and send nothing new', async () => {
    const { deps, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    const before = (await ledger.read(caseId)).length;
    await planDeadlines(deps, caseId);
    await routeAndNotify(deps, caseId);
    expect((await ledger.read(caseId)).length).toBe(before);
    expect(notifier.sent).toHaveLength(2);
  });
});

describe('answer phase', () => {
  it('overdue answer: reminder, escalations, written delay notice, bounded repeats, then nothing more', async () => {
    const { deps, clock, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');
    const performed = await drive(deps, clock, caseId, '2027-04-30T12:00:00Z');
    expect(performed.map((p) => p.split('@')[0])).toEqual([
      'answer-reminder',
      'answer-escalation-supervisor',
      'answer-escalation-director',
      'answer-delay-notice',
      'answer-overdue',
      'answer-overdue#2',
      'answer-overdue#3',
      'answer-overdue#4',
    ]);
    expect(notifier.sent.filter((m) => m.template === 'delay-notice').map((m) => m.to)).toEqual([
      ['marie@example.com'],
    ]);
  });

  it('an extension gives the reminders a new run for the new date', async () => {
    const { deps, clock, caseId, ledger } = await start('2026-12-18T15:00:00Z');
    await drive(deps, clock, caseId, '2027-01-15T12:00:00Z');
    const current = (await ledger.getCase(caseId))?.deadlines.answer;
    expect(current).toBeDefined();
    await ledger.append(caseId, {
      type: 'deadline.extended',
      at: clock.now().toISOString(),
      actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
      data: {
        kind: 'answer',
        reason: 'Données à compiler',
        deadline: {
          ...current!,
          dueDate: '2027-02-15',
          dueAt: '2027-02-16T04:59:59.999Z',
          proof: { ...current!.proof, dueDate: '2027-02-15', dueAt: '2027-02-16T04:59:59.999Z' },
        },
      },
    });
    const performed = await drive(deps, clock, caseId, '2027-02-15T14:00:00Z');
    expect(performed.map((p) => p.split('@').slice(0, 2).join('@'))).toEqual([
      'answer-reminder@r2',
      'answer-escalation-supervisor@r2',
      'answer-escalation-director@r2',
    ]);
  });

  it('an answered complaint stays open for its dissatisfaction window, and a dissatisfaction reaches the complaints officer', async () => {
    const { deps, clock, caseId, ledger, notifier } = await start('2026-12-18T15:00:00Z', {
      category: 'service-complaint',
    });
    expect(notifier.sent[0]?.to).toEqual(['plaintes@sct.example']);
    await ledger.append(caseId, {
      type: 'case.answered',
      at: '2026-12-21T15:00:00.000Z',
      actor: { kind: 'staff', id: 'officer-1', role: 'complaints-officer' },
      data: { messageId: 'answer-1' },
    });
    clock.set('2026-12-21T15:00:00Z');
    await drive(deps, clock, caseId, '2027-01-15T12:00:00Z');
    expect((await ledger.getCase(caseId))?.status).toBe('answered');
    await ledger.append(caseId, {
      type: 'case.dissatisfied',
      at: '2027-01-15T12:00:00.000Z',
      actor: { kind: 'citizen' },
      data: { channel: 'email' },
    });
    const performed = await drive(deps, clock, caseId, '2027-01-16T12:00:00Z');
    expect(performed).toEqual(['dissatisfaction@20270115T120000Z@2027-01-15T13:30:00.000Z']);
    expect(notifier.sent.at(-1)).toMatchObject({ template: 'escalation', to: ['plaintes@sct.example'] });
  });

  it('an answered request without a dissatisfaction window closes at once', async () => {
    const { deps, clock, caseId, ledger } = await start('2026-12-18T15:00:00Z');
    await ledger.append(caseId, {
      type: 'case.answered',
      at: '2026-12-21T15:00:00.000Z',
      actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
      data: { messageId: 'answer-1' },
    });
    clock.set('2026-12-21T15:00:00Z');
    await drive(deps, clock, caseId, '2026-12-22T12:00:00Z');
    expect((await ledger.getCase(caseId))?.status).toBe('closed');
  });
});

describe('failures', () => {
  it('are recorded in the ledger and alerted to operations', async () => {
    const { deps, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    await recordFailure(deps, {
      caseId,
      stepId: 'ack-reminder',
      error: { Error: 'StoreUnavailableError', Cause: 'boom' },
    });
    const events = await ledger.read(caseId);
    expect(events.at(-2)).toMatchObject({
      type: 'failure.recorded',
      data: { code: 'StoreUnavailableError', stepId: 'ack-reminder' },
    });
    const alert = notifier.sent.at(-1);
    expect(alert).toMatchObject({ template: 'ops-alert', to: ['ops@sct.example'] });
    expect(JSON.stringify(alert?.values)).not.toContain('Marie');
  });

  it('are recorded and alerted once per generation when the task is retried after the alert failed', async () => {
    const { deps, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    const failure = { caseId, generation: 2, stepId: 'ack-reminder', error: { Error: 'States.Timeout' } };
    notifier.failWith = new Error('mail service down');
    await expect(recordFailure(deps, failure)).rejects.toThrow('mail service down');
    notifier.failWith = undefined;

    await recordFailure(deps, failure);
    await recordFailure(deps, failure);

    const events = await ledger.read(caseId);
    expect(events.filter((e) => e.type === 'failure.recorded')).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'message.sent' && e.idempotencyKey === 'failure:g2:alert'),
    ).toHaveLength(1);
    expect(notifier.sent.filter((m) => m.template === 'ops-alert')).toHaveLength(1);
    expect((await ledger.getCase(caseId))?.failureCount).toBe(1);
  });

  it('alert operations even when the ledger cannot take the record', async () => {
    const { deps, notifier } = await start('2026-12-18T15:00:00Z');
    await recordFailure(deps, { caseId: 'case-that-does-not-exist', error: { Error: 'CaseNotFoundError' } });
    expect(notifier.sent.at(-1)).toMatchObject({ template: 'ops-alert', to: ['ops@sct.example'] });
  });
});
