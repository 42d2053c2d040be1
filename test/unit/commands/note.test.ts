import { addNote, answer, close, getCase } from '../../../shared/domain/case/commands';
import type { NoteInput } from '../../../shared/domain/case/commands';
import { toAuditEvents } from '../../../shared/domain/audit';
import {
  AccessDeniedError,
  CaseNotFoundError,
  IdempotencyKeyReuseError,
  ValidationError,
} from '../../../shared/errors';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINT_ID,
  COMPLAINTS_OFFICER,
  OTHER_UNIT_AGENT,
  SUPERVISOR,
  harness,
  staffIdentity,
} from './fixtures';

const TEXT = 'Appel de la demanderesse le 4 mars.\nElle précise vouloir les données de 2024 aussi.';

describe('addNote: an internal note on a case', () => {
  it('records case.noted {text} with the author, changes no case state and sends nothing', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.getCase(CASE_ID);

    const result = await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT });

    expect(result).toEqual({
      caseId: CASE_ID,
      replayed: false,
      seq: 5,
      notedAt: '2026-03-04T15:00:00.000Z',
    });
    expect((await h.ledger.read(CASE_ID)).at(-1)).toMatchObject({
      seq: 5,
      type: 'case.noted',
      actor: { kind: 'staff', id: 'agent-tremblay', role: 'agent' },
      data: { text: TEXT },
    });
    const after = await h.ledger.getCase(CASE_ID);
    expect({ ...after, lastSeq: 0, lastHash: '', lastEventAt: '' }).toEqual({
      ...before,
      lastSeq: 0,
      lastHash: '',
      lastEventAt: '',
    });
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('is allowed in every status, a closed case included (a later call is documented)', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' });

    const result = await addNote(h.deps, AGENT, { caseId: CASE_ID, text: 'Rappel reçu après la fermeture.' });

    expect(result.replayed).toBe(false);
    expect((await h.ledger.getCase(CASE_ID))?.status).toBe('closed');
  });

  it('may be written by the unit’s agents and supervisor, and by the complaints officer on a complaint', async () => {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: 'Note de l’agent.' });
    await addNote(h.deps, SUPERVISOR, { caseId: CASE_ID, text: 'Note de la superviseure.' });
    await addNote(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, text: 'Note confidentielle.' });

    const roles = async (caseId: string) =>
      (await h.ledger.read(caseId)).filter((e) => e.type === 'case.noted').map((e) => e.actor.role);
    expect(await roles(CASE_ID)).toEqual(['agent', 'supervisor']);
    expect(await roles(COMPLAINT_ID)).toEqual(['complaints-officer']);
  });

  it('hides a confidential case from everyone but the complaints officer (404, attempt recorded)', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const complaintAgent = staffIdentity({ id: 'agent-curieux', units: ['service-complaints'] });
    const complaintSupervisor = staffIdentity({
      id: 'sup-curieuse',
      roles: ['supervisor'],
      units: ['service-complaints'],
    });

    for (const identity of [complaintAgent, complaintSupervisor]) {
      await expect(
        addNote(h.deps, identity, { caseId: COMPLAINT_ID, text: 'Je regarde.' }),
      ).rejects.toBeInstanceOf(CaseNotFoundError);
    }

    const events = await h.ledger.read(COMPLAINT_ID);
    expect(events.filter((e) => e.type === 'case.noted')).toEqual([]);
    expect(events.filter((e) => e.type === 'access.refused').map((e) => e.data)).toEqual([
      { action: 'note' },
      { action: 'note' },
    ]);
  });

  it('refuses administrators and auditors (403), and an agent of another unit (403)', async () => {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    for (const [identity, caseId] of [
      [ADMIN, CASE_ID],
      [AUDITOR, CASE_ID],
      [AUDITOR, COMPLAINT_ID],
      [OTHER_UNIT_AGENT, CASE_ID],
    ] as const) {
      const error = await addNote(h.deps, identity, { caseId, text: 'Note.' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccessDeniedError);
    }
    expect((await h.ledger.read(CASE_ID)).some((e) => e.type === 'case.noted')).toBe(false);
  });

  it('a retry with the same Idempotency-Key replays; the same key with another text is refused', async () => {
    const h = harness();
    await h.seed();
    const key = { idempotencyKey: 'b1f0c1de-8d8e-4c53-9a38-3c7f6f1a2b11' };

    const first = await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT }, key);
    const retry = await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT }, key);
    const reused = await addNote(h.deps, AGENT, { caseId: CASE_ID, text: 'Autre.' }, key).catch(
      (e: unknown) => e,
    );

    expect(retry).toEqual({ ...first, replayed: true });
    expect(reused).toBeInstanceOf(IdempotencyKeyReuseError);
    expect((await h.ledger.read(CASE_ID)).filter((e) => e.type === 'case.noted')).toHaveLength(1);
  });

  it('the same text with another key is a second note (two calls, two notes)', async () => {
    const h = harness();
    await h.seed();

    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: 'Message laissé.' }, { idempotencyKey: 'k-1' });
    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: 'Message laissé.' }, { idempotencyKey: 'k-2' });

    expect((await h.ledger.read(CASE_ID)).filter((e) => e.type === 'case.noted')).toHaveLength(2);
  });

  it.each([
    ['an empty text', { text: '' }],
    ['a blank text', { text: ' \n\t ' }],
    ['a text over 5,000 characters', { text: 'a'.repeat(5_001) }],
    ['a text with a control character', { text: 'Note\u0007' }],
    ['no text', {}],
  ])('refuses %s (ValidationError on text), recording nothing', async (_, body) => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);

    const error = await addNote(h.deps, AGENT, { caseId: CASE_ID, ...body } as NoteInput).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toMatchObject({ issues: [{ path: 'text' }] });
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it('accepts exactly 5,000 characters on several lines', async () => {
    const h = harness();
    await h.seed();

    const text = `${'a'.repeat(2_000)}\r\n${'b'.repeat(2_998)}`;
    await addNote(h.deps, AGENT, { caseId: CASE_ID, text });

    expect((await h.ledger.read(CASE_ID)).at(-1)?.data).toEqual({ text });
  });
});

describe('notes on the case page and in the audit trail', () => {
  it('the case detail lists the notes with the content scope: seq, date, author, text', async () => {
    const h = harness();
    await h.seed();
    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT });
    h.clock.set('2026-03-05T14:30:00.000Z');
    await addNote(h.deps, SUPERVISOR, { caseId: CASE_ID, text: 'Vu.' });

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.content?.notes).toEqual([
      { seq: 5, at: '2026-03-04T15:00:00.000Z', author: 'agent-tremblay', authorRole: 'agent', text: TEXT },
      { seq: 6, at: '2026-03-05T14:30:00.000Z', author: 'sup-gagnon', authorRole: 'supervisor', text: 'Vu.' },
    ]);
    expect(detail.history.map((entry) => entry.type)).toContain('case.noted');
  });

  it('a metadata reader (auditor, admin) never sees a note’s text', async () => {
    const h = harness();
    await h.seed();
    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT });

    for (const identity of [AUDITOR, ADMIN]) {
      const detail = await getCase(h.deps, identity, CASE_ID);
      expect(detail.scope).toBe('metadata');
      expect(detail.content).toBeUndefined();
      expect(JSON.stringify(detail)).not.toContain('demanderesse');
    }
  });

  it('the audit timeline shows that a note was written, by whom and its length, never its text', async () => {
    const h = harness();
    await h.seed();
    await addNote(h.deps, AGENT, { caseId: CASE_ID, text: TEXT });

    const events = toAuditEvents(await h.ledger.read(CASE_ID));
    const noted = events.find((event) => event.type === 'case.noted');

    expect(noted).toMatchObject({
      actor: { kind: 'staff', id: 'agent-tremblay', role: 'agent' },
      details: { length: TEXT.length },
    });
    expect(JSON.stringify(events)).not.toContain('demanderesse');
  });
});
