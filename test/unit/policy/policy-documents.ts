import { readFileSync } from 'node:fs';
import path from 'node:path';

const POLICIES_DIR = path.join(__dirname, '../../../shared/config/policies');

/** Absolute path of a policy file under `shared/config/policies`. */
export function policyPath(relative: string): string {
  return path.join(POLICIES_DIR, relative);
}

/** A fresh, mutable copy of a policy file as parsed JSON. */
export function readPolicyDocument(relative: string): unknown {
  return JSON.parse(readFileSync(policyPath(relative), 'utf8'));
}

type Key = string | number;
type Container = Record<Key, unknown>;

function containerAt(document: unknown, keys: readonly Key[]): Container {
  return keys.reduce<Container>((node, key) => {
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      throw new Error(`fixture path ${keys.join('.')} does not exist at ${String(key)}`);
    }
    return next as Container;
  }, document as Container);
}

function lastKey(keys: readonly Key[]): Key {
  const last = keys.at(-1);
  if (last === undefined) throw new Error('empty fixture path');
  return last;
}

/** The value at `keys`; throws when a step of the path is missing, so a stale fixture fails loudly. */
export function getAt(document: unknown, keys: readonly Key[]): unknown {
  return containerAt(document, keys.slice(0, -1))[lastKey(keys)];
}

/** Sets the value at `keys` (the parent must exist). */
export function setAt(document: unknown, keys: readonly Key[], value: unknown): void {
  containerAt(document, keys.slice(0, -1))[lastKey(keys)] = value;
}

/** Removes the field at `keys` (the field must exist). */
export function deleteAt(document: unknown, keys: readonly Key[]): void {
  const last = lastKey(keys);
  const parent = containerAt(document, keys.slice(0, -1));
  if (!(last in parent)) throw new Error(`fixture field ${keys.join('.')} does not exist`);
  delete parent[last];
}
