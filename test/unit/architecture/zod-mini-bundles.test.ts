import path from 'node:path';

import { build } from 'esbuild';

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

const ROOT = path.resolve(__dirname, '../../..');

async function fullZodInputs(name: string): Promise<string[]> {
  const result = await build(cdkEsbuildOptions(path.join(ROOT, 'functions', name, 'index.ts')));
  return Object.keys(result.metafile?.inputs ?? {}).filter((input) => input.includes('zod/v4/classic/'));
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

  it('the check sees the full build where a function has it', async () => {
    // Act
    const inputs = await fullZodInputs('staff-api');

    // Assert
    expect(inputs).not.toEqual([]);
  }, 60_000);
});
