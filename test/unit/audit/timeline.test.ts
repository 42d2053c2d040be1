import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { getCaseTimeline } from '../../../shared/domain/audit';
import { recategorize } from '../../../shared/domain/case/commands';
import type { TimelineDeps } from '../../../shared/domain/audit';
import { AccessDeniedError, CaseNotFoundError } from '../../../shared/errors';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINTS_OFFICER,
  COMPLAINT_ID,
  FRENCH_REQUESTER,
  NOW,
  harness,
  staffIdentity,
} from '../commands/fixtures';
import { FakeExecutions } from './fakes';

const STARTED = [
  { id: 1, timestamp: '2026-03-02T14:00:01.000Z', type: 'ExecutionStarted' },
  { id: 2, timestamp: '2026-03-02T14:00:01.000Z', type: 'ChoiceStateEntered', state: 'IsContinuation' },
  { id: 3, timestamp: '2026-03-02T14:00:02.000Z', type: 'WaitStateEntered', state: 'WaitUntilNextCheck' },
];

async function setUp() {
  const h = harness();
  const executions = new FakeExecutions();
  const deps: TimelineDeps = { ledger: h.ledger, clock: h.clock, policy: loadSctPolicy(), executions };
  return { h, executions, deps };
}

describe('getCaseTimeline', () => {
  it('gives metadata, deadlines with proofs, every ledger event in order and an intact chain', async () => {
    const { h, deps } = await setUp();
    await h.seed();

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.case).toMatchObject({ caseId: CASE_ID, scope: 'metadata', category: 'statistics' });
    expect(timeline.case).not.toHaveProperty('content');
    expect(timeline.case).not.toHaveProperty('history');
    expect(timeline.events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'case.received'],
      [2, 'case.registered'],
      [3, 'deadline.planned'],
      [4, 'case.assigned'],
    ]);
    const stored = await h.ledger.read(CASE_ID);
    expect(timeline.events.map((e) => [e.hash, e.prevHash])).toEqual(stored.map((e) => [e.hash, e.prevHash]));
    expect(timeline.events[2]?.details).toMatchObject({ kind: 'acknowledgement', revision: 1 });
    expect(timeline.deadlines).toHaveLength(1);
    expect(timeline.deadlines[0]).toMatchObject({
      kind: 'acknowledgement',
      dueDate: '2026-03-16',
      revision: 1,
      overdue: false,
      proof: { calendar: { id: 'qc-fonction-publique' } },
    });
    expect(timeline.deadlines[0]?.proof.explanation.fr.length).toBeGreaterThan(20);
    expect(timeline.chain).toEqual({ ok: true });
  });

  it('gives the display names of the staff it shows (the assignee, the actors), never ids it cannot name', async () => {
    const { h, deps } = await setUp();
    await h.seed({ assignee: 'agent-tremblay' });
    const directory = new StaticStaffDirectory({}, [
      { id: 'agent-tremblay', roles: ['agent'], units: ['statistics'], name: 'Marie Tremblay' },
      { id: 'aud-bouchard', roles: ['auditor'], units: [] },
    ]);

    const timeline = await getCaseTimeline({ ...deps, directory }, AUDITOR, CASE_ID);
    const bare = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.staffNames).toEqual({ 'agent-tremblay': 'Marie Tremblay' });
    expect(bare.staffNames).toEqual({});
  });

  it('never shows the requester, the subject or the body', async () => {
    const { h, deps } = await setUp();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    const text = JSON.stringify(await getCaseTimeline(deps, AUDITOR, COMPLAINT_ID));

    expect(text).not.toContain(FRENCH_REQUESTER.email);
    expect(text).not.toContain(FRENCH_REQUESTER.name);
    expect(text).not.toContain('Effectifs de la fonction publique');
    expect(text).not.toContain('Pourriez-vous');
  });

  it('counts deadline revisions and keeps free-text reasons out', async () => {
    const { h, deps } = await setUp();
    await h.seed();
    const [planned] = (await h.ledger.read(CASE_ID)).filter((e) => e.type === 'deadline.planned');
    if (planned?.type !== 'deadline.planned') throw new Error('no planned deadline');
    await h.ledger.append(CASE_ID, {
      type: 'deadline.extended',
      at: NOW,
      actor: { kind: 'staff', id: 'agent-tremblay', role: 'agent' },
      data: { kind: 'acknowledgement', deadline: planned.data.deadline, reason: 'Mme Gagnon a appelé' },
    });

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.events.at(-1)?.details).toEqual({
      kind: 'acknowledgement',
      dueDate: planned.data.deadline.dueDate,
      dueAt: planned.data.deadline.dueAt,
      revision: 2,
    });
    expect(JSON.stringify(timeline)).not.toContain('Gagnon');
  });

  it('shows a recategorization with both categories, the reason and the confidentiality afterwards', async () => {
    const { h, deps } = await setUp();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    await recategorize(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      category: 'supplier-complaint',
      reason: 'wrong-mailbox',
    });

    const timeline = await getCaseTimeline(deps, AUDITOR, COMPLAINT_ID);

    expect(timeline.case).toMatchObject({ category: 'supplier-complaint' });
    expect(timeline.events.slice(-2).map((e) => [e.type, e.details])).toEqual([
      [
        'case.recategorized',
        { from: 'service-complaint', to: 'supplier-complaint', reason: 'wrong-mailbox', confidential: false },
      ],
      ['case.reassigned', { unit: 'supplier-complaints', reasonCode: 'misrouted' }],
    ]);
  });

  it('shows a re-planning with the previous date, and a date not applied with why; counts revisions as the case does', async () => {
    const { h, deps } = await setUp();
    await h.seed();
    const [planned] = (await h.ledger.read(CASE_ID)).filter((e) => e.type === 'deadline.planned');
    if (planned?.type !== 'deadline.planned') throw new Error('no planned deadline');
    const previous = planned.data.deadline;
    const earlier = { ...previous, dueDate: '2026-03-01', dueAt: '2026-03-02T04:59:59.999Z' };
    await h.ledger.append(CASE_ID, {
      type: 'deadline.recalculated',
      at: NOW,
      actor: { kind: 'system', id: 'replan' },
      data: {
        kind: 'acknowledgement',
        deadline: previous,
        reason: 'calendar-changed',
        previous,
        notApplied: { deadline: earlier, why: 'communicated-to-requester' },
      },
    });

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.events.at(-1)?.details).toEqual({
      kind: 'acknowledgement',
      dueDate: previous.dueDate,
      dueAt: previous.dueAt,
      revision: 1,
      reason: 'calendar-changed',
      previousDueDate: previous.dueDate,
      previousCalendarVersion: previous.proof.calendar.version,
      calendarVersion: previous.proof.calendar.version,
      notAppliedDueDate: '2026-03-01',
      notAppliedWhy: 'communicated-to-requester',
    });
    expect(timeline.deadlines.find((d) => d.kind === 'acknowledgement')?.revision).toBe(1);
  });

  it('states the outcome of each deadline: breached (with when) once past due unmet', async () => {
    const { h, deps } = await setUp();
    await h.seed();
    const due = (await h.ledger.getCase(CASE_ID))?.deadlines.acknowledgement;
    if (due === undefined) throw new Error('no acknowledgement deadline');
    h.clock.set(new Date(Date.parse(due.dueAt) + 3 * 86_400_000).toISOString());

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.deadlines.find((d) => d.kind === 'acknowledgement')).toMatchObject({
      outcome: 'breached',
      breachedAt: due.dueAt,
    });
  });

  it('records the read of a confidential case first, and shows it', async () => {
    const { h, deps } = await setUp();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    const timeline = await getCaseTimeline(deps, AUDITOR, COMPLAINT_ID);

    const read = (await h.ledger.read(COMPLAINT_ID)).at(-1);
    expect(read).toMatchObject({
      type: 'case.read',
      actor: { kind: 'staff', id: AUDITOR.id, role: 'auditor' },
      data: { scope: 'metadata' },
    });
    expect(timeline.events.at(-1)).toMatchObject({ type: 'case.read', details: { scope: 'metadata' } });
    expect(timeline.chain).toEqual({ ok: true });
  });

  it('does not record reads of ordinary cases', async () => {
    const { h, deps } = await setUp();
    await h.seed();

    await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect((await h.ledger.read(CASE_ID)).map((e) => e.type)).not.toContain('case.read');
  });

  it('shows metadata only to an auditor who is also complaints officer', async () => {
    const { h, deps } = await setUp();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const both = staffIdentity({ id: 'aud-rp', roles: ['auditor', 'complaints-officer'], units: [] });

    const timeline = await getCaseTimeline(deps, both, COMPLAINT_ID);

    expect(timeline.case.scope).toBe('metadata');
    expect(JSON.stringify(timeline)).not.toContain(FRENCH_REQUESTER.email);
  });

  it('finds every generation of the workflow by name, then stops at the first missing one', async () => {
    const { h, deps, executions } = await setUp();
    await h.seed();
    executions
      .add(CASE_ID, 'SUCCEEDED', [...STARTED, { id: 4, timestamp: NOW, type: 'ExecutionSucceeded' }])
      .add(`${CASE_ID}--g2`, 'RUNNING', STARTED);

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(executions.asked).toEqual([CASE_ID, `${CASE_ID}--g2`, `${CASE_ID}--g3`]);
    expect(timeline.execution.map((e) => [e.name, e.status, e.events.length])).toEqual([
      [CASE_ID, 'SUCCEEDED', 4],
      [`${CASE_ID}--g2`, 'RUNNING', 3],
    ]);
    expect(timeline.execution[1]).not.toHaveProperty('stopDate');
    expect(timeline.execution[0]?.events[2]).toEqual(STARTED[2]);
    const steps = timeline.chronology.flatMap((e) =>
      e.source === 'workflow' ? [`${e.generation}:${e.step ?? e.phase}`] : [],
    );
    expect(steps).toEqual(
      expect.arrayContaining(['1:WaitUntilNextCheck', '2:WaitUntilNextCheck', '1:execution-succeeded']),
    );
    expect(timeline.chronology.filter((e) => e.source === 'ledger')).toHaveLength(timeline.events.length);
  });

  it('reports a tampered chain instead of hiding it', async () => {
    const { h, deps } = await setUp();
    await h.seed();
    h.ledger.tamper(CASE_ID, (events) =>
      events.map((e) => (e.seq === 2 ? { ...e, at: '2026-03-01T14:00:00.000Z' } : e)),
    );

    const timeline = await getCaseTimeline(deps, AUDITOR, CASE_ID);

    expect(timeline.chain).toEqual({ ok: false, seq: 2, problem: 'hash-mismatch' });
  });

  it('answers 404 for an unknown or malformed case id', async () => {
    const { deps } = await setUp();
    await expect(getCaseTimeline(deps, AUDITOR, 'case-unknown')).rejects.toThrow(CaseNotFoundError);
    await expect(getCaseTimeline(deps, AUDITOR, '../etc')).rejects.toThrow(CaseNotFoundError);
  });

  it.each([
    ['agent', AGENT],
    ['complaints officer', COMPLAINTS_OFFICER],
    ['admin', ADMIN],
  ])('refuses a %s before looking the case up', async (_label, identity) => {
    const { h, deps } = await setUp();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    await expect(getCaseTimeline(deps, identity, COMPLAINT_ID)).rejects.toThrow(AccessDeniedError);
    expect((await h.ledger.read(COMPLAINT_ID)).map((e) => e.type)).not.toContain('case.read');
  });
});
