import { getCategory, loadPolicy, PolicyError, SCT_CATEGORY_IDS } from '../../../shared/domain/policy';
import { loadPolicyFile } from '../../../shared/domain/policy/load-file';
import { getAt, policyPath, readPolicyDocument } from './policy-documents';

describe('sample policy of the Centre d’acquisitions gouvernementales', () => {
  const load = () => loadPolicyFile(policyPath('samples/cag.json'));

  it('confirms a complaint is being handled within 2 business days, escalating if nobody has', async () => {
    const complaint = getCategory(await load(), 'service-complaint');

    expect(complaint.acknowledgement).toEqual({
      delay: { amount: 2, unit: 'business-days' },
      atDeadline: 'escalate-only',
    });
  });

  it('answers within at most 15 business days', async () => {
    const complaint = getCategory(await load(), 'service-complaint');

    expect(complaint.answer.maximumDelay).toEqual({ amount: 15, unit: 'business-days' });
  });

  it('handles complaints confidentially, by the complaints officer', async () => {
    const complaint = getCategory(await load(), 'service-complaint');

    expect(complaint.confidential).toBe(true);
    expect(complaint.routing.handlerRole).toBe('complaints-officer');
  });

  it('counts on the public-service calendar when the file names none', async () => {
    const rawCalendar = getAt(readPolicyDocument('samples/cag.json'), ['organization', 'calendarId']);

    const policy = await load();

    expect(rawCalendar).toBeUndefined();
    expect(policy.organization.calendarId).toBe('qc-fonction-publique');
    expect(getCategory(policy, 'comment').calendarId).toBe('qc-fonction-publique');
  });
});

describe('sample policy of the Ministère de l’Environnement', () => {
  const load = () => loadPolicyFile(policyPath('samples/melccfp.json'));

  it('answers complaints within 20 business days and says so in writing when it cannot', async () => {
    const complaint = getCategory(await load(), 'service-complaint');

    expect(complaint.answer.standardDelay).toEqual({ amount: 20, unit: 'business-days' });
    expect(complaint.answer.notifyInWritingIfLate).toBe(true);
  });

  it('makes no acknowledgement commitment on complaints and schedules nothing against one', async () => {
    const complaint = getCategory(await load(), 'service-complaint');

    expect(complaint.acknowledgement).toBeNull();
    expect(complaint.schedule.every((step) => step.relativeTo === 'answer-deadline')).toBe(true);
  });

  it('counts access-to-information requests in 20 calendar days on the Loi d’interprétation calendar', async () => {
    const policy = await load();

    const access = getCategory(policy, 'access-to-information');

    expect(access.answer.standardDelay).toEqual({ amount: 20, unit: 'calendar-days' });
    expect(access.calendarId).toBe('qc-loi-interpretation');
    expect(policy.organization.calendarId).toBe('qc-fonction-publique');
  });
});

describe('contacts of requests', () => {
  it.each(['sct.json', 'samples/cag.json', 'samples/melccfp.json'])(
    '%s: every request category names its unit, so no message about a request gives the complaints officer as its contact',
    async (file) => {
      const policy = await loadPolicyFile(policyPath(file));

      const withoutUnit = policy.categories
        .filter((category) => category.kind === 'request' && category.contact === undefined)
        .map((category) => category.id);

      expect(withoutUnit).toEqual([]);
    },
  );
});

describe('catalogue completeness', () => {
  it('is declared by each policy, so another body need not have the SCT categories', () => {
    const document = readPolicyDocument('samples/cag.json');

    expect(() => loadPolicy(document)).not.toThrow();
  });

  it('rejects a policy that lacks the SCT categories when the SCT catalogue is required', () => {
    const document = readPolicyDocument('samples/cag.json');

    const act = () => loadPolicy(document, { requiredCatalogue: SCT_CATEGORY_IDS });

    expect(act).toThrow(PolicyError);
    expect(act).toThrow(/catalogue: must include "statistics", "policies", "media"/);
  });
});
