import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { ROOT, spawnLocalStack } from '../../support/spawned-stack';
import type { SpawnedStack } from '../../support/spawned-stack';

/**
 * `npm start` as a newcomer runs it (the same entry point, from another working directory, on free ports),
 * driven by `npx jalon clock`, then stopped with Ctrl-C (SIGINT): it must stop cleanly and exit 0.
 */
const run = promisify(execFile);

let stack: SpawnedStack | undefined;

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

async function jalon(...args: string[]): Promise<string> {
  const { stdout: out } = await run(process.execPath, [path.join(ROOT, 'bin', 'jalon.cjs'), ...args], {
    cwd: os.tmpdir(),
  });
  return out.trim();
}

it('starts, answers /healthz, moves its virtual clock from the CLI, and stops cleanly on Ctrl-C', async () => {
  stack = await spawnLocalStack([
    '--memory',
    '--virtual-clock=2026-12-18T15:00:00Z',
    '--port',
    '0',
    '--smtp-port',
    '0',
  ]);
  const { base } = stack;

  const health = await fetch(`${base}/healthz`);
  const advanced = await jalon('clock', 'advance', '3d', '--url', base);
  const shown = await jalon('clock', '--url', base);
  const code = await stack.stop('SIGINT');

  expect(health.status).toBe(200);
  expect(stack.stdout()).toContain('Data              in memory');
  expect(stack.stdout()).toContain('Clock             virtual, now 2026-12-18T15:00:00.000Z');
  expect(advanced).toBe('2026-12-21T15:00:00.000Z');
  expect(shown).toBe('2026-12-21T15:00:00.000Z (virtual)');
  expect(stack.stdout()).toContain('Stopped.');
  expect(code).toBe(0);
  expect(stack.stderr()).not.toContain('NodeVersionSupportWarning');
}, 60_000);
