import path from 'node:path';

import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

import { cdkEsbuildOptions } from '../../../bench/bundles';

/**
 * The functions that parse no request body, and form intake, build their schemas with `zod/mini` only
 * (`docs/cold-start.md`): their bundles hold none of zod's full build, whose load and first compilation each
 * of their cold starts would otherwise pay. One module importing `zod` on their import paths brings it back
 * whole.
 */
const MINI_ONLY_FUNCTIONS = [
  'email-intake',
  'execution-archive',
  'form-intake',
  'ledger-digest',
  'ledger-mirror',
  'ledger-mirror-backfill',
  'ledger-verification',
  'mail-events',
  'replan',
  'report-aggregates',
  'report-replay',
  'report-replay-start',
];

/**
 * The functions whose own schemas are on `zod/mini` but which read the staff directory: its adapters
 * (`shared/adapters/dynamodb/staff-directory.ts`, `shared/adapters/config/static-directory.ts`) still import
 * zod's full build, so these bundles hold it through them and through nothing else.
 */
const FULL_ZOD_ONLY_THROUGH_STAFF_DIRECTORY = ['audit-api', 'holding-api', 'staff-api', 'workflow-tasks'];
const STAFF_DIRECTORY_ADAPTERS = [
  'shared/adapters/config/static-directory.ts',
  'shared/adapters/dynamodb/staff-directory.ts',
];

const ROOT = path.resolve(__dirname, '../../..');

async function metafileOf(name: string): Promise<Metafile> {
  const result = await build(cdkEsbuildOptions(path.join(ROOT, 'functions', name, 'index.ts')));
  if (result.metafile === undefined) throw new Error(`esbuild gave no metafile for ${name}`);
  return result.metafile;
}

async function fullZodInputs(name: string): Promise<string[]> {
  const metafile = await metafileOf(name);
  return Object.keys(metafile.inputs).filter((input) => input.includes('zod/v4/classic/'));
}

/** The project's modules that import zod's full build themselves (`zod`, `zod/v4`, `zod/v4/classic/…`). */
async function fullZodImporters(name: string): Promise<string[]> {
  const metafile = await metafileOf(name);
  return Object.entries(metafile.inputs)
    .filter(([input]) => !input.includes('node_modules/'))
    .filter(([, { imports }]) =>
      imports.some(({ path: imported }) =>
        /node_modules\/zod\/(index\.js|v4\/index\.js|v4\/classic\/)/.test(imported),
      ),
    )
    .map(([input]) => input)
    .sort();
}

describe('functions on zod/mini', () => {
  it.each(MINI_ONLY_FUNCTIONS)(
    '%s bundles no module of zod’s full build',
    async (name) => {
      // Act
      const inputs = await fullZodInputs(name);

      // Assert
      expect(inputs).toEqual([]);
    },
    60_000,
  );

  it.each(FULL_ZOD_ONLY_THROUGH_STAFF_DIRECTORY)(
    '%s imports zod’s full build only through the staff directory’s adapters',
    async (name) => {
      // Act
      const importers = await fullZodImporters(name);

      // Assert
      expect(importers).toEqual(STAFF_DIRECTORY_ADAPTERS);
    },
    60_000,
  );

  it('the check sees the full build where a function has it', async () => {
    // Act
    const inputs = await fullZodInputs('staff-api');

    // Assert
    expect(inputs).not.toEqual([]);
  }, 60_000);
});
