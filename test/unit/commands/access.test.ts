import { acknowledge, authorize, getCase, type StaffAction } from '../../../shared/domain/case/commands';
import { loadSctPolicy } from '../../../shared/domain/policy';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import { AccessDeniedError, CaseNotFoundError } from '../../../shared/errors';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINTS_OFFICER,
  COMPLAINT_ID,
  OTHER_UNIT_AGENT,
  SUPERVISOR,
  harness,
  staffIdentity,
  listRows,
} from './fixtures';

const policy = loadSctPolicy();
const request = { confidential: false, category: 'statistics', unit: 'statistics' } as const;
const complaint = { confidential: true, category: 'service-complaint', unit: 'service-complaints' } as const;

describe('authorize (the access-control matrix)', () => {
  const decide = (identity: StaffIdentity, action: StaffAction, target: Parameters<typeof authorize>[2]) =>
    authorize(identity, action, target, policy);

  it.each<[string, string, string, StaffIdentity]>([
    ['agent of the unit', 'content', 'allowed', AGENT],
    ['agent of another unit', 'forbidden', 'forbidden', OTHER_UNIT_AGENT],
    ['supervisor of the unit', 'content', 'allowed', SUPERVISOR],
    ['complaints officer outside the unit', 'forbidden', 'forbidden', COMPLAINTS_OFFICER],
    ['auditor', 'metadata', 'forbidden', AUDITOR],
    ['admin', 'metadata', 'forbidden', ADMIN],
  ])('request case — %s: read %s, act %s', (_label, read, act, identity) => {
    const reading = decide(identity, 'read', request);
    const acting = decide(identity, 'answer', request);

    expect(reading.allowed ? reading.scope : reading.refusal).toBe(read);
    expect(acting.allowed ? 'allowed' : acting.refusal).toBe(act);
  });

  it('opens a request the requester was dissatisfied with to the complaints officer, whose review it is', () => {
    const reviewed = { ...request, dissatisfiedAt: '2026-03-09T15:00:00.000Z' };
    const outcome = (
      identity: StaffIdentity,
      action: StaffAction,
      target: Parameters<typeof authorize>[2],
    ) => {
      const decision = decide(identity, action, target);
      return decision.allowed ? decision.scope : decision.refusal;
    };

    expect(outcome(COMPLAINTS_OFFICER, 'dissatisfied', request)).toBe('content');
    expect(outcome(COMPLAINTS_OFFICER, 'answer', request)).toBe('forbidden');
    expect(outcome(COMPLAINTS_OFFICER, 'read', reviewed)).toBe('content');
    expect(outcome(COMPLAINTS_OFFICER, 'close', reviewed)).toBe('content');
    expect(outcome(COMPLAINTS_OFFICER, 'answer', reviewed)).toBe('content');
    expect(outcome(COMPLAINTS_OFFICER, 'recategorize', reviewed)).toBe('forbidden');
    expect(outcome(OTHER_UNIT_AGENT, 'read', reviewed)).toBe('forbidden');
  });

  it.each<[string, string, string, StaffIdentity]>([
    ['agent (even of the unit)', 'hidden', 'hidden', staffIdentity({ units: ['service-complaints'] })],
    [
      'supervisor',
      'hidden',
      'hidden',
      staffIdentity({ roles: ['supervisor'], units: ['service-complaints'] }),
    ],
    ['admin', 'hidden', 'hidden', ADMIN],
    ['complaints officer', 'content', 'allowed', COMPLAINTS_OFFICER],
    ['auditor', 'metadata', 'forbidden', AUDITOR],
  ])('confidential case — %s: read %s, act %s', (_label, read, act, identity) => {
    const reading = decide(identity, 'read', complaint);
    const acting = decide(identity, 'close', complaint);

    expect(reading.allowed ? reading.scope : reading.refusal).toBe(read);
    expect(acting.allowed ? 'allowed' : acting.refusal).toBe(act);
  });

  it('lets an agent act on a case assigned to them in another unit', () => {
    const target = { ...request, unit: 'media-relations', assignee: 'agent-tremblay' };

    expect(decide(AGENT, 'extend', target)).toEqual({ allowed: true, scope: 'content', grantedBy: 'agent' });
  });

  it('treats a case of a confidential category as confidential even if its flag says otherwise', () => {
    const decision = decide(AGENT, 'read', { confidential: false, category: 'comment', unit: 'statistics' });

    expect(decision).toEqual({ allowed: false, refusal: 'hidden' });
  });

  it('places a case not yet routed in its category queue', () => {
    const decision = decide(AGENT, 'acknowledge', { confidential: false, category: 'statistics' });

    expect(decision.allowed).toBe(true);
  });
});

describe('confidential cases through the use cases', () => {
  async function withComplaint() {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    return h;
  }

  it('an agent gets not-found for a complaint, exactly as for an unknown case; only the refusals are recorded', async () => {
    const h = await withComplaint();
    const agent = staffIdentity({ units: ['service-complaints'] });
    const before = await h.ledger.read(COMPLAINT_ID);

    const read = await getCase(h.deps, agent, COMPLAINT_ID).catch((e: unknown) => e);
    const act = await acknowledge(h.deps, agent, { caseId: COMPLAINT_ID, answerBy: '2026-03-20' }).catch(
      (e: unknown) => e,
    );
    const unknown = await getCase(h.deps, agent, 'no-such-case-1').catch((e: unknown) => e);

    expect(read).toBeInstanceOf(CaseNotFoundError);
    expect(act).toBeInstanceOf(CaseNotFoundError);
    expect((read as CaseNotFoundError).message).toBe((unknown as CaseNotFoundError).message);
    const after = await h.ledger.read(COMPLAINT_ID);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((event) => event.type)).toEqual([
      'access.refused',
      'access.refused',
    ]);
  });

  it('a complaints officer reads the content, and the read is recorded (case.read content)', async () => {
    const h = await withComplaint();

    const detail = await getCase(h.deps, COMPLAINTS_OFFICER, COMPLAINT_ID);

    expect(detail.scope).toBe('content');
    expect(detail.content?.requester.name).toBe('Marie Gagnon');
    expect((await h.ledger.read(COMPLAINT_ID)).at(-1)).toMatchObject({
      type: 'case.read',
      actor: { kind: 'staff', id: 'rp-lavoie', role: 'complaints-officer' },
      data: { scope: 'content' },
    });
  });

  it('an auditor sees metadata only (no requester, subject, body), the read is recorded, and cannot act', async () => {
    const h = await withComplaint();

    const detail = await getCase(h.deps, AUDITOR, COMPLAINT_ID);
    const act = acknowledge(h.deps, AUDITOR, { caseId: COMPLAINT_ID, answerBy: '2026-03-20' });

    expect(detail.scope).toBe('metadata');
    expect(detail).not.toHaveProperty('content');
    const serialized = JSON.stringify(detail);
    expect(serialized).not.toContain('Marie Gagnon');
    expect(serialized).not.toContain('marie.gagnon@example.org');
    expect(serialized).not.toContain('Effectifs');
    expect(detail).toMatchObject({
      reference: 'SCT-2026-000001',
      category: 'service-complaint',
      status: 'received',
    });
    expect((await h.ledger.read(COMPLAINT_ID)).at(-1)).toMatchObject({
      type: 'case.read',
      actor: { id: 'aud-bouchard', role: 'auditor' },
      data: { scope: 'metadata' },
    });
    await expect(act).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('reading a non-confidential case records no read event', async () => {
    const h = harness();
    await h.seed();
    const before = (await h.ledger.read(CASE_ID)).length;

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.content?.subject).toBe('Effectifs de la fonction publique 2025');
    expect(detail.history.map((entry) => entry.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
    ]);
    expect(await h.ledger.read(CASE_ID)).toHaveLength(before);
  });
});

describe('the work list (findCases)', () => {
  async function twoCases() {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    return h;
  }

  it('shows an agent the cases of their unit only, with the subject, and never the complaint', async () => {
    const h = await twoCases();

    const cases = await listRows(h.deps, AGENT);

    expect(cases.map((item) => item.caseId)).toEqual([CASE_ID]);
    expect(cases[0]).toMatchObject({
      subject: 'Effectifs de la fonction publique 2025',
      requesterName: 'Marie Gagnon',
      unit: 'statistics',
    });
    expect(cases[0]).not.toHaveProperty('requester');
  });

  it('shows the complaints officer the complaint as metadata and records that view in the access journal', async () => {
    const h = await twoCases();

    const cases = await listRows(h.deps, COMPLAINTS_OFFICER);

    expect(cases.map((item) => item.caseId)).toEqual([COMPLAINT_ID]);
    expect(cases[0]).not.toHaveProperty('subject');
    expect(cases[0]).not.toHaveProperty('requesterName');
    expect(h.accessJournal.all()).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'rp-lavoie' }),
        caseIds: [COMPLAINT_ID],
      }),
    ]);
  });

  it('gives auditors every open case as metadata, without subjects', async () => {
    const h = await twoCases();

    const cases = await listRows(h.deps, AUDITOR);

    expect(cases.map((item) => item.caseId).sort()).toEqual([CASE_ID, COMPLAINT_ID].sort());
    for (const item of cases) expect(item).not.toHaveProperty('subject');
    for (const item of cases) expect(item).not.toHaveProperty('requesterName');
  });

  it('filters overdue cases at the clock’s instant', async () => {
    const h = await twoCases();

    const now = await listRows(h.deps, SUPERVISOR, { overdueOnly: true });
    h.clock.set('2026-03-17T13:00:00.000Z');
    const later = await listRows(h.deps, SUPERVISOR, { overdueOnly: true });

    expect(now).toEqual([]);
    expect(later.map((item) => ({ caseId: item.caseId, overdue: item.overdue }))).toEqual([
      { caseId: CASE_ID, overdue: true },
    ]);
    expect(later[0]?.deadlines.acknowledgement).toMatchObject({ dueDate: '2026-03-16', overdue: true });
  });

  it('refuses someone without any staff role', async () => {
    const h = await twoCases();

    await expect(listRows(h.deps, staffIdentity({ roles: [] }))).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
