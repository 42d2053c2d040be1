import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { savedVirtualNow } from '../../../infra/local/clock-control';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The local stack writes its virtual instant to the data folder as the clock reaches it, not on stop: at
 * start, and at each new instant before anything due then runs. A `kill -9` in the middle of a clock move
 * then never restarts the clock before effects that were already visible.
 */
let dataDir: string;
let stack: LocalStack | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-clock-file-'));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('holds the start instant at once, and each instant of a move before the timers due then run', async () => {
  stack = await startLocalStack({
    dataDir,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
  });
  const file = path.join(dataDir, 'clock.json');
  const atStart = savedVirtualNow(file);
  const seen: (string | undefined)[] = [];
  // The global timers are the stack's virtual ones: these fire during the move, like a workflow's waits.
  setTimeout(() => seen.push(savedVirtualNow(file)), 86_400_000);
  setTimeout(() => seen.push(savedVirtualNow(file)), 3 * 86_400_000);

  await client(stack.urls.web).clock({ advance: 'P5D' });

  expect(atStart).toBe('2026-12-18T15:00:00.000Z');
  expect(seen).toEqual(['2026-12-19T15:00:00.000Z', '2026-12-21T15:00:00.000Z']);
  expect(savedVirtualNow(file)).toBe('2026-12-23T15:00:00.000Z');
});
