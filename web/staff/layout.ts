import type { Policy } from '../../shared/domain/policy/schema';
import { attributes, escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import { authMeta, type StaffAuthConfig } from './auth-config';
import { dashboardNavLink } from './dashboard-pages';
import { dashboardScriptText } from './dashboard-strings';
import { whatIfScriptText } from './what-if-strings';
import { intakeNavLinks, intakeScriptText } from './intake-pages';
import { STAFF_STATIC_ASSETS, staffHome, staffPathIn } from './site';
import type { StaffPageKind } from './site';
import { SCRIPT_TEXT_KEYS, STAFF_STRINGS } from './strings';
import { unitNames } from './unit-names';

export interface StaffLayoutOptions {
  readonly language: PageLanguage;
  readonly kind: StaffPageKind;
  /** The address the page is served at (the language switch keeps it). */
  readonly pathname: string;
  readonly policy: Policy;
  /** How the page signs in: read by the scripts from `<meta name="jalon-auth">`. */
  readonly auth: StaffAuthConfig;
  readonly title: string;
  /** The content of `<main>` (already escaped HTML). */
  readonly main: string;
}

/**
 * The words the scripts show, as `<data value="key">text</data>` in an inert `<template>`: the scripts read
 * them there (no inline script under the Content Security Policy), with the policy's category and unit names.
 */
function scriptText(policy: Policy, language: PageLanguage): string {
  const text = STAFF_STRINGS[language].script;
  const entries = [
    ...SCRIPT_TEXT_KEYS.map((key) => [key, text[key]] as const),
    ...intakeScriptText(language),
    ...dashboardScriptText(language),
    ...whatIfScriptText(language),
    ...policy.categories.map((category) => [`category.${category.id}`, category.name[language]] as const),
    ...unitNames(policy, language).map(([unit, name]) => [`unit.${unit}`, name] as const),
    ...Object.entries(STAFF_STRINGS[language].roles).map(([role, name]) => [`role.${role}`, name] as const),
  ];
  return `<template id="staff-text">\n${entries
    .map(([key, value]) => `<data value="${escapeHtml(key)}">${escapeHtml(value)}</data>`)
    .join('\n')}\n</template>`;
}

/**
 * The search box of the header: a GET form to the work list (`?q=…`); the script sends it to the work list
 * searching open and closed cases, or opens the case directly when the text is a reference
 * (`headerSearchTarget` in `staff-common.js`).
 */
function headerSearch(language: PageLanguage): string {
  const text = STAFF_STRINGS[language].search;
  return `<form class="header-search" role="search" aria-label="${escapeHtml(text.label)}" action="${staffHome('work-list', language)}" method="get" data-header-search>
<label for="header-search-q">${escapeHtml(text.label)}</label>
<input type="search" id="header-search-q" name="q" maxlength="200" autocomplete="off" spellcheck="false" aria-describedby="header-search-hint" required>
<button type="submit">${escapeHtml(text.submit)}</button>
<p id="header-search-hint" class="hint">${escapeHtml(text.hint)}</p>
</form>
`;
}

/**
 * The shell of every staff page: `lang` on the document, a skip link, the site name, the case search box (not
 * on the login page), navigation (work list, audit) and the session (name, sign-out) that the script fills once a session exists, a link to the same page
 * in the other language, `<main>` as the skip target, one polite live region for status messages, and no
 * inline script or style.
 */
export function renderStaffLayout(options: StaffLayoutOptions): string {
  const { language, kind } = options;
  const text = STAFF_STRINGS[language];
  const other: PageLanguage = language === 'fr' ? 'en' : 'fr';
  const script =
    kind === 'audit'
      ? STAFF_STATIC_ASSETS.auditScript
      : kind === 'intake'
        ? STAFF_STATIC_ASSETS.intakeScript
        : kind === 'holding'
          ? STAFF_STATIC_ASSETS.holdingScript
          : kind === 'dashboard'
            ? STAFF_STATIC_ASSETS.dashboardScript
            : STAFF_STATIC_ASSETS.staffScript;
  const otherPath = staffPathIn(options.pathname, other);
  const navigation =
    kind === 'login' || kind === 'callback' || kind === 'session-expired'
      ? ''
      : `<nav class="site-nav" aria-label="${escapeHtml(text.userNavLabel)}" data-session-nav hidden>
<ul>
<li><a href="${staffHome('work-list', language)}">${escapeHtml(text.workListLink)}</a></li>
${intakeNavLinks(language, language === 'en' ? '/en' : '')}
<li><a href="${staffHome('audit', language)}">${escapeHtml(text.auditLink)}</a></li>
${dashboardNavLink(language, language === 'en' ? '/en' : '')}
<li><span class="session-user" data-testid="session-user"></span></li>
<li><button type="button" class="link-button" data-sign-out>${escapeHtml(text.signOut)}</button></li>
</ul>
</nav>
`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${authMeta(options.auth)}
<title>${escapeHtml(options.title)} – Jalon</title>
<link rel="stylesheet" href="${STAFF_STATIC_ASSETS.stylesheet}">
<link rel="alternate" hreflang="${other}" href="${escapeHtml(otherPath)}">
<script type="module" src="${script}"></script>
</head>
<body${attributes({ 'data-page': kind, 'data-language': language })}>
<a class="skip-link" href="#main">${escapeHtml(text.skipLink)}</a>
<header class="site-header">
<div class="wrap header-row">
<p class="site-name">${escapeHtml(text.siteName)}</p>
${kind === 'login' ? '' : headerSearch(language)}${navigation}<nav aria-label="${escapeHtml(text.languageNavLabel)}">
<a class="language-link" href="${escapeHtml(otherPath)}" hreflang="${other}" lang="${other}">${escapeHtml(text.otherLanguageName)}</a>
</nav>
</div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
${options.main}
</div>
</main>
<footer class="site-footer">
<div class="wrap"><p>${escapeHtml(text.footer)}</p></div>
</footer>
${scriptText(options.policy, language)}
</body>
</html>
`;
}
