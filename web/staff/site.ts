import type { PageLanguage } from '../citizen/strings';

/** The staff pages' files in `web/static/` (at the root of the staff site bucket: `STAFF_STATIC_FILES`). */
export const STAFF_STATIC_ASSETS = {
  stylesheet: '/staff.css',
  staffScript: '/staff.js',
  auditScript: '/audit.js',
  commonScript: '/staff-common.js',
  intakeScript: '/intake.js',
  holdingScript: '/holding.js',
  dashboardScript: '/dashboard.js',
} as const;

/**
 * The shells: the sign-in page, the sign-in callback, the session-expired page, the work list, a case, the
 * auditor's page (ledger check and case timeline), the intake of letters, calls and visits, the email holding pen,
 * the auditor's service-statement dashboard.
 */
export type StaffPageKind =
  | 'login'
  | 'callback'
  | 'session-expired'
  | 'work-list'
  | 'case'
  | 'audit'
  | 'intake'
  | 'holding'
  | 'dashboard';

/** What a path of the staff site shows: the shell, its language, and the case id in the path when there is one. */
export interface StaffPageMatch {
  readonly kind: StaffPageKind;
  readonly language: PageLanguage;
  readonly caseId?: string;
}

/** English pages are the French ones under `/en`, as on the citizen site. */
const LANGUAGE_PREFIX: Readonly<Record<PageLanguage, string>> = { fr: '', en: '/en' };

const SHELLS: readonly { readonly pattern: RegExp; readonly kind: StaffPageKind }[] = [
  { pattern: /^\/staff\/login\/?$/, kind: 'login' },
  { pattern: /^\/staff\/auth\/callback\/?$/, kind: 'callback' },
  { pattern: /^\/staff\/session-expired\/?$/, kind: 'session-expired' },
  { pattern: /^\/staff\/?$/, kind: 'work-list' },
  { pattern: /^\/staff\/cases\/([^/]+)\/?$/, kind: 'case' },
  { pattern: /^\/staff\/intake\/?$/, kind: 'intake' },
  { pattern: /^\/staff\/holding\/?$/, kind: 'holding' },
  { pattern: /^\/audit\/?$/, kind: 'audit' },
  { pattern: /^\/audit\/dashboard\/?$/, kind: 'dashboard' },
  { pattern: /^\/audit\/cases\/([^/]+)\/?$/, kind: 'audit' },
];

/**
 * The staff shell a path shows, if any: `/staff/login`, `/staff/`, `/staff/cases/{caseId}`, `/audit/`,
 * `/audit/cases/{caseId}` in French, the same under `/en` in English. On CloudFront the shells are four files
 * per language (`staff/login/index.html`, `staff/index.html`, `staff/case.html`, `audit/index.html`) and a
 * viewer-request function maps the case paths to theirs; the scripts read the case id from the address.
 */
export function staffPageAt(pathname: string): StaffPageMatch | undefined {
  const language: PageLanguage = pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'fr';
  const rest = language === 'en' ? pathname.slice(3) : pathname;
  for (const shell of SHELLS) {
    const match = shell.pattern.exec(rest);
    if (match === null) continue;
    const caseId = match[1];
    return { kind: shell.kind, language, ...(caseId !== undefined ? { caseId } : {}) };
  }
  return undefined;
}

/** The same page in the other language (the case id kept), for the language switch. */
export function staffPathIn(pathname: string, language: PageLanguage): string {
  const current: PageLanguage = pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'fr';
  const bare = current === 'en' ? pathname.slice(3) : pathname;
  return `${LANGUAGE_PREFIX[language]}${bare}`;
}

/** The address of a shell in a language. */
export function staffHome(
  kind: 'login' | 'work-list' | 'audit' | 'intake' | 'holding',
  language: PageLanguage,
): string {
  const bare = {
    login: '/staff/login',
    'work-list': '/staff/',
    audit: '/audit/',
    intake: '/staff/intake',
    holding: '/staff/holding',
  }[kind];
  return `${LANGUAGE_PREFIX[language]}${bare}`;
}
