import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import type { CaseLedger } from '../../../shared/domain/ledger/ports';
import type { AcceptedMessages, Notifier, OutgoingMessage } from '../../../shared/domain/messaging/ports';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
  type WorkflowDeps,
} from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';

/** What `kill -9` does to a task: it stops at once, after the effect it had just made durable. */
class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/** Counts effects (appends that appended, messages accepted) and crashes right after the chosen one. */
class Effects {
  count = 0;
  crashAfter: number | undefined;
  record(): void {
    this.count += 1;
    if (this.count === this.crashAfter) {
      this.crashAfter = undefined;
      throw new SimulatedCrash(`crash after effect ${this.count}`);
    }
  }
}

class CrashingLedger extends ForwardingCaseLedger {
  constructor(
    inner: CaseLedger,
    private readonly effects: Effects,
  ) {
    super(inner);
  }
  override readonly append: CaseLedger['append'] = async (caseId, draft, options) => {
    const result = await this.inner.append(caseId, draft, options);
    if (result.appended) this.effects.record();
    return result;
  };
  /** An item of several events is one write: one effect. */
  override readonly appendAll: CaseLedger['appendAll'] = async (caseId, drafts, options) => {
    const result = await this.inner.appendAll(caseId, drafts, options);
    if (result.results.some((entry) => entry.appended)) this.effects.record();
    return result;
  };
}

/** The mail service: accepts messages (an effect) and remembers them by delivery key, as the SES emulator does. */
class CrashingMailService implements Notifier, AcceptedMessages {
  readonly sent: OutgoingMessage[] = [];
  readonly #accepted = new Map<string, string>();
  constructor(private readonly effects: Effects) {}
  send(message: OutgoingMessage): Promise<{ messageId: string }> {
    const messageId = `msg-${this.sent.length + 1}`;
    this.sent.push(message);
    if (message.deliveryKey !== undefined) this.#accepted.set(message.deliveryKey, messageId);
    this.effects.record();
    return Promise.resolve({ messageId });
  }
  find(deliveryKey: string): Promise<{ messageId: string } | undefined> {
    const messageId = this.#accepted.get(deliveryKey);
    return Promise.resolve(messageId === undefined ? undefined : { messageId });
  }
}

interface World {
  deps: WorkflowDeps;
  clock: ManualClock;
  effects: Effects;
  mail: CrashingMailService;
  ledger: InMemoryCaseLedger;
  caseId: string;
}

async function world(receivedAt: string, options: { email?: string | undefined } = {}): Promise<World> {
  const ledger = new InMemoryCaseLedger();
  const effects = new Effects();
  const mail = new CrashingMailService(effects);
  const base = workflowDeps(receivedAt, new CrashingLedger(ledger, effects));
  const deps: WorkflowDeps = { ...base.deps, notifier: mail, acceptedMessages: mail };
  const caseId = await receiveCase(ledger, {
    receivedAt,
    email: 'marie@example.com',
    ...options,
  });
  return { deps, clock: base.clock, effects, mail, ledger, caseId };
}

/**
 * Runs the workflow as the state machine does, from its start (plan, route, then each task's check → the due
 * step, or a wait and the step waited for, which checks itself; the checkpoint after a wait with no step)
 * until `until`. A restarted stack starts every open case's workflow again from the top, which is what
 * calling this again after a crash does.
 */
async function run(w: World, until: string): Promise<void> {
  await planDeadlines(w.deps, w.caseId);
  let check = await routeAndNotify(w.deps, w.caseId);
  for (let guard = 0; guard < 500; guard++) {
    if (check.phase === 'done') return;
    if (!check.due) {
      if (!check.waitUntil || check.waitUntil > until) {
        w.clock.set(until);
        return;
      }
      w.clock.set(check.waitUntil);
    }
    check = check.step
      ? (await performStep(w.deps, w.caseId, check.step.id)).check
      : await checkpoint(w.deps, w.caseId);
  }
  throw new Error('the workflow did not settle');
}

/** Runs, and after a crash restarts at the same instant, until the run completes. */
async function runThroughCrashes(w: World, until: string): Promise<number> {
  let crashes = 0;
  for (;;) {
    try {
      await run(w, until);
      return crashes;
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      crashes += 1;
    }
  }
}

async function outcome(w: World) {
  const events = await w.ledger.read(w.caseId);
  return {
    messages: w.mail.sent.map((m) => `${m.template} → ${m.to.join(',')}`),
    ledger: events.map((e) => `${e.type} ${e.idempotencyKey ?? ''}`),
    verified: (await w.ledger.verifyChain(w.caseId)).ok,
    projection: await w.ledger.getCase(w.caseId),
  };
}

const RECEIVED = '2026-12-18T15:00:00Z';
/** Past the automatic acknowledgement, every answer reminder, escalation and the delay notice. */
const HORIZON = '2027-03-31T12:00:00Z';

describe('a workflow step stopped after any one of its effects completes the rest once after a restart', () => {
  let reference: Awaited<ReturnType<typeof outcome>>;
  let totalEffects: number;

  beforeAll(async () => {
    const w = await world(RECEIVED);
    await run(w, HORIZON);
    reference = await outcome(w);
    totalEffects = w.effects.count;
  });

  it('the uninterrupted run goes through the whole acknowledgement and answer schedule', () => {
    expect(reference.messages).toEqual(
      expect.arrayContaining([
        'automatic-acknowledgement → marie@example.com',
        'acknowledgement-deadline-reached → stats-dir@sct.example',
        'delay-notice → marie@example.com',
      ]),
    );
    expect(reference.ledger).toEqual(
      expect.arrayContaining([
        'step.started ack-deadline-action:started',
        'deadline.planned ack-deadline-action:answer-planned',
        'step.done ack-deadline-action',
      ]),
    );
    expect(reference.verified).toBe(true);
    expect(totalEffects).toBeGreaterThan(30);
  });

  it('for every effect of the run: a crash right after it, then a restart, gives the same messages and ledger', async () => {
    const differences: string[] = [];
    for (let crashAfter = 1; crashAfter <= totalEffects; crashAfter++) {
      const w = await world(RECEIVED);
      w.effects.crashAfter = crashAfter;
      const crashes = await runThroughCrashes(w, HORIZON);
      const got = await outcome(w);
      if (crashes !== 1) differences.push(`effect ${crashAfter}: ${crashes} crashes`);
      if (JSON.stringify(got.messages) !== JSON.stringify(reference.messages))
        differences.push(`effect ${crashAfter}: messages ${JSON.stringify(got.messages)}`);
      if (JSON.stringify(got.ledger) !== JSON.stringify(reference.ledger))
        differences.push(`effect ${crashAfter}: ledger ${JSON.stringify(got.ledger)}`);
      if (!got.verified) differences.push(`effect ${crashAfter}: chain`);
    }
    expect(differences).toEqual([]);
  });
});

describe('the acknowledgement deadline action, interrupted after the automatic acknowledgement', () => {
  async function crashedAfterAcknowledgement(): Promise<World> {
    const w = await world(RECEIVED);
    await run(w, '2027-01-11T20:00:00Z');
    const before = w.effects.count;
    // Effects of the action: the acknowledgement accepted, then one ledger item (one write: all or none) of
    // step.started, its message.sent, case.acknowledged and the answer deadline.
    w.effects.crashAfter = before + 2;
    await expect(run(w, '2027-01-11T21:00:00Z')).rejects.toBeInstanceOf(SimulatedCrash);
    return w;
  }

  it('sends the director’s message when it runs again a day later, the promised answer deadline planned with the acknowledgement', async () => {
    const w = await crashedAfterAcknowledgement();
    const crashed = await w.ledger.getCase(w.caseId);
    const promised = crashed?.promisedAnswerDate;
    expect(crashed?.status).toBe('acknowledged');
    expect(crashed?.deadlines.answer?.dueDate).toBe(promised);
    expect(w.mail.sent.map((m) => m.template)).not.toContain('acknowledgement-deadline-reached');

    w.clock.set('2027-01-12T14:00:00Z');
    await run(w, HORIZON);

    const projection = await w.ledger.getCase(w.caseId);
    const templates = w.mail.sent.map((m) => m.template);
    expect(templates.filter((t) => t === 'automatic-acknowledgement')).toHaveLength(1);
    expect(templates.filter((t) => t === 'acknowledgement-deadline-reached')).toHaveLength(1);
    const reached = w.mail.sent.find((m) => m.template === 'acknowledgement-deadline-reached');
    expect(String((reached?.values as Record<string, string>).outcome)).toContain('automatiquement');
    expect(projection?.deadlines.answer?.dueDate).toBe(promised);
    expect(projection?.stepsInProgress).toBeUndefined();
    expect(templates.filter((t) => t === 'reminder').length).toBeGreaterThan(0);
  });
});

describe('a step begun but without effect, when the case moved on before the restart', () => {
  it('ends without sending an automatic acknowledgement after a staff acknowledgement', async () => {
    const w = await world(RECEIVED);
    await run(w, '2027-01-11T20:00:00Z');
    // A step begun by an earlier version, which recorded step.started in an item of its own before the step's
    // first effect, then stopped.
    w.clock.set('2027-01-11T21:00:00Z');
    const { step } = await checkpoint(w.deps, w.caseId);
    expect(step?.id).toBe('ack-deadline-action');
    await w.ledger.append(
      w.caseId,
      {
        type: 'step.started',
        at: '2027-01-11T21:00:00.000Z',
        actor: { kind: 'system', id: 'workflow' },
        data: {
          stepId: 'ack-deadline-action',
          kind: 'ack-deadline-action',
          plannedAt: step!.at,
          ...(step!.deadline !== undefined ? { deadline: step!.deadline } : {}),
          ...(step!.notify !== undefined ? { notify: step!.notify } : {}),
        },
      },
      { idempotencyKey: 'ack-deadline-action:started' },
    );
    await w.ledger.append(w.caseId, {
      type: 'case.acknowledged',
      at: '2027-01-11T21:10:00.000Z',
      actor: { kind: 'staff', id: 'agent-1', role: 'agent' },
      data: { messageId: 'staff-ack', promisedAnswerDate: '2027-02-15', automatic: false },
    });

    await run(w, '2027-01-12T12:00:00Z');

    const projection = await w.ledger.getCase(w.caseId);
    expect(w.mail.sent.filter((m) => m.template === 'automatic-acknowledgement')).toHaveLength(0);
    expect(projection?.promisedAnswerDate).toBe('2027-02-15');
    expect(projection?.stepsDone).toContain('ack-deadline-action');
    expect(projection?.stepsInProgress).toBeUndefined();
  });
});
