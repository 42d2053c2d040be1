import { DomainError } from '../../../shared/errors';
import {
  getCategory,
  loadSctPolicy,
  SCT_CATEGORY_IDS,
  UnknownCategoryError,
  type Category,
  type ScheduleStep,
} from '../../../shared/domain/policy';
import { bundledSctPolicy } from '../../../shared/domain/policy/sct-bundled';

const WRITTEN_REQUEST_CATEGORIES = SCT_CATEGORY_IDS.filter((id) => id !== 'media');

function stepsOf(category: Category, relativeTo: ScheduleStep['relativeTo']): ScheduleStep[] {
  return category.schedule.filter((step) => step.relativeTo === relativeTo);
}

describe('the bundled SCT policy', () => {
  it('defines the seven categories of the catalogue, in catalogue order', () => {
    const policy = loadSctPolicy();

    const ids = policy.categories.map((category) => category.id);

    expect(ids).toEqual([
      'statistics',
      'policies',
      'media',
      'supplier-complaint',
      'doing-business',
      'service-complaint',
      'comment',
    ]);
    expect(policy.catalogue).toEqual(ids);
  });

  it('identifies the SCT and counts on the public-service calendar in Québec time, 08:30–16:30', () => {
    const { organization } = loadSctPolicy();

    expect(organization).toMatchObject({
      id: 'sct',
      referencePrefix: 'SCT',
      name: { fr: 'Secrétariat du Conseil du trésor' },
      calendarId: 'qc-fonction-publique',
      timeZone: 'America/Toronto',
      workingHours: { start: '08:30', end: '16:30' },
      receiptOnNonBusinessDay: 'day-of-receipt-not-counted',
    });
  });

  it('gives the complaints officer of the service statement as the acknowledgement contact', () => {
    const { contact } = loadSctPolicy().organization;

    expect(contact.role.fr).toBe('Responsable des plaintes');
    expect(contact.addressLines).toEqual([
      'Secrétariat du Conseil du trésor',
      '875, Grande Allée Est, 5e étage, secteur 500',
      'Québec (Québec) G1R 5R8',
    ]);
    expect(contact.phone).toBe('418 644-4767');
    expect(contact.email).toBe('responsable-plaintes@sct.gouv.qc.ca');
  });

  it('has a version and an effective date', () => {
    const policy = loadSctPolicy();

    expect(policy.version).toMatch(/\S/);
    expect(policy.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each(WRITTEN_REQUEST_CATEGORIES)(
    'acknowledges a written %s request within 10 business days, automatically if nobody has',
    (id) => {
      const category = getCategory(loadSctPolicy(), id);

      expect(category.acknowledgement).toEqual({
        delay: { amount: 10, unit: 'business-days' },
        atDeadline: 'auto-acknowledge',
      });
    },
  );

  it.each(WRITTEN_REQUEST_CATEGORIES)(
    'reminds %s 3 business days before the acknowledgement deadline, then escalates the day before and on the day',
    (id) => {
      const category = getCategory(loadSctPolicy(), id);

      const ackSteps = stepsOf(category, 'ack-deadline').map((step) => [step.offset, step.notify]);

      expect(ackSteps).toEqual([
        [{ amount: -3, unit: 'business-days' }, category.confidential ? 'complaints-officer' : 'assignee'],
        [{ amount: -1, unit: 'business-days' }, 'supervisor'],
        [{ amount: 0, unit: 'business-days' }, 'director'],
      ]);
    },
  );

  it('acknowledges media requests within a few working hours and answers them within a business day', () => {
    const media = getCategory(loadSctPolicy(), 'media');

    expect(media.acknowledgement?.delay.unit).toBe('working-hours');
    expect(media.acknowledgement?.delay.amount).toBeLessThanOrEqual(8);
    expect(media.answer.standardDelay).toEqual({ amount: 1, unit: 'business-days' });
  });

  it.each(SCT_CATEGORY_IDS)(
    'keeps the %s answer delays sane and repeats overdue escalations a bounded number of times',
    (id) => {
      const category = getCategory(loadSctPolicy(), id);

      const overdue = stepsOf(category, 'answer-deadline').filter((step) => step.offset.amount > 0);

      expect(category.answer.maximumDelay.unit).toBe(category.answer.standardDelay.unit);
      expect(category.answer.maximumDelay.amount).toBeGreaterThanOrEqual(
        category.answer.standardDelay.amount,
      );
      expect(overdue.length).toBeGreaterThan(0);
      for (const step of overdue) expect(step.repeat?.maxRepeats).toBeLessThanOrEqual(10);
    },
  );

  it('handles service complaints confidentially, by the complaints officer, with the Protecteur du citoyen referral', () => {
    const complaint = getCategory(loadSctPolicy(), 'service-complaint');

    expect(complaint.confidential).toBe(true);
    expect(complaint.routing.handlerRole).toBe('complaints-officer');
    expect(complaint.referral?.to).toBe('protecteur-du-citoyen');
    expect(complaint.referral).toHaveProperty('dissatisfactionWindow');
  });

  it('gives the whole Protecteur du citoyen referral of the statement as data, and the complaints officer’s fax', () => {
    const policy = loadSctPolicy();
    expect(policy.complaintProcedure?.ombudsman.contact).toEqual({
      role: { fr: 'Protecteur du citoyen', en: 'Protecteur du citoyen (Québec Ombudsman)' },
      addressLines: [
        'Bureau du Protecteur du citoyen',
        '525, boul. René-Lévesque Est',
        'Bureau 1.25',
        'Québec (Québec) G1R 5Y4',
      ],
      phone: '1 800 463-5070',
      fax: '1 866 902-7130',
      email: 'protecteur@protecteurducitoyen.qc.ca',
      website: 'www.protecteurducitoyen.qc.ca',
    });
    expect(policy.organization.contact.fax).toBe('418 643-9226');
  });

  it('keeps only complaints and comments confidential, as the statement says the complaints officer handles both', () => {
    const policy = loadSctPolicy();

    const confidential = policy.categories
      .filter((category) => category.confidential)
      .map((category) => category.id);

    expect(confidential).toEqual(['service-complaint', 'comment']);
  });

  it('refers supplier complaints to the AMP in French and English', () => {
    const supplier = getCategory(loadSctPolicy(), 'supplier-complaint');

    expect(supplier.referral?.to).toBe('amp');
    for (const text of [supplier.referral?.text.fr, supplier.referral?.text.en]) {
      expect(text).toContain('Autorité des marchés publics');
      expect(text).toContain('amp.quebec');
    }
  });

  it('accepts written channels in every category', () => {
    const policy = loadSctPolicy();

    for (const category of policy.categories) expect(category.channels).toContain('email');
  });

  it('resolves every category to the organization calendar', () => {
    const policy = loadSctPolicy();

    expect(new Set(policy.categories.map((category) => category.calendarId))).toEqual(
      new Set(['qc-fonction-publique']),
    );
  });

  it('returns a fresh policy on each call, so one caller cannot change another caller’s policy', () => {
    const first = loadSctPolicy();
    getCategory(first, 'media').confidential = true;

    const second = loadSctPolicy();

    expect(getCategory(second, 'media').confidential).toBe(false);
  });
});

describe('getCategory', () => {
  it('finds a category by id', () => {
    const policy = loadSctPolicy();

    expect(getCategory(policy, 'doing-business').name.en).toBe('Doing business with the government');
  });

  it('throws a named error for a category the policy does not define', () => {
    const policy = loadSctPolicy();

    const act = () => getCategory(policy, 'parking-tickets');

    expect(act).toThrow(UnknownCategoryError);
    expect(act).toThrow(DomainError);
    expect(act).toThrow(
      expect.objectContaining({ name: 'UnknownCategoryError', categoryId: 'parking-tickets' }),
    );
  });
});

describe('the SCT policy as the Lambda functions read it (bundledSctPolicy)', () => {
  it('equals the validated policy, defaults and calendars resolved, without validating it again', () => {
    const validated = loadSctPolicy();

    const bundled = bundledSctPolicy();

    expect(bundled).toStrictEqual(validated);
  });

  it('is a fresh copy at each call, as the validated policy is', () => {
    const expected = loadSctPolicy();
    const first = bundledSctPolicy();
    first.organization.name.fr = 'Changé';
    first.categories.pop();

    const second = bundledSctPolicy();

    expect(second).toStrictEqual(expected);
  });
});
