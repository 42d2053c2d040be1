import type { Policy } from '../../shared/domain/policy/schema';
import { attributes, escapeHtml } from './html';
import { FORM_HOME, STATIC_ASSETS } from './site';
import { CITIZEN_STRINGS, type PageLanguage } from './strings';

export interface LayoutOptions {
  readonly language: PageLanguage;
  readonly policy: Policy;
  /** The page's `<title>` before the organization name. */
  readonly title: string;
  /** The content of `<main>` (already escaped HTML). */
  readonly main: string;
  /** Loads `form.js` (the form page only). */
  readonly script: boolean;
  /** The same page in the other language; the form's home when absent. */
  readonly alternate?: string;
}

/** The organization's name in a page; marked French when the page is English and the name is the French one. */
export function organizationName(policy: Policy, language: PageLanguage): string {
  const name = policy.organization.name[language];
  const lang = language === 'en' && name === policy.organization.name.fr ? 'fr' : undefined;
  return `<span${attributes({ lang })}>${escapeHtml(name)}</span>`;
}

/**
 * The shell of every citizen page: `lang` on the document, a skip link, the organization's name, a link to the
 * same page in the other language (with its own `lang` and `hreflang`), `<main>` as the skip target, and no
 * inline script or style (the Content Security Policy allows only same-origin files).
 */
export function renderLayout(options: LayoutOptions): string {
  const { language, policy } = options;
  const text = CITIZEN_STRINGS[language];
  const other: PageLanguage = language === 'fr' ? 'en' : 'fr';
  const plainName = policy.organization.name[language];
  const alternate = options.alternate ?? FORM_HOME[other];
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – ${escapeHtml(plainName)}</title>
<link rel="stylesheet" href="${STATIC_ASSETS.stylesheet}">
<link rel="alternate" hreflang="${other}" href="${alternate}">
${options.script ? `<script type="module" src="${STATIC_ASSETS.script}"></script>\n` : ''}</head>
<body>
<a class="skip-link" href="#main">${escapeHtml(text.skipLink)}</a>
<header class="site-header">
<div class="wrap header-row">
<p class="site-name">${organizationName(policy, language)}</p>
<nav aria-label="${escapeHtml(text.languageNavLabel)}">
<a class="language-link" href="${alternate}" hreflang="${other}" lang="${other}">${escapeHtml(text.otherLanguageName)}</a>
</nav>
</div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
${options.main}
</div>
</main>
<footer class="site-footer">
<div class="wrap"><p${attributes({ lang: language === 'fr' ? undefined : 'fr' })}>${escapeHtml(text.footer)}</p></div>
</footer>
</body>
</html>
`;
}
