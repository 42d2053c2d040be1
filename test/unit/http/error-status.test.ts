import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  AccessDeniedError,
  CaseNotFoundError,
  DomainError,
  HoldingItemResolvedError,
} from '../../../shared/errors';

const ROOT = join(__dirname, '..', '..', '..');

/** Every TypeScript module of the code base that declares an exported class (Lambda entry points excluded). */
function modulesDeclaringClasses(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      found.push(...modulesDeclaringClasses(path));
    } else if (
      name.endsWith('.ts') &&
      name !== 'index.ts' &&
      /export class \w+ extends /.test(readFileSync(path, 'utf8'))
    ) {
      found.push(path);
    }
  }
  return found;
}

interface ErrorClass {
  readonly module: string;
  readonly name: string;
  readonly type: typeof DomainError;
}

function domainErrorClasses(): ErrorClass[] {
  const classes: ErrorClass[] = [];
  for (const dir of ['shared', 'functions']) {
    for (const path of modulesDeclaringClasses(join(ROOT, dir))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(path) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value === 'function' && value.prototype instanceof DomainError) {
          classes.push({ module: relative(ROOT, path), name, type: value as typeof DomainError });
        }
      }
    }
  }
  return classes;
}

describe('HTTP status on the error types', () => {
  const classes = domainErrorClasses();

  it('finds the DomainError subclasses of the shared errors, the policy, the form and the HTTP edge', () => {
    const names = classes.map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'CaseNotFoundError',
        'InvalidRequestError',
        'UnknownCategoryError',
        'HoneypotFilledError',
        'OriginNotVerifiedError',
        'PayloadTooLargeError',
        'RateLimitedError',
      ]),
    );
  });

  it('has every DomainError subclass declare its own 4xx status (none inherits the base 400 silently)', () => {
    const missing = classes
      .filter((entry) => !Object.hasOwn(entry.type, 'status'))
      .map((entry) => `${entry.module}: ${entry.name}`);
    expect(missing).toEqual([]);
    for (const entry of classes) {
      expect(Number.isInteger(entry.type.status)).toBe(true);
      expect(entry.type.status).toBeGreaterThanOrEqual(400);
      expect(entry.type.status).toBeLessThan(500);
    }
  });

  it('reads the status of an instance from its class', () => {
    expect(new CaseNotFoundError('c').status).toBe(404);
    expect(new HoldingItemResolvedError('i').status).toBe(409);
    expect(new DomainError('SOMETHING', 'refused').status).toBe(400);
  });

  it('gives every refusal French and English words, specific to its type unless it is the generic base', () => {
    const generic = new DomainError('SOMETHING', 'refused').messages;
    for (const error of [new CaseNotFoundError('c'), new AccessDeniedError('read')]) {
      expect(error.messages.fr).not.toBe('');
      expect(error.messages.en).not.toBe('');
      expect(error.messages).not.toEqual(generic);
    }
  });
});
