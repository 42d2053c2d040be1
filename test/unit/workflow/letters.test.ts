import { acknowledge, answer, recordLetterMailed } from '../../../shared/domain/case/commands';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import type { WorkflowDeps } from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';

const AGENT: StaffIdentity = { id: 'agent-1', roles: ['agent'], units: ['statistics'] };

/** Drives the case as the state machine does until `until`; returns the steps performed. */
async function drive(deps: WorkflowDeps, clock: ManualClock, caseId: string, until: string) {
  const performed: string[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.phase === 'done') return performed;
    if (check.due && check.step) {
      // The state machine routes an ack-deadline action only in the acknowledgement phase.
      if (check.step.kind === 'ack-deadline-action') expect(check.phase).toBe('acknowledgement');
      await performStep(deps, caseId, check.step.id);
      performed.push(check.step.id);
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

/** A letter request received Friday 18 December 2026: acknowledgement due Monday 11 January 2027. */
async function start() {
  const context = workflowDeps('2026-12-18T15:00:00Z');
  const caseId = await receiveCase(context.ledger, { receivedAt: '2026-12-18T15:00:00Z', email: undefined });
  await planDeadlines(context.deps, caseId);
  await routeAndNotify(context.deps, caseId);
  const commands = { ...context.deps, letters: context.deps.letters! };
  return { ...context, caseId, commands };
}

const TO_MAIL = 'À POSTER AUJOURD’HUI';

describe('acknowledgement by letter at the deadline', () => {
  it('an acknowledgement letter nobody posted is escalated to the supervisor as "to mail today"', async () => {
    const { deps, clock, caseId, notifier, ledger, commands } = await start();
    clock.set('2027-01-05T15:00:00Z');
    await acknowledge(commands, AGENT, { caseId, answerBy: '2027-02-01' });

    const performed = await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');

    expect(performed).toContain('ack-deadline-action');
    const toSupervisor = notifier.sent.filter((m) => m.to.includes('stats-sup@sct.example'));
    expect(toSupervisor.map((m) => m.template)).toEqual(['acknowledgement-deadline-reached']);
    expect((toSupervisor[0]?.values as Record<string, string> | undefined)?.['outcome']).toContain(TO_MAIL);
    expect(notifier.sent.filter((m) => m.to.includes('stats-dir@sct.example'))).toHaveLength(0);
    const projection = await ledger.getCase(caseId);
    expect(projection?.deadlines.acknowledgement?.metAt).toBeUndefined();
    expect(projection?.letters).toHaveLength(1);
  });

  it('a letter posted before the deadline meets it: no escalation', async () => {
    const { deps, clock, caseId, notifier, ledger, commands } = await start();
    clock.set('2027-01-05T15:00:00Z');
    const result = await acknowledge(commands, AGENT, { caseId, answerBy: '2027-02-01' });
    if (result.delivery.channel !== 'mail') throw new Error('expected a letter');
    await recordLetterMailed(commands, AGENT, {
      caseId,
      letterId: result.delivery.letterId,
      mailedOn: '2027-01-05',
    });

    const performed = await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');

    expect(performed).not.toContain('ack-deadline-action');
    expect(notifier.sent.filter((m) => m.template === 'acknowledgement-deadline-reached')).toHaveLength(0);
    const metAt = (await ledger.getCase(caseId))?.deadlines.acknowledgement?.metAt;
    expect(metAt).toBe('2027-01-05T15:00:00.000Z');
  });

  it('nobody acknowledged: the automatic acknowledgement is prepared as a letter, the supervisor told to post it today', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start();

    await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');

    const events = await ledger.read(caseId);
    const prepared = events.filter((e) => e.type === 'letter.prepared');
    expect(prepared.map((e) => e.type === 'letter.prepared' && e.data.template)).toEqual([
      'automatic-acknowledgement',
    ]);
    const projection = await ledger.getCase(caseId);
    expect(projection?.status).toBe('acknowledged');
    expect(projection?.promisedAnswerDate).toBe('2027-01-18');
    expect(projection?.deadlines.acknowledgement?.metAt).toBeUndefined();
    const reached = notifier.sent.filter((m) => m.template === 'acknowledgement-deadline-reached');
    expect(reached.map((m) => m.to)).toEqual([['stats-sup@sct.example'], ['stats-dir@sct.example']]);
    expect((reached[0]?.values as Record<string, string> | undefined)?.['outcome']).toContain(TO_MAIL);
    expect((reached[1]?.values as Record<string, string> | undefined)?.['outcome']).toContain(
      'lundi 18 janvier 2027',
    );
    expect(notifier.sent.filter((m) => m.template === 'automatic-acknowledgement')).toHaveLength(0);
    // Performed again (a retry), nothing is prepared or sent twice.
    await performStep(deps, caseId, 'ack-deadline-action');
    expect((await ledger.read(caseId)).filter((e) => e.type === 'letter.prepared')).toHaveLength(1);
  });
});

describe('notices by letter', () => {
  it('the written delay notice to a requester without email is prepared as a letter', async () => {
    const { deps, clock, caseId, ledger, commands, notifier } = await start();
    clock.set('2027-01-05T15:00:00Z');
    const ack = await acknowledge(commands, AGENT, { caseId, answerBy: '2027-02-01' });
    if (ack.delivery.channel !== 'mail') throw new Error('expected a letter');
    await recordLetterMailed(commands, AGENT, {
      caseId,
      letterId: ack.delivery.letterId,
      mailedOn: '2027-01-05',
    });

    const performed = await drive(deps, clock, caseId, '2027-02-03T12:00:00Z');

    expect(performed).toContain('answer-delay-notice');
    const templates = (await ledger.read(caseId)).flatMap((e) =>
      e.type === 'letter.prepared' ? [e.data.template] : [],
    );
    expect(templates).toEqual(['acknowledgement', 'delay-notice']);
    expect(notifier.sent.filter((m) => m.template === 'delay-notice')).toHaveLength(0);
    expect((await ledger.getCase(caseId))?.letters?.[1]?.mailedAt).toBeUndefined();
  });
});

describe('closing with a letter to post', () => {
  it('an answer by letter keeps the case open until the letter is posted, then it closes', async () => {
    const { deps, clock, caseId, ledger, commands } = await start();
    clock.set('2027-01-05T15:00:00Z');
    const ack = await acknowledge(commands, AGENT, { caseId, answerBy: '2027-02-01' });
    if (ack.delivery.channel !== 'mail') throw new Error('expected a letter');
    await recordLetterMailed(commands, AGENT, {
      caseId,
      letterId: ack.delivery.letterId,
      mailedOn: '2027-01-05',
    });
    clock.set('2027-01-07T15:00:00Z');
    const answered = await answer(commands, AGENT, { caseId, message: 'Voici les statistiques.' });
    if (answered.delivery.channel !== 'mail') throw new Error('expected a letter');

    await drive(deps, clock, caseId, '2027-01-20T15:00:00Z');
    expect((await ledger.getCase(caseId))?.status).toBe('answered');

    await recordLetterMailed(commands, AGENT, {
      caseId,
      letterId: answered.delivery.letterId,
      mailedOn: '2027-01-20',
    });
    await drive(deps, clock, caseId, '2027-01-21T15:00:00Z');
    expect((await ledger.getCase(caseId))?.status).toBe('closed');
  });
});
