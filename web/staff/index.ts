import type { Policy } from '../../shared/domain/policy/schema';
import { renderStaffPage } from './pages';
import { staffPageAt } from './site';

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
export function staffSite(policy: Policy): (pathname: string) => string | undefined {
  const rendered = new Map<string, string>();
  return (pathname) => {
    const match = staffPageAt(pathname);
    if (match === undefined) return undefined;
    // The shell does not depend on the case id: only the language switch keeps the address.
    const key = `${match.kind}:${match.language}:${pathname}`;
    let html = rendered.get(key);
    if (html === undefined) {
      html = renderStaffPage({ kind: match.kind, language: match.language, pathname, policy });
      if (match.caseId === undefined) rendered.set(key, html);
    }
    return html;
  };
}
