import { acknowledge, getCase } from '../../../shared/domain/case/commands';
import { toAuditEvents } from '../../../shared/domain/audit';
import { CaseNotFoundError } from '../../../shared/errors';
import { CASE_ID, COMPLAINT_ID, harness, staffIdentity } from './fixtures';

/** An agent of the complaints unit: even there, a confidential case is hidden from agents. */
const AGENT = staffIdentity({ id: 'agent-curieux', units: ['service-complaints'] });

async function withComplaint() {
  const h = harness();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  return h;
}

describe('a refused attempt on a confidential case leaves a trace (access.refused)', () => {
  it('a read refused as not-found is recorded on the case: who, which route, when; no content', async () => {
    const h = await withComplaint();
    const before = (await h.ledger.read(COMPLAINT_ID)).length;

    const error = await getCase(h.deps, AGENT, COMPLAINT_ID, {
      route: 'GET /api/staff/cases/{caseId}',
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CaseNotFoundError);
    const recorded = (await h.ledger.read(COMPLAINT_ID)).slice(before);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'access.refused',
        at: '2026-03-04T15:00:00.000Z',
        actor: { kind: 'staff', id: 'agent-curieux' },
        data: { action: 'read', route: 'GET /api/staff/cases/{caseId}' },
      }),
    ]);
    expect(JSON.stringify(recorded)).not.toContain('Marie');
  });

  it('a refused command is recorded too, with its action; the case state does not change', async () => {
    const h = await withComplaint();
    const status = (await h.ledger.getCase(COMPLAINT_ID))?.status;

    await expect(
      acknowledge(h.deps, AGENT, { caseId: COMPLAINT_ID, answerBy: '2026-03-20' }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);

    expect((await h.ledger.read(COMPLAINT_ID)).at(-1)).toMatchObject({
      type: 'access.refused',
      data: { action: 'acknowledge' },
    });
    expect((await h.ledger.getCase(COMPLAINT_ID))?.status).toBe(status);
  });

  it('the refusal is the same error as for an unknown case, and an unknown case records nothing', async () => {
    const h = await withComplaint();

    const hidden = await getCase(h.deps, AGENT, COMPLAINT_ID).catch((e: unknown) => e);
    const unknown = await getCase(h.deps, AGENT, 'no-such-case-1').catch((e: unknown) => e);

    expect((hidden as CaseNotFoundError).message).toBe((unknown as CaseNotFoundError).message);
    expect((hidden as CaseNotFoundError).code).toBe((unknown as CaseNotFoundError).code);
    expect(await h.ledger.read('no-such-case-1')).toEqual([]);
  });

  it('a refusal that is not hidden (403 on a case the person may know exists) is not an access.refused', async () => {
    const h = harness();
    await h.seed();
    const before = (await h.ledger.read(CASE_ID)).length;

    await getCase(h.deps, staffIdentity({ units: ['media-relations'] }), CASE_ID).catch(() => undefined);

    expect(await h.ledger.read(CASE_ID)).toHaveLength(before);
  });

  it('auditors see it in the audit timeline’s events: who, action, route', async () => {
    const h = await withComplaint();
    await getCase(h.deps, AGENT, COMPLAINT_ID, { route: 'GET /api/staff/cases/{caseId}' }).catch(
      () => undefined,
    );

    const events = toAuditEvents(await h.ledger.read(COMPLAINT_ID));

    expect(events.find((event) => event.type === ('access.refused' as string))).toMatchObject({
      actor: { kind: 'staff', id: 'agent-curieux' },
      details: { action: 'read', route: 'GET /api/staff/cases/{caseId}' },
    });
  });
});
