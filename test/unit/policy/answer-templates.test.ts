import {
  ANSWER_TEMPLATE_PLACEHOLDERS,
  fillAnswerTemplate,
  loadPolicy,
  loadSctPolicy,
  placeholdersIn,
  PolicyError,
  SCT_CATEGORY_IDS,
} from '../../../shared/domain/policy';
import type { PolicyIssue } from '../../../shared/domain/policy';
import { getAt, readPolicyDocument, setAt } from './policy-documents';

function issuesOf(document: unknown): readonly PolicyIssue[] {
  try {
    loadPolicy(document, { source: 'variant.json' });
  } catch (error) {
    if (error instanceof PolicyError) return error.issues;
    throw error;
  }
  throw new Error('the policy variant loaded without error');
}

describe('answer templates in the SCT policy', () => {
  const policy = loadSctPolicy();

  it.each(SCT_CATEGORY_IDS)(
    '%s has at least two templates, each titled and written in French and English',
    (id) => {
      const templates = policy.categories.find((category) => category.id === id)?.answerTemplates ?? [];

      expect(templates.length).toBeGreaterThanOrEqual(2);
      expect(new Set(templates.map((template) => template.id)).size).toBe(templates.length);
      for (const template of templates) {
        for (const language of ['fr', 'en'] as const) {
          expect(template.title[language].trim().length).toBeGreaterThan(3);
          expect(template.body[language].trim().length).toBeGreaterThan(80);
          expect(template.body[language]).not.toMatch(/lorem|ipsum|TODO|XXX/i);
        }
        expect(template.title.fr).not.toBe(template.title.en);
        expect(template.body.fr).not.toBe(template.body.en);
        // The same placeholders in both languages: the two versions say the same thing.
        expect(placeholdersIn(template.body.fr).sort()).toEqual(placeholdersIn(template.body.en).sort());
      }
    },
  );

  it('uses French typography in French (no straight apostrophe) and known placeholders only', () => {
    for (const category of policy.categories) {
      for (const template of category.answerTemplates ?? []) {
        expect(template.body.fr).not.toContain("'");
        for (const language of ['fr', 'en'] as const) {
          for (const name of placeholdersIn(template.body[language])) {
            expect(ANSWER_TEMPLATE_PLACEHOLDERS).toContain(name);
          }
        }
      }
    }
  });
});

describe('answer templates are checked when the policy loads', () => {
  it('an unknown placeholder is a policy error naming the template, its field and the placeholder', () => {
    const document = readPolicyDocument('sct.json');
    const body = getAt(document, ['categories', 0, 'answerTemplates', 0, 'body', 'fr']) as string;
    setAt(document, ['categories', 0, 'answerTemplates', 0, 'body', 'fr'], `${body} {numeroDossier}`);
    const id = getAt(document, ['categories', 0, 'answerTemplates', 0, 'id']) as string;

    const issues = issuesOf(document);

    expect(issues).toEqual([
      {
        path: 'categories[0].answerTemplates[0].body.fr',
        message: expect.stringContaining(`template "${id}" uses the unknown placeholder {numeroDossier}`),
        messageFr: expect.stringContaining(
          `le modèle « ${id} » utilise l’espace réservé inconnu {numeroDossier}`,
        ),
      },
    ]);
    expect(issues[0]?.message).toContain('{reference}');
  });

  it('a placeholder in a title is checked too, and a malformed one ({ reference }) is unknown', () => {
    const document = readPolicyDocument('sct.json');
    setAt(document, ['categories', 2, 'answerTemplates', 1, 'title', 'en'], 'About { reference }');

    expect(issuesOf(document).map((issue) => issue.path)).toEqual([
      'categories[2].answerTemplates[1].title.en',
    ]);
  });

  it('two templates of a category with the same id are refused', () => {
    const document = readPolicyDocument('sct.json');
    const first = getAt(document, ['categories', 1, 'answerTemplates', 0, 'id']);
    setAt(document, ['categories', 1, 'answerTemplates', 1, 'id'], first);

    const issues = issuesOf(document);

    expect(issues.map((issue) => issue.path)).toEqual(['categories[1].answerTemplates[1].id']);
    expect(issues[0]?.message).toContain(`duplicates the template id "${String(first)}"`);
  });

  it('a policy without templates still loads (they are optional)', () => {
    const document = readPolicyDocument('sct.json') as { categories: Record<string, unknown>[] };
    for (const category of document.categories) delete category['answerTemplates'];

    expect(loadPolicy(document).categories.every((category) => category.answerTemplates === undefined)).toBe(
      true,
    );
  });
});

describe('fillAnswerTemplate', () => {
  const template = {
    id: 'suivi',
    title: { fr: 'Suivi du dossier {reference}', en: 'Follow-up on case {reference}' },
    body: {
      fr: 'Madame, Monsieur {requesterName},\nVotre demande du {receivedDate} ({reference}) : réponse au plus tard le {answerBy}.',
      en: 'Dear {requesterName},\nYour request of {receivedDate} ({reference}): answer by {answerBy}.',
    },
  };

  it('fills every placeholder it has a value for, in the language asked', () => {
    const filled = fillAnswerTemplate(template, 'fr', {
      reference: 'SCT-2026-000001',
      requesterName: 'Marie Gagnon',
      receivedDate: 'lundi 2 mars 2026',
      answerBy: 'lundi 30 mars 2026',
    });

    expect(filled).toEqual({
      id: 'suivi',
      title: 'Suivi du dossier SCT-2026-000001',
      body: 'Madame, Monsieur Marie Gagnon,\nVotre demande du lundi 2 mars 2026 (SCT-2026-000001) : réponse au plus tard le lundi 30 mars 2026.',
      unfilled: [],
    });
  });

  it('leaves a placeholder without value visible and lists it, never inventing a value', () => {
    const filled = fillAnswerTemplate(template, 'en', {
      reference: 'SCT-2026-000001',
      requesterName: 'John Smith',
      receivedDate: 'Monday, March 2, 2026',
    });

    expect(filled.body).toBe(
      'Dear John Smith,\nYour request of Monday, March 2, 2026 (SCT-2026-000001): answer by {answerBy}.',
    );
    expect(filled.unfilled).toEqual(['answerBy']);
  });

  it('inserts values once: a value that looks like a placeholder stays as written', () => {
    const filled = fillAnswerTemplate(template, 'en', {
      reference: 'SCT-2026-000001',
      requesterName: '{answerBy} & <b>Smith</b>',
      receivedDate: 'Monday, March 2, 2026',
      answerBy: 'Monday, March 30, 2026',
    });

    expect(filled.body).toBe(
      'Dear {answerBy} & <b>Smith</b>,\nYour request of Monday, March 2, 2026 (SCT-2026-000001): answer by Monday, March 30, 2026.',
    );
    expect(filled.unfilled).toEqual([]);
  });
});
