import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { renderCitizenSite } from '../../web/citizen';
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

/**
 * What the citizen site serves: the form pages rendered at synth time with the deployed policy (the SCT's),
 * each at its object key (`index.html`, `demande/index.html`, `en/index.html`, `en/request/index.html`, which
 * the distribution's viewer-request function maps the addresses to), and the files of `web/static` when that
 * folder exists (stylesheet, script), at the bucket's root.
 */
export function citizenSiteSources(root: string = PROJECT_ROOT): ISource[] {
  const staticDir = path.join(root, 'web', 'static');
  const pages = renderCitizenSite(loadSctPolicy()).map((page) => Source.data(page.objectKey, page.html));
  return [...pages, ...(existsSync(staticDir) ? [Source.asset(staticDir)] : [])];
}
