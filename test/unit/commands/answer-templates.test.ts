import { acknowledge, getCase } from '../../../shared/domain/case/commands';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINT_ID,
  COMPLAINTS_OFFICER,
  ENGLISH_REQUESTER,
  harness,
} from './fixtures';

const policy = loadSctPolicy();
const templatesOf = (category: string) =>
  policy.categories.find((candidate) => candidate.id === category)?.answerTemplates ?? [];

describe('answer templates on the case page', () => {
  it('lists the templates of the case’s category in French for a French requester, filled from the case', async () => {
    const h = harness();
    await h.seed();

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    const templates = templatesOf('statistics');
    expect(detail.answerTemplates?.map((template) => template.id)).toEqual(templates.map((t) => t.id));
    expect(detail.answerTemplates?.map((template) => template.title)).toEqual(
      templates.map((t) => t.title.fr),
    );
    for (const template of detail.answerTemplates ?? []) {
      expect(template.body).not.toMatch(
        /\{(reference|requesterName|subject|receivedDate|categoryName|unitContact)\}/,
      );
    }
    const all = (detail.answerTemplates ?? []).map((template) => template.body).join('\n');
    expect(all).toContain('lundi 2 mars 2026');
  });

  it('fills the promised answer date once there is one; lists it as unfilled before', async () => {
    const h = harness();
    await h.seed();
    h.deps.policy.categories
      .find((category) => category.id === 'statistics')
      ?.answerTemplates?.push({
        id: 'suivi',
        title: { fr: 'Suivi', en: 'Follow-up' },
        body: { fr: 'Réponse au plus tard le {answerBy}.', en: 'Answer by {answerBy}.' },
      });
    const before = await getCase(h.deps, AGENT, CASE_ID);
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    const after = await getCase(h.deps, AGENT, CASE_ID);

    expect(before.answerTemplates?.find((t) => t.id === 'suivi')).toMatchObject({
      body: 'Réponse au plus tard le {answerBy}.',
      unfilled: ['answerBy'],
    });
    expect(after.answerTemplates?.find((t) => t.id === 'suivi')).toEqual({
      id: 'suivi',
      title: 'Suivi',
      body: 'Réponse au plus tard le vendredi 20 mars 2026.',
      unfilled: [],
    });
  });

  it('fills the reference, the name, the category and the unit’s contact', async () => {
    const h = harness();
    await h.seed();
    h.deps.policy.categories
      .find((category) => category.id === 'statistics')
      ?.answerTemplates?.splice(0, Infinity, {
        id: 'tout',
        title: { fr: 'Tout {reference}', en: 'All {reference}' },
        body: {
          fr: '{requesterName} | {subject} | {categoryName} | {unitContact}',
          en: '{requesterName} | {subject} | {categoryName} | {unitContact}',
        },
      });

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.answerTemplates).toEqual([
      {
        id: 'tout',
        title: 'Tout SCT-2026-000001',
        body:
          'Marie Gagnon | Effectifs de la fonction publique 2025 | Statistiques sur l’effectif et les acquisitions | ' +
          'Secrétariat du Conseil du trésor – Statistiques sur l’effectif et les acquisitions (statistiques@sct.gouv.qc.ca)',
        unfilled: [],
      },
    ]);
  });

  it('gives an English requester (with a language basis) the English templates', async () => {
    const h = harness();
    await h.seed({ requester: ENGLISH_REQUESTER });

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.answerTemplates?.map((template) => template.title)).toEqual(
      templatesOf('statistics').map((t) => t.title.en),
    );
    expect((detail.answerTemplates ?? []).map((t) => t.body).join('\n')).toContain('Monday, March 2, 2026');
  });

  it('gives the complaints officer the complaint templates; metadata readers get none', async () => {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });

    const officer = await getCase(h.deps, COMPLAINTS_OFFICER, COMPLAINT_ID);
    const auditor = await getCase(h.deps, AUDITOR, COMPLAINT_ID);
    const admin = await getCase(h.deps, ADMIN, CASE_ID);

    expect(officer.answerTemplates?.map((t) => t.id)).toEqual(
      templatesOf('service-complaint').map((t) => t.id),
    );
    expect(auditor.answerTemplates).toBeUndefined();
    expect(admin.answerTemplates).toBeUndefined();
    expect(JSON.stringify(auditor)).not.toContain('Marie');
  });
});
