import { getCase, reassign } from '../../../shared/domain/case/commands';
import { InvalidRequestError } from '../../../shared/errors';
import { AGENT, CASE_ID, SUPERVISOR, harness } from './fixtures';

describe('reassign with reason self-assigned (« assign to me »)', () => {
  it('records the person as assignee in the case’s unit, with the reason code self-assigned', async () => {
    const h = harness();
    await h.seed();

    const result = await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: AGENT.id },
      reason: 'self-assigned',
    });

    expect(result).toMatchObject({ unit: 'statistics', assignee: AGENT.id, recordedAs: 'case.reassigned' });
    const events = await h.ledger.read(CASE_ID);
    expect(events.at(-1)).toMatchObject({
      type: 'case.reassigned',
      data: { unit: 'statistics', assignee: AGENT.id, reasonCode: 'self-assigned' },
    });
  });

  it('refuses it (400 on reason, in French and English) for someone else, writing nothing', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);

    const error = await reassign(h.deps, SUPERVISOR, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: AGENT.id },
      reason: 'self-assigned',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      { path: 'reason', fr: expect.stringContaining('vous'), en: expect.stringContaining('you') },
    ]);
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it('counts no hand-off when the case was in its unit’s queue, with nobody on it', async () => {
    const h = harness();
    await h.seed();

    await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: AGENT.id },
      reason: 'self-assigned',
    });

    expect((await getCase(h.deps, AGENT, CASE_ID)).handoffCount).toBe(0);
  });

  it('counts a hand-off when it takes the case from someone else', async () => {
    const h = harness();
    await h.seed({ assignee: 'sup-gagnon' });

    await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: AGENT.id },
      reason: 'self-assigned',
    });

    expect((await getCase(h.deps, AGENT, CASE_ID)).handoffCount).toBe(1);
  });
});
