import { getCase, recategorize } from '../../../shared/domain/case/commands';
import type { RecategorizeInput } from '../../../shared/domain/case/commands';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars } from '../../../shared/domain/time';
import { acknowledgementDeadline } from '../../../shared/domain/workflow/acknowledgement-deadline';
import {
  AccessDeniedError,
  CaseNotFoundError,
  CaseStateConflictError,
  IdempotencyKeyReuseError,
  InvalidRequestError,
  ValidationError,
} from '../../../shared/errors';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINTS_OFFICER,
  COMPLAINT_ID,
  FlakyLedger,
  FRENCH_REQUESTER,
  LETTER_REQUESTER,
  RECEIVED_AT,
  SUPERVISOR,
  harness,
  staffIdentity,
  typesAfter,
} from './fixtures';

const PUBLIC_CONTRACTS_SUPERVISOR = staffIdentity({
  id: 'sup-bergeron',
  roles: ['supervisor'],
  units: ['supplier-complaints'],
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('recategorize', () => {
  it('a supplier complaint mailed to plaintes@: the complaints officer moves it to supplier-complaint, out of the confidential compartment and to the public contracts queue', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const before = (await h.ledger.read(COMPLAINT_ID)).length;
    const acknowledgementBefore = (await h.ledger.getCase(COMPLAINT_ID))?.deadlines.acknowledgement;

    const result = await recategorize(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      category: 'supplier-complaint',
      reason: 'wrong-mailbox',
    });

    expect(result).toEqual({
      caseId: COMPLAINT_ID,
      replayed: false,
      from: 'service-complaint',
      category: 'supplier-complaint',
      unit: 'supplier-complaints',
      confidential: false,
      acknowledgementDeadline: {
        dueDate: acknowledgementBefore?.dueDate,
        dueAt: acknowledgementBefore?.dueAt,
      },
    });
    expect(await typesAfter(h.ledger, COMPLAINT_ID, before)).toEqual([
      'case.recategorized',
      'case.reassigned',
    ]);
    const events = await h.ledger.read(COMPLAINT_ID);
    expect(events.at(-2)).toMatchObject({
      actor: { kind: 'staff', id: 'rp-lavoie', role: 'complaints-officer' },
      data: {
        from: 'service-complaint',
        to: 'supplier-complaint',
        reason: 'wrong-mailbox',
        confidential: false,
      },
    });
    expect(events.at(-1)?.data).toEqual({ unit: 'supplier-complaints', reasonCode: 'misrouted' });
    const projection = await h.ledger.getCase(COMPLAINT_ID);
    expect(projection).toMatchObject({
      category: 'supplier-complaint',
      confidential: false,
      unit: 'supplier-complaints',
      handoffCount: 1,
    });
    expect(projection?.deadlines.acknowledgement).toEqual(acknowledgementBefore);
    // The unit that now has it reads it; nobody is sent anything.
    const view = await getCase(h.deps, PUBLIC_CONTRACTS_SUPERVISOR, COMPLAINT_ID);
    expect(view.category).toBe('supplier-complaint');
    expect(h.notifier.sent).toHaveLength(0);

    // The officer no longer reaches the case (not in their units), yet their own retry replays.
    expect(await errorOf(getCase(h.deps, COMPLAINTS_OFFICER, COMPLAINT_ID))).toBeInstanceOf(
      AccessDeniedError,
    );
    const count = (await h.ledger.read(COMPLAINT_ID)).length;
    const retried = await recategorize(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      category: 'supplier-complaint',
      reason: 'wrong-mailbox',
    });
    expect(retried).toMatchObject({
      replayed: true,
      category: 'supplier-complaint',
      unit: 'supplier-complaints',
    });
    expect((await h.ledger.read(COMPLAINT_ID)).length).toBe(count);
    // Another person's same request is refused as usual.
    const otherOfficer = staffIdentity({ id: 'rp-autre', roles: ['complaints-officer'], units: [] });
    expect(
      await errorOf(
        recategorize(h.deps, otherOfficer, {
          caseId: COMPLAINT_ID,
          category: 'supplier-complaint',
          reason: 'wrong-mailbox',
        }),
      ),
    ).toBeInstanceOf(AccessDeniedError);
  });

  it('into a confidential category: confidential at once, hidden from the supervisor who moved it', async () => {
    const h = harness();
    await h.seed();

    const result = await recategorize(h.deps, SUPERVISOR, {
      caseId: CASE_ID,
      category: 'service-complaint',
      reason: 'content-reviewed',
    });

    expect(result).toMatchObject({ confidential: true, unit: 'service-complaints' });
    expect((await h.ledger.getCase(CASE_ID))?.confidential).toBe(true);
    expect(await errorOf(getCase(h.deps, SUPERVISOR, CASE_ID))).toBeInstanceOf(CaseNotFoundError);
    expect(await errorOf(getCase(h.deps, AGENT, CASE_ID))).toBeInstanceOf(CaseNotFoundError);
    expect((await getCase(h.deps, COMPLAINTS_OFFICER, CASE_ID)).category).toBe('service-complaint');
  });

  it('out of the confidential compartment: only the complaints officer (others do not even see the case)', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const before = await h.ledger.read(COMPLAINT_ID);
    const input = { caseId: COMPLAINT_ID, category: 'supplier-complaint', reason: 'wrong-mailbox' } as const;

    const everywhere = staffIdentity({
      id: 'sup-partout',
      roles: ['supervisor'],
      units: ['service-complaints', 'supplier-complaints'],
    });
    expect(await errorOf(recategorize(h.deps, everywhere, input))).toBeInstanceOf(CaseNotFoundError);
    expect(await errorOf(recategorize(h.deps, ADMIN, input))).toBeInstanceOf(CaseNotFoundError);
    expect(await errorOf(recategorize(h.deps, AUDITOR, input))).toBeInstanceOf(AccessDeniedError);

    const after = await h.ledger.read(COMPLAINT_ID);
    expect(after.slice(before.length).map((e) => e.type)).toEqual(['access.refused', 'access.refused']);
    expect((await h.ledger.getCase(COMPLAINT_ID))?.category).toBe('service-complaint');
  });

  it('a case received as confidential in an ordinary category stays with the complaints officer until they move it', async () => {
    const h = harness();
    await h.seed({ confidential: true });
    expect(
      await errorOf(
        recategorize(h.deps, SUPERVISOR, { caseId: CASE_ID, category: 'policies', reason: 'other' }),
      ),
    ).toBeInstanceOf(CaseNotFoundError);
    const result = await recategorize(h.deps, COMPLAINTS_OFFICER, {
      caseId: CASE_ID,
      category: 'policies',
      reason: 'other',
    });
    expect(result.confidential).toBe(false);
    expect((await getCase(h.deps, staffIdentity({ units: ['management-policies'] }), CASE_ID)).category).toBe(
      'policies',
    );
  });

  it('who may: the supervisor of the unit and an admin; never an agent, an auditor or another unit', async () => {
    const h = harness();
    await h.seed();
    const input = { caseId: CASE_ID, category: 'policies', reason: 'wrong-form-choice' } as const;

    expect(await errorOf(recategorize(h.deps, AGENT, input))).toBeInstanceOf(AccessDeniedError);
    expect(await errorOf(recategorize(h.deps, AUDITOR, input))).toBeInstanceOf(AccessDeniedError);
    expect(await errorOf(recategorize(h.deps, PUBLIC_CONTRACTS_SUPERVISOR, input))).toBeInstanceOf(
      AccessDeniedError,
    );
    // An agent who is also a supervisor of the unit acts as supervisor.
    const both = staffIdentity({ id: 'sup-agent', roles: ['agent', 'supervisor'], units: ['statistics'] });
    expect((await recategorize(h.deps, both, input)).category).toBe('policies');

    const h2 = harness();
    await h2.seed();
    const byAdmin = await recategorize(h2.deps, ADMIN, input);
    expect(byAdmin).toMatchObject({ category: 'policies', unit: 'management-policies' });
    expect((await h2.ledger.read(CASE_ID)).at(-2)?.actor).toMatchObject({ role: 'admin' });
  });

  it('is idempotent: the same request replays (200), an Idempotency-Key reused for another request is refused', async () => {
    const h = harness();
    await h.seed();
    const input = { caseId: CASE_ID, category: 'policies', reason: 'wrong-form-choice' } as const;
    // A supervisor of both units: after the move, the case is still theirs to see.
    const supervisor = staffIdentity({
      id: 'sup-gagnon',
      roles: ['supervisor'],
      units: ['statistics', 'management-policies'],
    });

    const first = await recategorize(h.deps, supervisor, input, { idempotencyKey: 'k-1' });
    const count = (await h.ledger.read(CASE_ID)).length;
    const again = await recategorize(h.deps, supervisor, input, { idempotencyKey: 'k-1' });
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    expect((await h.ledger.read(CASE_ID)).length).toBe(count);

    // Without a key, the same request is recognized from its content: nothing recorded twice.
    const h2 = harness();
    await h2.seed();
    const derived = await recategorize(h2.deps, supervisor, input);
    const derivedCount = (await h2.ledger.read(CASE_ID)).length;
    expect(await recategorize(h2.deps, supervisor, input)).toEqual({ ...derived, replayed: true });
    expect((await h2.ledger.read(CASE_ID)).length).toBe(derivedCount);

    expect(
      await errorOf(
        recategorize(
          h.deps,
          supervisor,
          { caseId: CASE_ID, category: 'media', reason: 'other' },
          { idempotencyKey: 'k-1' },
        ),
      ),
    ).toBeInstanceOf(IdempotencyKeyReuseError);
  });

  it('a retry after a crash between its events completes the routing, once', async () => {
    const h = harness();
    await h.seed();
    const flaky = new FlakyLedger(h.ledger);
    const deps = { ...h.deps, ledger: flaky };
    const supervisor = staffIdentity({
      id: 'sup-gagnon',
      roles: ['supervisor'],
      units: ['statistics', 'management-policies'],
    });
    const count = (await h.ledger.read(CASE_ID)).length;
    const input = { caseId: CASE_ID, category: 'policies', reason: 'content-reviewed' } as const;

    flaky.failNextAppendOf('case.reassigned');
    await expect(recategorize(deps, supervisor, input)).rejects.toThrow('store unavailable');
    expect((await h.ledger.getCase(CASE_ID))?.unit).toBe('statistics');
    const retried = await recategorize(deps, supervisor, input);

    expect(retried).toMatchObject({ replayed: true, unit: 'management-policies' });
    expect(await typesAfter(h.ledger, CASE_ID, count)).toEqual(['case.recategorized', 'case.reassigned']);
    expect((await h.ledger.getCase(CASE_ID))?.unit).toBe('management-policies');
  });

  it('refuses the same category (409), an unknown one (400 on category), a bad reason (400) and a closed case (409), recording nothing', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);

    const same = await errorOf(
      recategorize(h.deps, SUPERVISOR, { caseId: CASE_ID, category: 'statistics', reason: 'other' }),
    );
    expect(same).toBeInstanceOf(CaseStateConflictError);
    expect((same as CaseStateConflictError).code).toBe('ALREADY_IN_CATEGORY');

    const unknown = await errorOf(
      recategorize(h.deps, SUPERVISOR, { caseId: CASE_ID, category: 'astrology', reason: 'other' }),
    );
    expect(unknown).toBeInstanceOf(InvalidRequestError);
    expect((unknown as InvalidRequestError).issues.map((i) => i.path)).toEqual(['category']);
    expect((unknown as InvalidRequestError).issues[0]?.en).toContain('supplier-complaint');

    const badReason = await errorOf(
      recategorize(h.deps, SUPERVISOR, {
        caseId: CASE_ID,
        category: 'policies',
        reason: 'bored',
      } as unknown as RecategorizeInput),
    );
    expect(badReason).toBeInstanceOf(ValidationError);

    expect(await h.ledger.read(CASE_ID)).toEqual(before);

    await h.ledger.append(CASE_ID, {
      type: 'case.closed',
      at: RECEIVED_AT,
      actor: { kind: 'system' },
      data: { reason: 'answered' },
    });
    const closed = await errorOf(
      recategorize(h.deps, SUPERVISOR, { caseId: CASE_ID, category: 'policies', reason: 'other' }),
    );
    expect((closed as CaseStateConflictError).code).toBe('CASE_CLOSED');
  });
});

describe('recategorize: the acknowledgement deadline is never shortened', () => {
  const policy = loadSctPolicy();
  const media = policy.categories.find((c) => c.id === 'media');

  /** A media request (acknowledgement within 4 working hours), as intake plans it. */
  async function mediaCase(requester = FRENCH_REQUESTER, receiptSent = true) {
    const h = harness();
    await h.seed({ category: 'media', unit: 'media-relations', requester });
    const deadline = acknowledgementDeadline({
      policy,
      category: media!,
      calendars: bundledCalendars(),
      receivedAt: RECEIVED_AT,
      computedAt: RECEIVED_AT,
    });
    await h.ledger.append(CASE_ID, {
      type: 'deadline.planned',
      at: RECEIVED_AT,
      actor: { kind: 'system' },
      data: { kind: 'acknowledgement', deadline: deadline! },
    });
    if (receiptSent) {
      await h.ledger.append(CASE_ID, {
        type: 'message.sent',
        at: RECEIVED_AT,
        actor: { kind: 'system' },
        data: {
          messageId: 'ses-receipt',
          purpose: 'receipt',
          recipient: 'requester',
          template: 'automatic-receipt',
          language: 'fr',
        },
      });
    }
    const media4h = (await h.ledger.getCase(CASE_ID))!.deadlines.acknowledgement!;
    h.clock.set('2026-03-02T15:00:00.000Z');
    return { h, media4h };
  }

  it('into a category with a shorter delay: the communicated date stays, nothing recalculated', async () => {
    const h = harness();
    await h.seed();
    const supervisorOfBoth = staffIdentity({
      id: 'sup-both',
      roles: ['supervisor'],
      units: ['statistics', 'media-relations'],
    });
    const before = (await h.ledger.getCase(CASE_ID))!.deadlines.acknowledgement!;
    const count = (await h.ledger.read(CASE_ID)).length;

    const result = await recategorize(h.deps, supervisorOfBoth, {
      caseId: CASE_ID,
      category: 'media',
      reason: 'content-reviewed',
    });

    expect(result.acknowledgementDeadline).toEqual({ dueDate: before.dueDate, dueAt: before.dueAt });
    expect(await typesAfter(h.ledger, CASE_ID, count)).toEqual(['case.recategorized', 'case.reassigned']);
    expect((await h.ledger.getCase(CASE_ID))!.deadlines.acknowledgement).toEqual(before);
  });

  it('into a category with a longer delay after the receipt gave the requester a date: that date stays', async () => {
    const { h, media4h } = await mediaCase();
    const count = (await h.ledger.read(CASE_ID)).length;
    const supervisorOfBoth = staffIdentity({
      id: 'sup-both',
      roles: ['supervisor'],
      units: ['statistics', 'media-relations'],
    });

    await recategorize(h.deps, supervisorOfBoth, {
      caseId: CASE_ID,
      category: 'statistics',
      reason: 'content-reviewed',
    });

    expect(await typesAfter(h.ledger, CASE_ID, count)).toEqual(['case.recategorized', 'case.reassigned']);
    expect((await h.ledger.getCase(CASE_ID))!.deadlines.acknowledgement).toEqual(media4h);
  });

  it('into a category with a longer delay, no date communicated (a letter): recalculated from the receipt, with its proof', async () => {
    const { h, media4h } = await mediaCase(LETTER_REQUESTER, false);
    const count = (await h.ledger.read(CASE_ID)).length;
    const supervisorOfBoth = staffIdentity({
      id: 'sup-both',
      roles: ['supervisor'],
      units: ['statistics', 'media-relations'],
    });

    const result = await recategorize(h.deps, supervisorOfBoth, {
      caseId: CASE_ID,
      category: 'statistics',
      reason: 'content-reviewed',
    });

    expect(await typesAfter(h.ledger, CASE_ID, count)).toEqual([
      'case.recategorized',
      'case.reassigned',
      'deadline.recalculated',
    ]);
    const recalculated = (await h.ledger.read(CASE_ID)).at(-1);
    expect(recalculated?.data).toMatchObject({ kind: 'acknowledgement', reason: 'category-changed' });
    const acknowledgement = (await h.ledger.getCase(CASE_ID))!.deadlines.acknowledgement!;
    // Ten business days from Monday 2 March 2026: Monday 16 March, counted from the original receipt.
    expect(acknowledgement.dueDate).toBe('2026-03-16');
    expect(acknowledgement.proof.inputs).toMatchObject({
      receivedAt: RECEIVED_AT,
      delay: { amount: 10, unit: 'business-days' },
    });
    expect(acknowledgement.revision).toBe(2);
    expect(acknowledgement.originalDueAt).toBe(media4h.dueAt);
    expect(result.acknowledgementDeadline?.dueDate).toBe('2026-03-16');
  });
});
