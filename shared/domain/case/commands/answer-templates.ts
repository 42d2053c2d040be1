import type { CaseProjection } from '../../ledger/projection';
import { dateInWords, instantDateInWords } from '../../time/date-in-words';
import { fillAnswerTemplate } from '../../policy/answer-templates';
import type { AnswerTemplatePlaceholder, FilledAnswerTemplate } from '../../policy/answer-templates';
import type { Category, Policy } from '../../policy/schema';
import { citizenLanguage } from '../../../templates/language';

/**
 * The answer templates of a case's category, in the language the answer will go out in (the requester's,
 * by the language rule of `citizenLanguage`), with placeholders filled from the case: reference, requester's
 * name, subject, date received and promised answer date in words, category name, and the contact for the case
 * on one line (the category's unit for a request, the complaints officer otherwise). A value the case does
 * not have yet (no reference, no promised date and no answer deadline) is left as `{name}` and listed in
 * `unfilled`. Case content: only for readers with the `content` scope.
 */
export function answerTemplatesFor(
  policy: Policy,
  category: Category,
  projection: CaseProjection,
): FilledAnswerTemplate[] {
  const templates = category.answerTemplates ?? [];
  if (templates.length === 0) return [];
  const language = citizenLanguage(projection.requester);
  const answerBy = projection.promisedAnswerDate ?? projection.deadlines.answer?.dueDate;
  const values: Partial<Record<AnswerTemplatePlaceholder, string>> = {
    ...(projection.reference !== undefined ? { reference: projection.reference } : {}),
    requesterName: projection.requester.name,
    subject: projection.subject,
    receivedDate: instantDateInWords(projection.receivedAt, language),
    ...(answerBy !== undefined ? { answerBy: dateInWords(answerBy, language) } : {}),
    categoryName: category.name[language],
    unitContact: unitContactLine(policy, category, language),
  };
  return templates.map((template) => fillAnswerTemplate(template, language, values));
}

/** Who answers questions about the case, on one line: « role (email, telephone) ». */
function unitContactLine(policy: Policy, category: Category, language: 'fr' | 'en'): string {
  const contact =
    category.kind === 'request' && category.contact !== undefined
      ? category.contact
      : policy.organization.contact;
  const reach = [contact.email, contact.phone, contact.website].filter((v): v is string => v !== undefined);
  return reach.length === 0 ? contact.role[language] : `${contact.role[language]} (${reach.join(', ')})`;
}
