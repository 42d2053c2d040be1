import type { PageLanguage } from './strings';

/** Where the form posts (the citizen HTTP API, same origin behind CloudFront). */
export const FORM_ACTION = '/api/requests';

/**
 * The static files of `web/static/`, uploaded at the root of the site bucket (`Source.asset('web/static')`).
 */
export const STATIC_ASSETS = { stylesheet: '/citizen.css', script: '/form.js' } as const;

/** A page of the citizen site: its public path, the bucket object that serves it, its language. */
export interface CitizenPage {
  readonly path: string;
  readonly objectKey: string;
  readonly language: PageLanguage;
  /** What the page shows: the empty request form, or the service statement. */
  readonly page: 'form' | 'statement';
}

/** The service statement page (services, commitments, how to complain), in each language. */
export const STATEMENT_PAGE: Readonly<Record<PageLanguage, string>> = {
  fr: '/declaration-de-services',
  en: '/en/service-statement',
};

/**
 * The form's addresses: French at `/` (and `/demande`), English at `/en/` (and `/en/request`); the service
 * statement at `STATEMENT_PAGE`. CloudFront
 * serves `index.html` for `/` only: the other paths need a viewer-request function that appends
 * `index.html` to a path ending in `/` or without an extension.
 */
export const CITIZEN_PAGES: readonly CitizenPage[] = [
  { path: '/', objectKey: 'index.html', language: 'fr', page: 'form' },
  { path: '/demande', objectKey: 'demande/index.html', language: 'fr', page: 'form' },
  { path: '/en/', objectKey: 'en/index.html', language: 'en', page: 'form' },
  { path: '/en/request', objectKey: 'en/request/index.html', language: 'en', page: 'form' },
  {
    path: STATEMENT_PAGE.fr,
    objectKey: 'declaration-de-services/index.html',
    language: 'fr',
    page: 'statement',
  },
  {
    path: STATEMENT_PAGE.en,
    objectKey: 'en/service-statement/index.html',
    language: 'en',
    page: 'statement',
  },
];

/** The home of the form in each language (the language switch and "send another request" links). */
export const FORM_HOME: Readonly<Record<PageLanguage, string>> = { fr: '/', en: '/en/' };
