import { answer, close, reassign, recordDissatisfaction } from '../../../shared/domain/case/commands';
import type { ReassignInput } from '../../../shared/domain/case/commands';
import { CaseStateConflictError, ValidationError } from '../../../shared/errors';
import { AGENT, CASE_ID, SUPERVISOR, harness, typesAfter } from './fixtures';

describe('reassign', () => {
  it('records case.reassigned with the reason code and counts one hand-off', async () => {
    const h = harness();
    await h.seed();

    const result = await reassign(h.deps, SUPERVISOR, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: 'agent-pelletier' },
      reason: 'expertise',
    });

    expect(result).toEqual({
      caseId: CASE_ID,
      replayed: false,
      unit: 'statistics',
      assignee: 'agent-pelletier',
      recordedAs: 'case.reassigned',
    });
    const last = (await h.ledger.read(CASE_ID)).at(-1);
    expect(last).toMatchObject({
      type: 'case.reassigned',
      actor: { kind: 'staff', id: 'sup-gagnon', role: 'supervisor' },
      data: { unit: 'statistics', assignee: 'agent-pelletier', reasonCode: 'expertise' },
    });
    expect((await h.ledger.getCase(CASE_ID))?.handoffCount).toBe(1);
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('records the first assignment of a case still in its queue as case.assigned (no hand-off)', async () => {
    const h = harness();
    await h.seed({ unit: null });

    const result = await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: 'agent-tremblay' },
      reason: 'workload',
    });

    expect(result.recordedAs).toBe('case.assigned');
    expect((await h.ledger.getCase(CASE_ID))?.handoffCount).toBe(0);
  });

  it('refuses an unknown reason code and a missing one (ValidationError), recording nothing', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);
    const unknown = {
      caseId: CASE_ID,
      to: { unit: 'media-relations' },
      reason: 'bored',
    } as unknown as ReassignInput;
    const missing = { caseId: CASE_ID, to: { unit: 'media-relations' } } as unknown as ReassignInput;

    const errors = await Promise.all([
      reassign(h.deps, AGENT, unknown).catch((e: unknown) => e),
      reassign(h.deps, AGENT, missing).catch((e: unknown) => e),
    ]);

    for (const error of errors) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toMatchObject({ issues: [{ path: 'reason' }] });
    }
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it('refuses a reassignment to where the case already is (it would count a phantom hand-off)', async () => {
    const h = harness();
    await h.seed();

    const error = await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics' },
      reason: 'other',
    }).catch((e: unknown) => e);

    expect((error as CaseStateConflictError).code).toBe('ALREADY_ASSIGNED');
  });

  it('a retry replays; moving back to a previous unit later is a new hand-off', async () => {
    const h = harness();
    await h.seed();
    const toMedia: ReassignInput = { caseId: CASE_ID, to: { unit: 'media-relations' }, reason: 'misrouted' };
    const toStats: ReassignInput = { caseId: CASE_ID, to: { unit: 'statistics' }, reason: 'misrouted' };
    const supervisorOfBoth = { ...SUPERVISOR, units: ['statistics', 'media-relations'] };

    await reassign(h.deps, supervisorOfBoth, toMedia);
    const retry = await reassign(h.deps, supervisorOfBoth, toMedia);
    await reassign(h.deps, supervisorOfBoth, toStats);
    const again = await reassign(h.deps, supervisorOfBoth, toMedia);

    expect(retry.replayed).toBe(true);
    expect(again.replayed).toBe(false);
    expect((await h.ledger.getCase(CASE_ID))?.handoffCount).toBe(3);
  });
});

describe('close', () => {
  it('closes an answered case with outcome answered', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });

    const result = await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' });

    expect(result).toEqual({
      caseId: CASE_ID,
      replayed: false,
      outcome: 'answered',
      closedAt: '2026-03-04T15:00:00.000Z',
    });
    expect((await h.ledger.getCase(CASE_ID))?.status).toBe('closed');
  });

  it('refuses outcome answered on a case never answered, and any close of a closed case (409)', async () => {
    const h = harness();
    await h.seed();

    const notAnswered = await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' }).catch(
      (e: unknown) => e,
    );
    await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'withdrawn' });
    const closedAgain = await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'duplicate' }).catch(
      (e: unknown) => e,
    );

    expect((notAnswered as CaseStateConflictError).code).toBe('NOT_ANSWERED');
    expect((closedAgain as CaseStateConflictError).code).toBe('CASE_CLOSED');
    expect((closedAgain as CaseStateConflictError).messages).toEqual({
      fr: 'Impossible de fermer ce dossier : il est fermé.',
      en: 'Cannot close this case: it is closed.',
    });
  });

  it('the same close after a dissatisfaction and a new answer closes again (not a replay)', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' });
    await recordDissatisfaction(h.deps, AGENT, { caseId: CASE_ID, channel: 'phone' });
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });

    const second = await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' });

    expect(second.replayed).toBe(false);
    expect(h.notifier.sent).toHaveLength(2);
    expect((await h.ledger.getCase(CASE_ID))?.status).toBe('closed');
  });
});

describe('recordDissatisfaction', () => {
  it('reopens an answered case, keeping the channel and the requester’s note', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    const before = (await h.ledger.read(CASE_ID)).length;

    const result = await recordDissatisfaction(h.deps, AGENT, {
      caseId: CASE_ID,
      channel: 'phone',
      note: 'La personne juge la réponse incomplète.',
    });

    expect(result).toMatchObject({ replayed: false, noteRecorded: true });
    const events = (await h.ledger.read(CASE_ID)).slice(before);
    expect(events.map((event) => event.type)).toEqual(['case.dissatisfied', 'deadline.planned']);
    expect(events[0]!.data).toEqual({ channel: 'phone', note: 'La personne juge la réponse incomplète.' });
    expect((await h.ledger.getCase(CASE_ID))?.status).toBe('dissatisfied');
  });

  it('is refused on a case not answered (409) and replays on retry', async () => {
    const h = harness();
    await h.seed();
    const refused = await recordDissatisfaction(h.deps, AGENT, { caseId: CASE_ID, channel: 'email' }).catch(
      (e: unknown) => e,
    );
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    const before = (await h.ledger.read(CASE_ID)).length;

    await recordDissatisfaction(h.deps, AGENT, { caseId: CASE_ID, channel: 'email' });
    const retry = await recordDissatisfaction(h.deps, AGENT, { caseId: CASE_ID, channel: 'email' });

    expect((refused as CaseStateConflictError).code).toBe('CASE_STATUS_CONFLICT');
    expect(retry.replayed).toBe(true);
    expect(await typesAfter(h.ledger, CASE_ID, before)).toEqual(['case.dissatisfied', 'deadline.planned']);
  });
});
