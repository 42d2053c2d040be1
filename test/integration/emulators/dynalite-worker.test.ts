import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { startEmulators } from '../../../infra/local/emulators';
import type { Emulators } from '../../../infra/local/emulators';

/**
 * dynalite runs on its own thread (`startDynaliteServer`): the local stack's SDK clients reach it over HTTP as
 * before, its data folder keeps what it answered across a stop and a start, and a store that cannot open fails
 * the start with LevelDB's reason instead of the first request of a running stack.
 */
let dataDir: string;
const started: Emulators[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-dynalite-worker-'));
});

afterEach(async () => {
  for (const emulators of started.splice(0)) await emulators.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<Emulators> {
  const emulators = await startEmulators({ dataDir });
  started.push(emulators);
  return emulators;
}

describe('dynalite on a worker thread', () => {
  it('keeps in its data folder what it answered, across a stop and a start', async () => {
    const first = await start();
    const item = { caseId: 'c-1', reference: 'SCT-2026-000001' };
    await first.dynamo.client.send(new PutCommand({ TableName: first.dynamo.tables.cases, Item: item }));
    await first.stop();
    started.splice(0);

    const second = await start();
    const { Item } = await second.dynamo.client.send(
      new GetCommand({ TableName: second.dynamo.tables.cases, Key: { caseId: 'c-1' }, ConsistentRead: true }),
    );

    expect(Item).toEqual(item);
  });

  it('rejects a start whose store cannot open, with the reason', async () => {
    await start();

    // LevelDB locks its folder: a second dynalite on the same folder cannot open it (dynalite says the
    // database is closed, at the first request: here the start's creation of the tables).
    const second = startEmulators({ dataDir });

    await expect(second).rejects.toThrow('dynalite failed while starting: Database is closed');
  });
});
