import type { BilingualMessage } from './messages';

/**
 * The placeholders an answer template may use, each filled from the case when the case page offers the
 * template (see `answerTemplatesFor`):
 * - `reference`: the case reference (`SCT-2026-000123`);
 * - `requesterName`: the requester's name as recorded;
 * - `subject`: the subject of the request;
 * - `receivedDate`: the day the request was received (Québec date, in words);
 * - `answerBy`: the promised answer date (or the answer deadline), in words;
 * - `categoryName`: the name of the case's category;
 * - `unitContact`: who answers questions about the case, on one line (the unit of a request, the complaints
 *   officer for a complaint or a comment).
 */
export const ANSWER_TEMPLATE_PLACEHOLDERS = [
  'reference',
  'requesterName',
  'subject',
  'receivedDate',
  'answerBy',
  'categoryName',
  'unitContact',
] as const;
export type AnswerTemplatePlaceholder = (typeof ANSWER_TEMPLATE_PLACEHOLDERS)[number];

/** `{name}`: anything between single braces, so that a misspelt `{ reference }` is caught, not left as text. */
const PLACEHOLDER = /\{([^{}\n]*)\}/g;

/** The distinct placeholder names a template text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/** What an answer template holds, in both languages. */
export interface AnswerTemplateText {
  readonly id: string;
  readonly title: { readonly fr: string; readonly en: string };
  readonly body: { readonly fr: string; readonly en: string };
}

/** A template in one language, ready for the answer form. */
export interface FilledAnswerTemplate {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** Placeholders the case gave no value for (left as `{name}` in the text for the person to complete). */
  readonly unfilled: readonly AnswerTemplatePlaceholder[];
}

/**
 * An answer template in one language with its placeholders replaced by the values given. Each value is
 * inserted once and never scanned again (a requester's name written `{answerBy}` stays as written). A
 * placeholder without a value is left visible in the text and listed in `unfilled`: a template never invents
 * a date or a reference.
 */
export function fillAnswerTemplate(
  template: AnswerTemplateText,
  language: 'fr' | 'en',
  values: Partial<Record<AnswerTemplatePlaceholder, string>>,
): FilledAnswerTemplate {
  const unfilled = new Set<AnswerTemplatePlaceholder>();
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => {
      const value = (values as Record<string, string | undefined>)[name];
      if (value !== undefined) return value;
      if ((ANSWER_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
        unfilled.add(name as AnswerTemplatePlaceholder);
      }
      return whole;
    });
  const title = fill(template.title[language]);
  const body = fill(template.body[language]);
  return { id: template.id, title, body, unfilled: [...unfilled] };
}

/** Reports a broken rule of the answer templates (zod path, message in English and French). */
type ReportIssue = (path: readonly PropertyKey[], message: BilingualMessage) => void;

/**
 * The rules of a category's answer templates, checked when the policy loads: template ids are unique within
 * the category, and every `{placeholder}` of a title or a body, in either language, is one of
 * `ANSWER_TEMPLATE_PLACEHOLDERS` (the message names the template, the placeholder and the known ones).
 */
export function checkAnswerTemplates(
  templates: readonly AnswerTemplateText[] | undefined,
  at: readonly PropertyKey[],
  report: ReportIssue,
): void {
  const seen = new Map<string, number>();
  const known = ANSWER_TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
  (templates ?? []).forEach((template, index) => {
    const here = [...at, 'answerTemplates', index];
    const first = seen.get(template.id);
    if (first !== undefined) {
      report([...here, 'id'], {
        en: `duplicates the template id "${template.id}" of answerTemplates[${first}]`,
        fr: `reprend l’identifiant de modèle « ${template.id} » de answerTemplates[${first}]`,
      });
    } else {
      seen.set(template.id, index);
    }
    for (const field of ['title', 'body'] as const) {
      for (const language of ['fr', 'en'] as const) {
        const unknown = placeholdersIn(template[field][language]).filter(
          (name) => !(ANSWER_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name),
        );
        for (const name of unknown) {
          report([...here, field, language], {
            en: `template "${template.id}" uses the unknown placeholder {${name}}; known: ${known}`,
            fr: `le modèle « ${template.id} » utilise l’espace réservé inconnu {${name}}; connus : ${known}`,
          });
        }
      }
    }
  });
}
