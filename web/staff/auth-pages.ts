import { escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import type { StaffAuthConfig } from './auth-config';
import { STAFF_AUTH_STRINGS } from './auth-strings';
import { staffHome } from './site';
import { STAFF_STRINGS } from './strings';

const LIVE_REGIONS = `<p id="page-status" class="page-status" role="status" aria-live="polite"></p>
<div id="page-alert" class="page-alert" role="alert"></div>`;

/** The sign-in page with the Cognito hosted sign-in: one button (the script starts the PKCE redirect). */
function cognitoLoginMain(language: PageLanguage): string {
  const text = STAFF_STRINGS[language];
  const auth = STAFF_AUTH_STRINGS[language];
  return `<h1>${escapeHtml(text.loginTitle)}</h1>
<p>${escapeHtml(auth.cognitoIntro)}</p>
${LIVE_REGIONS}
<p class="hint" id="sign-in-hint">${escapeHtml(auth.cognitoHint)}</p>
<button type="button" id="sign-in" aria-describedby="sign-in-hint" data-login-failed="${escapeHtml(text.loginFailed)}">${escapeHtml(auth.cognitoSubmit)}</button>`;
}

/** Where the hosted sign-in comes back with the code: the script exchanges it, or says why it cannot. */
function callbackMain(language: PageLanguage): string {
  const auth = STAFF_AUTH_STRINGS[language];
  return `<h1>${escapeHtml(auth.callbackTitle)}</h1>
${LIVE_REGIONS}
<p data-callback-working>${escapeHtml(auth.callbackWorking)}</p>
<div id="callback-failed" hidden>
<p>${escapeHtml(auth.callbackFailed)}</p>
<p><a href="${staffHome('login', language)}">${escapeHtml(auth.callbackRetry)}</a></p>
</div>`;
}

/** The page a person lands on when their session ends (expired token, or the API answered 401). */
function sessionExpiredMain(language: PageLanguage): string {
  const auth = STAFF_AUTH_STRINGS[language];
  return `<h1>${escapeHtml(auth.expiredTitle)}</h1>
${LIVE_REGIONS}
<p>${escapeHtml(auth.expiredIntro)}</p>
<p>${escapeHtml(auth.expiredUnsaved)}</p>
<p><a id="sign-in-again" href="${staffHome('login', language)}">${escapeHtml(auth.expiredSignIn)}</a></p>`;
}

/**
 * The `<main>` and title of a sign-in page (`login`, `callback`, `session-expired`) for a sign-in strategy;
 * `undefined` for the local demo login page, which `pages.ts` renders.
 */
export function authPage(
  kind: 'login' | 'callback' | 'session-expired',
  language: PageLanguage,
  config: StaffAuthConfig,
): { readonly main: string; readonly title: string } | undefined {
  const auth = STAFF_AUTH_STRINGS[language];
  if (kind === 'callback') return { main: callbackMain(language), title: auth.callbackTitle };
  if (kind === 'session-expired') return { main: sessionExpiredMain(language), title: auth.expiredTitle };
  if (config.auth === 'cognito') {
    return { main: cognitoLoginMain(language), title: STAFF_STRINGS[language].loginTitle };
  }
  return undefined;
}
