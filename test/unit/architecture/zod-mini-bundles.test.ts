import { readdirSync } from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

import { cdkEsbuildOptions } from '../../../bench/bundles';

/**
 * Every function builds its schemas with `zod/mini` only (`docs/cold-start.md`): no bundle holds zod's full
 * build, whose load and first compilation each cold start would otherwise pay. One module importing `zod` on a
 * function's import paths brings it back whole.
 */
const FUNCTIONS = readdirSync(path.resolve(__dirname, '../../../functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const ROOT = path.resolve(__dirname, '../../..');

async function metafileOf(entry: string): Promise<Metafile> {
  const result = await build(cdkEsbuildOptions(path.join(ROOT, entry)));
  if (result.metafile === undefined) throw new Error(`esbuild gave no metafile for ${entry}`);
  return result.metafile;
}

async function fullZodInputs(entry: string): Promise<string[]> {
  const metafile = await metafileOf(entry);
  return Object.keys(metafile.inputs).filter((input) => input.includes('zod/v4/classic/'));
}

describe('functions on zod/mini', () => {
  it('are every function of the project', () => {
    expect(FUNCTIONS).toEqual(
      expect.arrayContaining(['staff-api', 'audit-api', 'holding-api', 'workflow-tasks']),
    );
    expect(FUNCTIONS.length).toBeGreaterThanOrEqual(16);
  });

  it.each(FUNCTIONS)(
    '%s bundles no module of zod’s full build',
    async (name) => {
      // Act
      const inputs = await fullZodInputs(path.join('functions', name, 'index.ts'));

      // Assert
      expect(inputs).toEqual([]);
    },
    60_000,
  );

  it('the check sees the full build where a module has it (the policy schema, read by tools only)', async () => {
    // Act
    const inputs = await fullZodInputs('shared/domain/policy/schema.ts');

    // Assert
    expect(inputs).not.toEqual([]);
  }, 60_000);
});
