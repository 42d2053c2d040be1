import { getCase, reassign } from '../../../shared/domain/case/commands';
import type { ReassignInput } from '../../../shared/domain/case/commands';
import { InvalidRequestError } from '../../../shared/errors';
import { ADMIN, AGENT, CASE_ID, COMPLAINTS_OFFICER, COMPLAINT_ID, SUPERVISOR, harness } from './fixtures';

async function refusal(promise: Promise<unknown>): Promise<InvalidRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  return error as InvalidRequestError;
}

describe('reassign: no case without an owner', () => {
  it('refuses a unit the policy routes nothing to (400 on to.unit, in French and English), writing nothing', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);

    const error = await refusal(
      reassign(h.deps, SUPERVISOR, { caseId: CASE_ID, to: { unit: 'no-such-unit' }, reason: 'misrouted' }),
    );

    expect(error.issues).toEqual([
      { path: 'to.unit', fr: expect.stringContaining('unité'), en: expect.stringContaining('unit') },
    ]);
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it('refuses an assignee the staff directory does not know', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);

    const error = await refusal(
      reassign(h.deps, SUPERVISOR, {
        caseId: CASE_ID,
        to: { unit: 'statistics', assignee: 'nobody-at-all' },
        reason: 'absence',
      }),
    );

    expect(error.issues.map((issue) => issue.path)).toEqual(['to.assignee']);
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it.each([
    ['an agent of another unit', 'agent-roy'],
    ['an auditor', 'aud-bouchard'],
    ['an administrator', 'adm-cote'],
  ])('refuses as assignee %s (a known person who cannot act on the case in that unit)', async (_l, who) => {
    const h = harness();
    await h.seed();

    const error = await refusal(
      reassign(h.deps, SUPERVISOR, {
        caseId: CASE_ID,
        to: { unit: 'statistics', assignee: who },
        reason: 'workload',
      }),
    );

    expect(error.issues.map((issue) => issue.path)).toEqual(['to.assignee']);
  });

  it('a confidential case goes only to a complaints officer, in a complaints unit', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    const toAgent = await refusal(
      reassign(h.deps, COMPLAINTS_OFFICER, {
        caseId: COMPLAINT_ID,
        to: { unit: 'service-complaints', assignee: 'agent-tremblay' },
        reason: 'other',
      }),
    );
    const toStatistics = await refusal(
      reassign(h.deps, COMPLAINTS_OFFICER, {
        caseId: COMPLAINT_ID,
        to: { unit: 'statistics' },
        reason: 'other',
      }),
    );
    const accepted = await reassign(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      to: { unit: 'comments', assignee: 'rp-lavoie' },
      reason: 'other',
    });

    expect(toAgent.issues.map((issue) => issue.path)).toEqual(['to.assignee']);
    expect(toStatistics.issues.map((issue) => issue.path)).toEqual(['to.unit']);
    expect(accepted).toMatchObject({ unit: 'comments', assignee: 'rp-lavoie', replayed: false });
  });

  it('accepts a known agent of the target unit', async () => {
    const h = harness();
    await h.seed();

    const result = await reassign(h.deps, AGENT, {
      caseId: CASE_ID,
      to: { unit: 'statistics', assignee: 'agent-pelletier' },
      reason: 'absence',
    });

    expect(result).toMatchObject({ unit: 'statistics', assignee: 'agent-pelletier', replayed: false });
  });

  it('an admin repairs a case orphaned by bad data: moves it to a valid unit, recorded with the admin role', async () => {
    const h = harness();
    await h.seed({ unit: 'no-such-unit' });
    const orphaned: ReassignInput = { caseId: CASE_ID, to: { unit: 'statistics' }, reason: 'misrouted' };

    const result = await reassign(h.deps, ADMIN, orphaned);

    expect(result).toMatchObject({ unit: 'statistics', recordedAs: 'case.reassigned', replayed: false });
    expect((await h.ledger.read(CASE_ID)).at(-1)).toMatchObject({
      type: 'case.reassigned',
      actor: { kind: 'staff', id: 'adm-cote', role: 'admin' },
    });
    // The case has an owner again: its unit's agent reads and can act on it.
    await expect(getCase(h.deps, AGENT, CASE_ID)).resolves.toMatchObject({ scope: 'content' });
  });

  it('an admin cannot repair towards an unknown unit either', async () => {
    const h = harness();
    await h.seed({ unit: 'no-such-unit' });

    const error = await refusal(
      reassign(h.deps, ADMIN, { caseId: CASE_ID, to: { unit: 'still-no-unit' }, reason: 'misrouted' }),
    );

    expect(error.issues.map((issue) => issue.path)).toEqual(['to.unit']);
  });
});
