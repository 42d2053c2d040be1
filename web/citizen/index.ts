import type { Policy } from '../../shared/domain/policy/schema';
import { renderFormPage } from './form-page';
import { renderStatementPage } from './statement-page';
import { CITIZEN_PAGES, type CitizenPage } from './site';

export { acknowledgementWhen, confirmationContent, renderConfirmationPage } from './confirmation-page';
export type { ConfirmationPageOptions } from './confirmation-page';
export { renderFormPage } from './form-page';
export type { FormPageError, FormPageOptions, FormValues } from './form-page';
export { escapeHtml } from './html';
export { CITIZEN_PAGES, FORM_ACTION, FORM_HOME, STATEMENT_PAGE, STATIC_ASSETS } from './site';
export { renderStatementPage } from './statement-page';
export type { StatementPageOptions } from './statement-page';
export type { CitizenPage } from './site';
export { CITIZEN_STRINGS } from './strings';
export type { CitizenStrings, PageLanguage } from './strings';

/**
 * The static pages of the citizen site, rendered once (at synth time for CDK, at start for the local server):
 * one empty form per form address of `CITIZEN_PAGES` and the service statement in each language, with the
 * object key each is uploaded under.
 */
export function renderCitizenSite(policy?: Policy): (CitizenPage & { readonly html: string })[] {
  const withPolicy = policy !== undefined ? { policy } : {};
  return CITIZEN_PAGES.map((page) => ({
    ...page,
    html:
      page.page === 'statement'
        ? renderStatementPage({ language: page.language, ...withPolicy })
        : renderFormPage({ language: page.language, ...withPolicy }),
  }));
}
