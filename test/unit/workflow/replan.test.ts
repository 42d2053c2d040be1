import fonctionPublique from '../../../shared/config/calendars/qc-fonction-publique.json';
import loiInterpretation from '../../../shared/config/calendars/qc-loi-interpretation.json';
import { CalendarRegistry, computeDeadline } from '../../../shared/domain/time';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { replanCases, type ReplanDeps } from '../../../shared/domain/workflow/replan';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

const DECREED = { fr: 'Jour décrété', en: 'Decreed day' };

/** The bundled public-service calendar with `versions` added after its first one. */
function registryWith(...versions: { version: string; effectiveFrom: string; closures?: string[] }[]) {
  const [first] = fonctionPublique.versions;
  return CalendarRegistry.from([
    {
      ...fonctionPublique,
      versions: [
        first,
        ...versions.map((v) => ({
          version: v.version,
          effectiveFrom: v.effectiveFrom,
          ruleSet: 'qc-fonction-publique',
          officialYears: {},
          additionalClosures: (v.closures ?? []).map((date) => ({ date, name: DECREED })),
        })),
      ],
    },
    loiInterpretation,
  ]);
}

/** Registry whose first version closes 2027-01-07 and whose second (from 2027-01-04) no longer does. */
function registryClosureRemoved() {
  const [first] = fonctionPublique.versions;
  return CalendarRegistry.from([
    {
      ...fonctionPublique,
      versions: [
        { ...first, additionalClosures: [{ date: '2027-01-07', name: DECREED }] },
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
}

async function newCase(
  calendars: CalendarRegistry,
  options: { email?: string | undefined; receivedAt?: string; route?: boolean } = {},
) {
  const receivedAt = options.receivedAt ?? '2026-12-18T15:00:00Z';
  const context = workflowDeps(receivedAt);
  const deps = { ...context.deps, calendars };
  const caseId = await receiveCase(context.ledger, {
    receivedAt,
    email: 'email' in options ? options.email : 'marie@example.com',
  });
  await planDeadlines(deps, caseId);
  if (options.route !== false) await routeAndNotify(deps, caseId);
  const replanDeps: ReplanDeps = {
    ledger: context.ledger,
    calendars,
    clock: context.clock,
    workingHours: context.policy.organization.workingHours,
  };
  return { ...context, deps, caseId, replanDeps };
}

describe('re-planning open cases after a calendar change', () => {
  it('keeps the answer date promised in the acknowledgement when a new version would make it later, and sends nothing', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-15',
      closures: ['2027-01-20'],
    });
    const { ledger, clock, caseId, replanDeps, notifier } = await newCase(calendars);
    // Acknowledged on 2027-01-11 with an answer in 20 business days: the promise made to the requester.
    clock.set('2027-01-11T15:00:00Z');
    const oldAnswer = computeDeadline({
      receivedAt: '2026-12-18T15:00:00Z',
      delay: { amount: 20, unit: 'business-days' },
      calendar: calendars.at('qc-fonction-publique', '2027-01-11'),
    });
    expect(oldAnswer.dueDate).toBe('2027-01-25');
    await ledger.append(caseId, {
      type: 'case.acknowledged',
      at: '2027-01-11T15:00:00Z',
      actor: { kind: 'staff', id: 'agent-1' },
      data: { messageId: 'm-1', promisedAnswerDate: oldAnswer.dueDate, automatic: false },
    });
    await ledger.append(caseId, {
      type: 'deadline.planned',
      at: '2027-01-11T15:00:00Z',
      actor: { kind: 'staff', id: 'agent-1' },
      data: { kind: 'answer', deadline: oldAnswer },
    });
    const sentBefore = notifier.sent.length;

    clock.set('2027-01-18T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);
    const again = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 1, failed: [] });
    expect(again).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 0 });
    const projection = await ledger.getCase(caseId);
    expect(projection?.deadlines.answer).toMatchObject({ dueDate: '2027-01-25', dueAt: oldAnswer.dueAt });
    expect(projection?.promisedAnswerDate).toBe('2027-01-25');
    const events = await ledger.read(caseId);
    const recalculated = events.filter((e) => e.type === 'deadline.recalculated');
    expect(recalculated).toHaveLength(1);
    expect(recalculated[0]?.data).toMatchObject({
      kind: 'answer',
      reason: 'calendar-changed',
      previous: { dueDate: '2027-01-25', proof: { calendar: { version: '2026.1' } } },
      deadline: { dueDate: '2027-01-25', proof: { calendar: { version: '2026.1' } } },
      notApplied: {
        why: 'communicated-to-requester',
        deadline: { dueDate: '2027-01-26', proof: { calendar: { version: '2027.1' } } },
      },
    });
    expect(JSON.stringify(recalculated[0]?.data)).toContain('2027-01-20');
    // Nothing is sent to anyone, and nothing is prepared for the post.
    expect(notifier.sent.length).toBe(sentBefore);
    expect(events.filter((e) => e.at >= '2027-01-18').map((e) => e.type)).toEqual(['deadline.recalculated']);
  });

  it('moves a deadline nobody was told of later (no automatic receipt), with both proofs', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    const { ledger, clock, caseId, replanDeps } = await newCase(calendars, { email: undefined });
    expect((await ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');

    clock.set('2027-01-05T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ checked: 1, changed: 1, keptCommunicated: 0 });
    const projection = await ledger.getCase(caseId);
    expect(projection?.deadlines.acknowledgement).toMatchObject({
      dueDate: '2027-01-12',
      proof: { calendar: { version: '2027.1' } },
    });
    const recalculated = (await ledger.read(caseId)).filter((e) => e.type === 'deadline.recalculated');
    expect(recalculated[0]?.data).toMatchObject({
      previous: { dueDate: '2027-01-11', proof: { calendar: { version: '2026.1' } } },
      deadline: { dueDate: '2027-01-12', proof: { calendar: { version: '2027.1' } } },
    });
  });

  it('keeps the acknowledgement date the automatic receipt stated when a new version would make it later', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    const { ledger, clock, caseId, replanDeps } = await newCase(calendars);

    clock.set('2027-01-05T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ changed: 0, keptCommunicated: 1 });
    expect((await ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');
    const recalculated = (await ledger.read(caseId)).filter((e) => e.type === 'deadline.recalculated');
    expect(recalculated[0]?.data).toMatchObject({
      deadline: { dueDate: '2027-01-11' },
      notApplied: { why: 'communicated-to-requester', deadline: { dueDate: '2027-01-12' } },
    });
  });

  it('never applies an earlier date to an acknowledgement deadline stated in the automatic receipt, and says why', async () => {
    const calendars = registryClosureRemoved();
    const { ledger, clock, caseId, replanDeps } = await newCase(calendars);
    expect((await ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');

    clock.set('2027-01-05T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 1 });
    const projection = await ledger.getCase(caseId);
    expect(projection?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');
    const recalculated = (await ledger.read(caseId)).filter((e) => e.type === 'deadline.recalculated');
    expect(recalculated).toHaveLength(1);
    expect(recalculated[0]?.data).toMatchObject({
      kind: 'acknowledgement',
      deadline: { dueDate: '2027-01-12' },
      notApplied: { why: 'communicated-to-requester', deadline: { dueDate: '2027-01-11' } },
    });
  });

  it('never applies an earlier date to the acknowledgement deadline the web form confirmation stated', async () => {
    const calendars = registryClosureRemoved();
    // A web-form case (the fixture's channel with an email) before any automatic receipt was sent.
    const { ledger, clock, caseId, replanDeps } = await newCase(calendars, { route: false });
    expect((await ledger.read(caseId)).some((e) => e.type === 'message.sent')).toBe(false);

    clock.set('2027-01-05T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ changed: 0, keptCommunicated: 1 });
    expect((await ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');
  });

  it('applies an earlier date when nothing was communicated (no automatic receipt)', async () => {
    const calendars = registryClosureRemoved();
    const { ledger, clock, caseId, replanDeps } = await newCase(calendars, { email: undefined });

    clock.set('2027-01-05T14:00:00Z');
    const summary = await replanCases(replanDeps, [caseId]);

    expect(summary).toMatchObject({ checked: 1, changed: 1, keptCommunicated: 0 });
    expect((await ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');
  });

  it('is idempotent: a second run records nothing', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    const kept = await newCase(registryClosureRemoved());
    const moved = await newCase(calendars, { email: undefined });
    moved.clock.set('2027-01-05T14:00:00Z');
    kept.clock.set('2027-01-05T14:00:00Z');

    const first = await replanCases(moved.replanDeps, [moved.caseId]);
    const firstKept = await replanCases(kept.replanDeps, [kept.caseId]);
    const lengths = [
      (await moved.ledger.read(moved.caseId)).length,
      (await kept.ledger.read(kept.caseId)).length,
    ];
    const second = await replanCases(moved.replanDeps, [moved.caseId]);
    const secondKept = await replanCases(kept.replanDeps, [kept.caseId]);

    expect(first.changed).toBe(1);
    expect((await moved.ledger.getCase(moved.caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');
    expect(firstKept.keptCommunicated).toBe(1);
    expect(second).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 0 });
    expect(secondKept).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 0 });
    expect([
      (await moved.ledger.read(moved.caseId)).length,
      (await kept.ledger.read(kept.caseId)).length,
    ]).toEqual(lengths);
  });

  it('leaves met deadlines, past-due deadlines and closed cases alone', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    const met = await newCase(calendars);
    await met.ledger.append(met.caseId, {
      type: 'case.acknowledged',
      at: '2026-12-21T15:00:00Z',
      actor: { kind: 'staff', id: 'agent-1' },
      data: { messageId: 'm-1', promisedAnswerDate: '2027-01-20', automatic: false },
    });
    const closed = await newCase(calendars);
    await closed.ledger.append(closed.caseId, {
      type: 'case.closed',
      at: '2026-12-21T15:00:00Z',
      actor: { kind: 'staff', id: 'agent-1' },
      data: { reason: 'withdrawn' },
    });
    const past = await newCase(calendars);
    for (const context of [met, closed, past]) context.clock.set('2027-01-13T14:00:00Z');

    const summaries = [
      await replanCases(met.replanDeps, [met.caseId]),
      await replanCases(closed.replanDeps, [closed.caseId]),
      await replanCases(past.replanDeps, [past.caseId]),
    ];

    expect(summaries.map((s) => s.changed)).toEqual([0, 0, 0]);
    expect(summaries.map((s) => s.checked)).toEqual([1, 1, 1]);
    expect((await past.ledger.getCase(past.caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');
  });

  it('reports a case it cannot read without stopping the run', async () => {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    const moved = await newCase(calendars, { email: undefined });
    moved.clock.set('2027-01-05T14:00:00Z');

    const failing = { ...moved.replanDeps, ledger: Object.create(moved.ledger) as typeof moved.ledger };
    failing.ledger.getCase = (id) =>
      id === 'broken-case' ? Promise.reject(new TypeError('store down')) : moved.ledger.getCase(id);
    const told: [string, string][] = [];
    const summary = await replanCases(
      { ...failing, onCaseFailure: (id, error) => told.push([id, (error as Error).name]) },
      ['no-such-case', 'broken-case', moved.caseId],
    );

    expect(summary).toMatchObject({ checked: 1, changed: 1, failed: ['no-such-case', 'broken-case'] });
    expect(told).toEqual([['broken-case', 'TypeError']]);
  });
});

describe('the workflow after a re-planning (timer + check)', () => {
  /** A case nobody was told of (no email) received 2026-12-18; 2027-01-07 is decreed closed from 2027-01-04. */
  async function unannouncedCase() {
    const calendars = registryWith({
      version: '2027.1',
      effectiveFrom: '2027-01-04',
      closures: ['2027-01-07'],
    });
    return newCase(calendars, { email: undefined });
  }

  /** Runs checkpoints as the state machine does until `until`; returns the steps performed. */
  async function drive(context: Awaited<ReturnType<typeof unannouncedCase>>, until: string) {
    const performed: string[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const check = await checkpoint(context.deps, context.caseId);
      if (check.phase === 'done') return performed;
      if (check.due && check.step) {
        await performStep(context.deps, context.caseId, check.step.id);
        performed.push(`${check.step.id}@${context.clock.now().toISOString()}`);
        continue;
      }
      if (!check.waitUntil || check.waitUntil > until) return performed;
      context.clock.set(check.waitUntil);
    }
    throw new Error('the workflow did not settle');
  }

  it('does not fire a step planned from the old date early: waking at the old instant, it waits again', async () => {
    const context = await unannouncedCase();
    await drive(context, '2027-01-06T14:00:00Z');
    context.clock.set('2027-01-06T15:00:00Z');
    const before = await checkpoint(context.deps, context.caseId);
    expect(before.due).toBe(false);

    const summary = await replanCases(context.replanDeps, [context.caseId]);
    expect(summary.changed).toBe(1);
    context.clock.set(before.waitUntil as string);
    const woken = await checkpoint(context.deps, context.caseId);

    expect(woken.due).toBe(false);
    expect(Date.parse(woken.waitUntil as string)).toBeGreaterThan(Date.parse(before.waitUntil as string));
    expect(woken.step?.id).toBe(before.step?.id);
  });

  it('does not send again a reminder already sent for the old date', async () => {
    const context = await unannouncedCase();
    const early = await drive(context, '2027-01-06T14:00:00Z');
    expect(early.filter((s) => s.startsWith('ack-reminder'))).toHaveLength(1);

    context.clock.set('2027-01-06T15:00:00Z');
    const summary = await replanCases(context.replanDeps, [context.caseId]);
    expect(summary.changed).toBe(1);
    const later = await drive(context, '2027-01-13T12:00:00Z');

    expect(later.filter((s) => s.startsWith('ack-reminder'))).toEqual([]);
    expect(later.length).toBeGreaterThan(0);
  });
});

describe('waking the workflow when a deadline moved earlier', () => {
  /** A `Workflow` port that records each start, and can be told to fail once. */
  function recordingWorkflow() {
    const starts: WorkflowStart[] = [];
    let failNext = false;
    const workflow: Workflow = {
      start(input) {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('StartExecution unavailable'));
        }
        starts.push(input);
        return Promise.resolve();
      },
    };
    return { workflow, starts, failOnce: () => (failNext = true) };
  }

  it('starts a new generation (recorded first) when a deadline nobody was told of moves earlier, once', async () => {
    const context = await newCase(registryClosureRemoved(), { email: undefined });
    const { workflow, starts } = recordingWorkflow();
    context.clock.set('2027-01-05T14:00:00Z');

    const first = await replanCases({ ...context.replanDeps, workflow }, [context.caseId]);
    const second = await replanCases({ ...context.replanDeps, workflow }, [context.caseId]);

    expect(first).toMatchObject({ changed: 1, woken: 1 });
    expect(second).toMatchObject({ changed: 0, woken: 0 });
    expect(starts[0]).toEqual({
      caseId: context.caseId,
      generation: 2,
      startedAt: '2027-01-05T14:00:00.000Z',
    });
    const started = (await context.ledger.read(context.caseId)).filter((e) => e.type === 'workflow.started');
    expect(started.map((e) => [e.data, e.actor])).toEqual([
      [
        { generation: 2, trigger: 'replan' },
        { kind: 'system', id: 'replan' },
      ],
    ]);
    expect((await context.ledger.getCase(context.caseId))?.workflowGeneration).toBe(2);
    // The second run only repeats the start of generation 2 (a no-op for a running execution).
    expect(starts.slice(1).map((s) => s.generation)).toEqual([2]);
  });

  it('starts it on the next run when the start failed after the recalculation was recorded', async () => {
    const context = await newCase(registryClosureRemoved(), { email: undefined });
    const { workflow, starts, failOnce } = recordingWorkflow();
    context.clock.set('2027-01-05T14:00:00Z');
    failOnce();

    const first = await replanCases({ ...context.replanDeps, workflow }, [context.caseId]);
    const second = await replanCases({ ...context.replanDeps, workflow }, [context.caseId]);

    expect(first).toMatchObject({ changed: 0, failed: [context.caseId] });
    expect(second).toMatchObject({ failed: [] });
    expect(starts.map((s) => s.generation)).toEqual([2]);
    const started = (await context.ledger.read(context.caseId)).filter((e) => e.type === 'workflow.started');
    expect(started).toHaveLength(1);
  });

  it('wakes nothing for a later date, a communicated date kept, or a case whose enforcement stopped', async () => {
    const later = await newCase(
      registryWith({ version: '2027.1', effectiveFrom: '2027-01-04', closures: ['2027-01-07'] }),
      { email: undefined },
    );
    const kept = await newCase(registryClosureRemoved());
    const stopped = await newCase(registryClosureRemoved(), { email: undefined });
    await stopped.ledger.append(stopped.caseId, {
      type: 'failure.recorded',
      at: '2026-12-21T15:00:00Z',
      actor: { kind: 'system', id: 'workflow' },
      data: { code: 'Lambda.Unknown', stepId: 'ack-reminder' },
    });
    const { workflow, starts } = recordingWorkflow();
    const summaries = [];
    for (const context of [later, kept, stopped]) {
      context.clock.set('2027-01-05T14:00:00Z');
      summaries.push(await replanCases({ ...context.replanDeps, workflow }, [context.caseId]));
    }

    expect(summaries.map((s) => [s.changed, s.keptCommunicated, s.woken])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(starts).toEqual([]);
  });
});
