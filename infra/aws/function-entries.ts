import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { renderCitizenSite } from '../../web/citizen';
import type { PageLanguage } from '../../web/citizen/strings';
import { renderStaffSite, type StaffAuthConfig } from '../../web/staff';
import { PROJECT_ROOT } from './constructs/jalon-function';

/** The fail-closed handler deployed in place of a function whose module does not exist yet. */
export const PLACEHOLDER_ENTRY = path.join(__dirname, 'placeholder-handler.ts');

export interface FunctionEntry {
  /** Absolute path of the handler module to bundle. */
  readonly entry: string;
  /** False when the function's own module is missing and `PLACEHOLDER_ENTRY` stands in for it. */
  readonly present: boolean;
}

/**
 * The handler module of a function folder, `functions/<name>/index.ts`, or the placeholder while that module
 * is not written yet: the stacks can then be synthesized, reviewed and nag-checked before every handler
 * exists, and a deployment made in between fails closed (see `placeholder-handler.ts`).
 */
export function functionEntry(name: string, root: string = PROJECT_ROOT): FunctionEntry {
  const entry = path.join(root, 'functions', name, 'index.ts');
  return existsSync(entry) ? { entry, present: true } : { entry: PLACEHOLDER_ENTRY, present: false };
}

/** The files of `web/static/` the citizen pages load: the citizen site serves these and no other. */
export const CITIZEN_STATIC_FILES = ['citizen.css', 'form.js'] as const;

/**
 * The files of `web/static/` the staff and auditor pages load (`staff-common.js` imports the date formatting
 * of `form.js`): the staff site serves these and no other.
 */
export const STAFF_STATIC_FILES = [
  'staff.css',
  'staff.js',
  'audit.js',
  'staff-common.js',
  'staff-auth.js',
  'form.js',
  'staff-forms.js',
  'intake.js',
  'holding.js',
  'dashboard.js',
  'dashboard-what-if.js',
] as const;

/** `web/static` as an asset holding only `files` (every other file of the folder excluded), when it exists. */
function staticFiles(root: string, files: readonly string[]): ISource[] {
  const staticDir = path.join(root, 'web', 'static');
  if (!existsSync(staticDir)) return [];
  const exclude = readdirSync(staticDir).filter((name) => !files.includes(name));
  return [Source.asset(staticDir, { exclude })];
}

/**
 * What the citizen site serves: the form pages rendered at synth time with the deployed policy (the SCT's),
 * each at its object key (`index.html`, `demande/index.html`, `en/index.html`, `en/request/index.html`, which
 * the distribution's viewer-request function maps the addresses to), and the files of `web/static` when that
 * folder exists (`CITIZEN_STATIC_FILES` only: never the staff scripts), at the bucket's root.
 */
export function citizenSiteSources(root: string = PROJECT_ROOT): ISource[] {
  const pages = renderCitizenSite(loadSctPolicy()).map((page) => Source.data(page.objectKey, page.html));
  return [...pages, ...staticFiles(root, CITIZEN_STATIC_FILES)];
}

/** Builds the staff site's files once the sign-in configuration of each language is known. */
export type StaffSiteSources = (auth: (language: PageLanguage) => StaffAuthConfig) => ISource[];

/**
 * What the staff site serves: every staff and auditor shell rendered at synth time with the deployed policy
 * and the sign-in configuration of its language (which may hold deploy-time values: the user pool client id,
 * the distribution's domain; `Source.data` resolves them at deployment), at its object key, and
 * `STAFF_STATIC_FILES` of `web/static` at the bucket's root.
 */
export function staffSiteSources(
  auth: (language: PageLanguage) => StaffAuthConfig,
  root: string = PROJECT_ROOT,
): ISource[] {
  const pages = renderStaffSite(loadSctPolicy(), auth).map((page) => Source.data(page.objectKey, page.html));
  return [...pages, ...staticFiles(root, STAFF_STATIC_FILES)];
}
