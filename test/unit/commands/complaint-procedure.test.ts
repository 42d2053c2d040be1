import { acknowledge, answer, close, recordDissatisfaction } from '../../../shared/domain/case/commands';
import { caseContactBlock, contactBlock } from '../../../shared/domain/messaging/values';
import { referralFor } from '../../../shared/domain/messaging/referral';
import { loadSctPolicy } from '../../../shared/domain/policy';
import type { Category, Policy } from '../../../shared/domain/policy';
import { renderMessage } from '../../../shared/templates';
import type { TemplateRequest } from '../../../shared/templates';
import {
  AGENT,
  CASE_ID,
  COMPLAINTS_OFFICER,
  COMPLAINT_ID,
  ENGLISH_REQUESTER,
  FlakyLedger,
  harness,
  typesAfter,
} from './fixtures';

const REFERENCE = 'SCT-2026-000123';

/** The Protecteur du citoyen referral of the service statement, field by field. */
const REFERRAL_FIELDS = [
  '1 800 463-5070',
  'www.protecteurducitoyen.qc.ca',
  'Bureau du Protecteur du citoyen',
  '525, boul. René-Lévesque Est',
  'Bureau 1.25',
  'Québec (Québec) G1R 5Y4',
  '1 866 902-7130',
  'protecteur@protecteurducitoyen.qc.ca',
];

function category(policy: Policy, id: string): Category {
  const found = policy.categories.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no category ${id}`);
  return found;
}

describe('the Protecteur du citoyen referral, from the policy data', () => {
  it.each(['fr', 'en'] as const)(
    'gives every field of the statement (%s) for a complaint, a comment and a supplier complaint',
    (language) => {
      const policy = loadSctPolicy();
      for (const id of ['service-complaint', 'comment', 'supplier-complaint']) {
        const text = referralFor(policy, category(policy, id), language, REFERENCE);
        for (const field of REFERRAL_FIELDS) expect(text).toContain(field);
        expect(text).toContain(REFERENCE);
        expect(text).toMatch(language === 'fr' ? /Télécopieur/ : /Fax/);
      }
    },
  );

  it('follows the policy: another phone number in the data is the one the message gives', () => {
    const policy = loadSctPolicy();
    const ombudsman = policy.complaintProcedure?.ombudsman;
    expect(ombudsman).toBeDefined();
    ombudsman!.contact.phone = '1 800 000-0000';

    const text = referralFor(policy, category(policy, 'service-complaint'), 'fr', REFERENCE);

    expect(text).toContain('1 800 000-0000');
    expect(text).not.toContain('1 800 463-5070');
  });

  it('keeps the AMP paragraph for a supplier complaint, before the Protecteur du citoyen', () => {
    const policy = loadSctPolicy();
    const text = referralFor(policy, category(policy, 'supplier-complaint'), 'en', REFERENCE);
    expect(text.indexOf('amp.quebec')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('amp.quebec')).toBeLessThan(text.indexOf('1 800 463-5070'));
  });

  it('is not given with the answer to a request', () => {
    const policy = loadSctPolicy();
    expect(referralFor(policy, category(policy, 'statistics'), 'fr', REFERENCE)).toBe('');
  });

  it.each(['fr', 'en'] as const)('the rendered answer cover (%s) carries it, text and HTML', (language) => {
    const policy = loadSctPolicy();
    const referral = referralFor(policy, category(policy, 'comment'), language, REFERENCE);
    const { text, html } = renderMessage({
      template: 'answer-cover',
      language,
      values: {
        reference: REFERENCE,
        requesterName: 'Marie',
        subject: 'Sujet',
        answer: 'Réponse.',
        referral,
        contact: contactBlock(policy, language),
      },
    } as TemplateRequest);
    for (const field of REFERRAL_FIELDS) {
      expect(text).toContain(field);
      expect(html).toContain(field);
    }
  });
});

describe('contact blocks', () => {
  it.each([
    ['fr', 'Télécopieur : 418 643-9226'],
    ['en', 'Fax: 418 643-9226'],
  ] as const)('the complaints officer block (%s) gives the fax of the statement', (language, line) => {
    expect(contactBlock(loadSctPolicy(), language).split('\n')).toContain(line);
  });

  it.each(['fr', 'en'] as const)(
    'a request (%s) gives its unit for questions and the complaints officer only as the place to complain',
    (language) => {
      const policy = loadSctPolicy();
      const statistics = category(policy, 'statistics');
      const unit = statistics.contact;
      expect(unit).toBeDefined();

      const block = caseContactBlock(policy, statistics, language);

      expect(block.startsWith(unit!.role[language])).toBe(true);
      expect(block).toContain(unit!.email!);
      const officerLines = block.split('\n').filter((line) => line.includes('responsable-plaintes@'));
      expect(officerLines).toHaveLength(1);
      expect(officerLines[0]).toMatch(language === 'fr' ? /plainte/ : /complain/);
      expect(block).not.toContain('418 643-9226');
    },
  );

  it('a complaint or a comment gives the complaints officer block', () => {
    const policy = loadSctPolicy();
    for (const id of ['service-complaint', 'comment']) {
      expect(caseContactBlock(policy, category(policy, id), 'fr')).toBe(contactBlock(policy, 'fr'));
    }
  });

  it('the acknowledgement of a request gives the unit contact', async () => {
    const h = harness();
    await h.seed();
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    const contact = (h.notifier.sent[0]!.values as Record<string, string>).contact ?? '';
    expect(contact).toBe(caseContactBlock(h.deps.policy, category(h.deps.policy, 'statistics'), 'fr'));
    expect(contact.startsWith('Responsable des plaintes')).toBe(false);
  });
});

describe('the dissatisfaction review', () => {
  async function dissatisfiedComplaint() {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint', requester: ENGLISH_REQUESTER });
    await answer(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, message: 'We looked into it.' });
    h.clock.set('2026-03-09T15:00:00.000Z');
    const before = (await h.ledger.read(COMPLAINT_ID)).length;
    await recordDissatisfaction(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, channel: 'phone' });
    return { h, before };
  }

  it('plans the complaints officer’s review deadline from the policy, in business days', async () => {
    const { h, before } = await dissatisfiedComplaint();
    const review = h.deps.policy.complaintProcedure?.dissatisfactionReview;
    expect(review?.delay.unit).toBe('business-days');

    expect(await typesAfter(h.ledger, COMPLAINT_ID, before)).toEqual([
      'case.dissatisfied',
      'deadline.planned',
    ]);
    const deadline = (await h.ledger.getCase(COMPLAINT_ID))?.deadlines.review;
    expect(deadline?.proof.inputs.delay).toEqual(review?.delay);
    // Monday 9 March 2026 + 20 business days (Good Friday 3 April and Easter Monday 6 April skipped).
    expect(deadline?.dueDate).toBe('2026-04-08');
  });

  it('is idempotent: a retried dissatisfaction plans one deadline', async () => {
    const { h, before } = await dissatisfiedComplaint();

    const retry = await recordDissatisfaction(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      channel: 'phone',
    });

    expect(retry.replayed).toBe(true);
    expect(await typesAfter(h.ledger, COMPLAINT_ID, before)).toEqual([
      'case.dissatisfied',
      'deadline.planned',
    ]);
  });

  it('ends with a closing message carrying the referral when the officer closes the case', async () => {
    const { h } = await dissatisfiedComplaint();
    const sentBefore = h.notifier.sent.length;

    await close(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, outcome: 'answered' });

    expect(h.notifier.sent).toHaveLength(sentBefore + 1);
    const message = h.notifier.sent.at(-1)!;
    expect(message.template).toBe('review-conclusion');
    expect(message.language).toBe('en');
    const { text } = renderMessage(message as TemplateRequest);
    for (const field of REFERRAL_FIELDS) expect(text).toContain(field);
    const projection = await h.ledger.getCase(COMPLAINT_ID);
    expect(projection?.status).toBe('closed');
    expect(projection?.deadlines.review?.metAt).toBeDefined();
  });

  it('records the closing message with the closing in one ledger item: a failed write records neither', async () => {
    const { h } = await dissatisfiedComplaint();
    const before = await h.ledger.read(COMPLAINT_ID);
    const flaky = new FlakyLedger(h.ledger);
    flaky.failNextAppendOf('case.closed');

    await expect(
      close({ ...h.deps, ledger: flaky }, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, outcome: 'answered' }),
    ).rejects.toThrow('store unavailable');
    expect(await h.ledger.read(COMPLAINT_ID)).toEqual(before);

    await close(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, outcome: 'answered' });
    const after = await h.ledger.read(COMPLAINT_ID);
    expect(after.slice(before.length).map((event) => [event.seq, event.type])).toEqual([
      [before.length + 1, 'message.sent'],
      [before.length + 2, 'case.closed'],
    ]);
  });

  it('ends with the closing message, holding the new answer, when the officer answers again', async () => {
    const { h } = await dissatisfiedComplaint();

    await answer(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, message: 'We reviewed it again.' });

    const message = h.notifier.sent.at(-1)!;
    expect(message.template).toBe('review-conclusion');
    const { text } = renderMessage(message as TemplateRequest);
    expect(text).toContain('We reviewed it again.');
    expect(text).toContain('1 866 902-7130');
    expect((await h.ledger.getCase(COMPLAINT_ID))?.deadlines.review?.metAt).toBeDefined();
  });

  it.each(['close', 'answer'] as const)(
    'gives the complaints officer, who did the review, as the contact of a request’s review conclusion (%s)',
    async (how) => {
      const h = harness();
      await h.seed();
      await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
      await recordDissatisfaction(h.deps, COMPLAINTS_OFFICER, { caseId: CASE_ID, channel: 'phone' });
      const unitContact = category(h.deps.policy, 'statistics').contact;
      expect(unitContact).toBeDefined();

      if (how === 'close') await close(h.deps, COMPLAINTS_OFFICER, { caseId: CASE_ID, outcome: 'answered' });
      else await answer(h.deps, COMPLAINTS_OFFICER, { caseId: CASE_ID, message: 'Nous avons réexaminé.' });

      const message = h.notifier.sent.at(-1)!;
      expect(message.template).toBe('review-conclusion');
      const { text } = renderMessage(message as TemplateRequest);
      expect(text).toContain(contactBlock(h.deps.policy, 'fr'));
      expect(text).not.toContain(unitContact!.role.fr);
    },
  );

  it('sends no message when a case that was not reopened is closed', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    const sent = h.notifier.sent.length;
    await close(h.deps, AGENT, { caseId: CASE_ID, outcome: 'answered' });
    expect(h.notifier.sent).toHaveLength(sent);
  });
});
