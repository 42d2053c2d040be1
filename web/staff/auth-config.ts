import { escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';

/**
 * How a staff page opens a session, rendered into the page (`<meta name="jalon-auth">`) and read by
 * `web/static/staff-auth.js`: the same scripts serve the local stack and AWS.
 * - `local`: the demo login of the local stack (`loginEndpoint` issues a token for a demo role).
 * - `cognito`: the Cognito hosted sign-in, authorization code with PKCE; `domain` is the user pool domain's
 *   base URL, `redirectUri` and `logoutUri` are registered on the user pool client (`StaffUserPool`).
 */
export type StaffAuthConfig =
  | { readonly auth: 'local'; readonly loginEndpoint: string }
  | {
      readonly auth: 'cognito';
      readonly domain: string;
      readonly clientId: string;
      readonly redirectUri: string;
      readonly logoutUri: string;
    };

/** The local stack's demo login. Only the local server renders pages with it. */
export const LOCAL_AUTH_CONFIG: StaffAuthConfig = { auth: 'local', loginEndpoint: '/api/local/login' };

/** The callback page (where the hosted UI sends the code) and the sign-in page, under a site's base URL. */
export const STAFF_AUTH_PATHS = {
  callback: 'staff/auth/callback',
  login: 'staff/login',
} as const;

function languagePrefix(language: PageLanguage): string {
  return language === 'en' ? 'en/' : '';
}

/**
 * The addresses the user pool client must allow for a site whose base URL is `siteUrl` (ends with `/`):
 * the callback page and the sign-in page (where sign-out lands) in each language.
 */
export function staffAuthUrls(siteUrl: string): { callbackUrls: string[]; logoutUrls: string[] } {
  const languages: PageLanguage[] = ['fr', 'en'];
  return {
    callbackUrls: languages.map((l) => `${siteUrl}${languagePrefix(l)}${STAFF_AUTH_PATHS.callback}`),
    logoutUrls: languages.map((l) => `${siteUrl}${languagePrefix(l)}${STAFF_AUTH_PATHS.login}`),
  };
}

/** The Cognito configuration of a page in `language` (its callback and sign-out pages in the same language). */
export function cognitoAuthConfig(
  options: { readonly domain: string; readonly clientId: string; readonly siteUrl: string },
  language: PageLanguage,
): StaffAuthConfig {
  const prefix = languagePrefix(language);
  return {
    auth: 'cognito',
    domain: options.domain,
    clientId: options.clientId,
    redirectUri: `${options.siteUrl}${prefix}${STAFF_AUTH_PATHS.callback}`,
    logoutUri: `${options.siteUrl}${prefix}${STAFF_AUTH_PATHS.login}`,
  };
}

/** The `<meta>` element carrying the configuration (JSON, attribute-escaped; no inline script under the CSP). */
export function authMeta(config: StaffAuthConfig): string {
  return `<meta name="jalon-auth" content="${escapeHtml(JSON.stringify(config))}">`;
}
