import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'asl');

/** The text of a toy state machine from `test/fixtures/asl/`. */
export function readAsl(fileName: string): string {
  return readFileSync(path.join(FIXTURES, fileName), 'utf8');
}

/** A task error with a fixed `name`, as Jalon's workflow tasks throw them. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}
