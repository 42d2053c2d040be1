import type { Policy } from '../../shared/domain/policy/schema';
import type { PageLanguage } from '../citizen/strings';
import { LOCAL_AUTH_CONFIG, type StaffAuthConfig } from './auth-config';
import { renderStaffPage } from './pages';
import { staffPageAt, type StaffPageKind } from './site';

export {
  authMeta,
  cognitoAuthConfig,
  LOCAL_AUTH_CONFIG,
  STAFF_AUTH_PATHS,
  staffAuthUrls,
} from './auth-config';
export type { StaffAuthConfig } from './auth-config';
export { STAFF_AUTH_STRINGS } from './auth-strings';
export { renderStaffPage } from './pages';
export type { StaffPageOptions } from './pages';
export { STAFF_STATIC_ASSETS, staffHome, staffPageAt, staffPathIn } from './site';
export type { StaffPageKind, StaffPageMatch } from './site';
export { SCRIPT_TEXT_KEYS, STAFF_STRINGS } from './strings';
export type { ScriptTextKey, StaffStrings } from './strings';

/**
 * The staff and auditor shells for the local server: the page a path shows (see `staffPageAt`), rendered once
 * per shell and language, or `undefined` for any other path.
 */
export function staffSite(
  policy: Policy,
  auth: StaffAuthConfig = LOCAL_AUTH_CONFIG,
): (pathname: string) => string | undefined {
  const rendered = new Map<string, string>();
  return (pathname) => {
    const match = staffPageAt(pathname);
    if (match === undefined) return undefined;
    // The shell does not depend on the case id: only the language switch keeps the address.
    const key = `${match.kind}:${match.language}:${pathname}`;
    let html = rendered.get(key);
    if (html === undefined) {
      html = renderStaffPage({ kind: match.kind, language: match.language, pathname, policy, auth });
      if (match.caseId === undefined) rendered.set(key, html);
    }
    return html;
  };
}

/** A file of the deployed staff site: the shell, its language, the address it is rendered for, its object key. */
export interface StaffSiteObject {
  readonly kind: StaffPageKind;
  readonly language: PageLanguage;
  readonly path: string;
  readonly objectKey: string;
}

const SHELL_OBJECTS: readonly Omit<StaffSiteObject, 'language'>[] = [
  { kind: 'login', path: '/staff/login', objectKey: 'staff/login/index.html' },
  { kind: 'callback', path: '/staff/auth/callback', objectKey: 'staff/auth/callback/index.html' },
  { kind: 'session-expired', path: '/staff/session-expired', objectKey: 'staff/session-expired/index.html' },
  { kind: 'work-list', path: '/staff/', objectKey: 'staff/index.html' },
  // One shell for every case: the staff site's viewer-request function maps `/staff/cases/{id}` to it.
  { kind: 'case', path: '/staff/cases/', objectKey: 'staff/case.html' },
  { kind: 'audit', path: '/audit/', objectKey: 'audit/index.html' },
  { kind: 'intake', path: '/staff/intake', objectKey: 'staff/intake/index.html' },
  { kind: 'holding', path: '/staff/holding', objectKey: 'staff/holding/index.html' },
  { kind: 'dashboard', path: '/audit/dashboard', objectKey: 'audit/dashboard/index.html' },
];

/** Every shell in each language: the French at the root, the English under `en/`. */
export const STAFF_SITE_OBJECTS: readonly StaffSiteObject[] = (['fr', 'en'] as const).flatMap((language) =>
  SHELL_OBJECTS.map((shell) => ({
    ...shell,
    language,
    path: language === 'en' ? `/en${shell.path}` : shell.path,
    objectKey: language === 'en' ? `en/${shell.objectKey}` : shell.objectKey,
  })),
);

/**
 * The staff site as CloudFront serves it: every shell rendered once (at synth time) with the sign-in
 * configuration of its language, at its object key.
 */
export function renderStaffSite(
  policy: Policy,
  auth: (language: PageLanguage) => StaffAuthConfig,
): (StaffSiteObject & { readonly html: string })[] {
  return STAFF_SITE_OBJECTS.map((object) => ({
    ...object,
    html: renderStaffPage({
      kind: object.kind,
      language: object.language,
      pathname: object.path,
      policy,
      auth: auth(object.language),
    }),
  }));
}
