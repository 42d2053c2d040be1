import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { PolicyError } from './errors';
import { loadPolicy, type LoadPolicyOptions } from './load';
import type { Policy } from './schema';

/**
 * Reads and validates a policy file. Kept apart from `load.ts` so that Lambda bundles, which use the bundled
 * policy, never pull in `fs`. The path must be absolute: a policy never depends on the working directory.
 * An unreadable file or invalid JSON is a `PolicyError` naming the file, like any other policy problem.
 */
export async function loadPolicyFile(
  path: string,
  options: Omit<LoadPolicyOptions, 'source'> = {},
): Promise<Policy> {
  if (!isAbsolute(path)) throw new TypeError(`Policy file path must be absolute, got "${path}"`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new PolicyError(
      [{ path: '', message: `cannot be read (${code})`, messageFr: `ne peut pas être lue (${code})` }],
      path,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError(
      [
        {
          path: '',
          message: `is not valid JSON: ${reason}`,
          messageFr: `n’est pas un JSON valide : ${reason}`,
        },
      ],
      path,
    );
  }
  return loadPolicy(json, { ...options, source: path });
}
