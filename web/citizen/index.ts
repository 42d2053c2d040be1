import type { Policy } from '../../shared/domain/policy/schema';
import { renderFormPage } from './form-page';
import { CITIZEN_PAGES, type CitizenPage } from './site';

export { acknowledgementWhen, confirmationContent, renderConfirmationPage } from './confirmation-page';
export type { ConfirmationPageOptions } from './confirmation-page';
export { renderFormPage } from './form-page';
export type { FormPageError, FormPageOptions, FormValues } from './form-page';
export { escapeHtml } from './html';
export { CITIZEN_PAGES, FORM_ACTION, FORM_HOME, STATIC_ASSETS } from './site';
export type { CitizenPage } from './site';
export { CITIZEN_STRINGS } from './strings';
export type { CitizenStrings, PageLanguage } from './strings';

/**
 * The static pages of the citizen site, rendered once (at synth time for CDK, at start for the local server):
 * one empty form per address of `CITIZEN_PAGES`, with the object key it is uploaded under.
 */
export function renderCitizenSite(policy?: Policy): (CitizenPage & { readonly html: string })[] {
  return CITIZEN_PAGES.map((page) => ({
    ...page,
    html: renderFormPage({ language: page.language, ...(policy !== undefined ? { policy } : {}) }),
  }));
}
