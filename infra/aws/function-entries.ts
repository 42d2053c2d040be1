import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
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
 * What the citizen site serves: the files of `web/static` when that folder exists (stylesheet, script,
 * images, static pages). Pages rendered from code belong here too, as
 * `Source.data('fr/index.html', renderRequestForm('fr'))`, once `web/citizen/` exposes its render functions;
 * nothing else has to change. Empty: the bucket and distribution are deployed with no content.
 */
export function citizenSiteSources(root: string = PROJECT_ROOT): ISource[] {
  const staticDir = path.join(root, 'web', 'static');
  return existsSync(staticDir) ? [Source.asset(staticDir)] : [];
}
