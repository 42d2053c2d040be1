import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { ZodType } from 'zod';

import { BENCH_LAMBDA_ENV } from '../../../bench/lambda-env';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Every exported `…EnvSchema` of the schema modules and of the functions' own `env.ts`, found by name so that a
 * new function's schema is checked without being listed here.
 */
function envSchemas(): [string, ZodType][] {
  const files = [
    ...readdirSync(path.join(ROOT, 'shared/schemas'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(ROOT, 'shared/schemas', name)),
    ...readdirSync(path.join(ROOT, 'functions'))
      .map((name) => path.join(ROOT, 'functions', name, 'env.ts'))
      .filter((file) => readdirSync(path.dirname(file)).includes('env.ts')),
  ];
  return files.flatMap((file) =>
    Object.entries(jest.requireActual<Record<string, unknown>>(file))
      .filter(([name]) => name.endsWith('EnvSchema'))
      .map(([name, schema]): [string, ZodType] => [
        `${path.relative(ROOT, file)} ${name}`,
        schema as ZodType,
      ]),
  );
}

describe('the environment the cold start bench loads the bundles with', () => {
  const schemas = envSchemas();

  it('finds the env schemas of the functions', () => {
    const names = schemas.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'shared/schemas/audit-api.ts LedgerDigestEnvSchema',
        'shared/schemas/audit-api.ts LedgerVerificationEnvSchema',
        'functions/email-intake/env.ts EmailIntakeEnvSchema',
      ]),
    );
  });

  it.each(schemas)('is accepted by %s', (_name, schema) => {
    expect(schema.safeParse(BENCH_LAMBDA_ENV).error?.issues ?? []).toEqual([]);
  });
});
