import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { startLocalStack } from '../infra/local/local-stack';
import type { LocalStack } from '../infra/local/local-stack';
import { realNow } from '../infra/local/real-timers';
import { DynamoDbLedgerCasePages, DynamoDbLedgerItemReader } from '../shared/adapters/dynamodb';
import { LOCAL_S3_CHECKSUM_OPTIONS, S3WriteOnceStore } from '../shared/adapters/s3';
import { backfillMirrorPages, beginBackfill } from '../shared/domain/audit/mirror-backfill';
import { ledgerMirrorKey } from '../shared/domain/ledger/mirror-layout';
import { JsonClient } from './http-client';

/** Cases of the data folder, and how many of them lose their last mirror copy (as a `kill -9` would). */
const CASES = 300;
const LAGGING = 10;

/**
 * What the local stack's catch-ups at start cost (`infra/local/mirror-catch-up.ts` and
 * `mail-events-catch-up.ts`, the figures they print) on a data folder of `CASES` letter cases registered through the staff API: with nothing lagging,
 * then with `LAGGING` cases short of their last mirror copy; then, for comparison, the back-fill's use case
 * over every case (what the catch-up's selection avoids). Real milliseconds on this machine, one run each.
 */
export async function benchMirrorCatchUp(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-bench-catch-up-'));
  const printed: string[] = [];
  const start = (virtualClock: string | true) =>
    startLocalStack({
      dataDir,
      virtualClock,
      port: 0,
      smtpPort: 0,
      stdout: () => undefined,
      stderr: (text) => {
        if (text.includes('caught up')) {
          printed.push(text.trim());
        }
      },
    });
  let stack: LocalStack | undefined;
  try {
    stack = await start('2026-03-02T15:00:00Z');
    let api = new JsonClient(stack.urls.web);
    const token = (await api.send('POST', '/api/local/login', { role: 'agent' })).json['token'] as string;
    const caseIds: string[] = [];
    const began = realNow();
    for (let i = 0; i < CASES; i++) {
      const response = await api.send(
        'POST',
        '/api/staff/intake',
        {
          channel: 'mail',
          category: 'statistics',
          requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
          subject: 'Effectif de la fonction publique 2025',
          body: 'Bonjour, je souhaite obtenir les statistiques.',
          receivedAt: '2026-03-02T14:00:00Z',
          evidence: { kind: 'postmark', reference: `scan-${i}` },
        },
        { authorization: `Bearer ${token}`, 'idempotency-key': `bench-catch-up-${i}` },
      );
      if (response.status !== 201) throw new Error(`intake answered ${response.status}`);
      caseIds.push(response.json['caseId'] as string);
    }
    await api.send('POST', '/api/local/clock', { advance: 'PT0S' });
    let events = 0;
    const lastSeqs: number[] = [];
    for (const caseId of caseIds) {
      const read = await stack.ledger.read(caseId);
      events += read.length;
      lastSeqs.push(read.at(-1)?.seq ?? 1);
    }
    console.log(
      `mirror catch-up: ${CASES} cases, ${events} events, registered in ${Math.round(realNow() - began)} ms`,
    );
    await stack.stop();

    const restart = async () => {
      printed.length = 0;
      stack = await start(true);
      api = new JsonClient(stack.urls.web);
      // Waits for the tracked activity, the catch-up included.
      await api.send('POST', '/api/local/clock', { advance: 'PT0S' });
      return stack;
    };
    await restart();
    console.log(`  nothing lagging:\n    ${printed.splice(0).join('\n    ')}`);
    const s3 = new S3Client({
      endpoint: stack.urls.s3,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      ...LOCAL_S3_CHECKSUM_OPTIONS,
    });
    for (let i = 0; i < LAGGING; i++) {
      const key = ledgerMirrorKey(caseIds[i]!, lastSeqs[i]!);
      await s3.send(new DeleteObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: key }));
    }
    s3.destroy();
    await stack.stop();
    await restart();
    console.log(`  ${LAGGING} cases lagging:\n    ${printed.splice(0).join('\n    ')}`);

    const raw = new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const s3Again = new S3Client({
      endpoint: stack.urls.s3,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      ...LOCAL_S3_CHECKSUM_OPTIONS,
    });
    const client = DynamoDBDocumentClient.from(raw);
    const items = new DynamoDbLedgerItemReader({ client, tables: { ledger: stack.tables.ledger } });
    const deps = {
      pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: stack.tables.ledger } }),
      items,
      mirror: {
        ledger: items,
        mirror: new S3WriteOnceStore({
          client: s3Again,
          bucket: stack.buckets.ledgerMirror,
          label: 'ledger-mirror',
        }),
      },
      store: { save: () => Promise.resolve() },
      now: () => new Date(),
      mayContinue: () => true,
    };
    const fullStart = realNow();
    let step = {
      ...(await beginBackfill(deps, { runId: 'bench', startedAt: new Date().toISOString() })),
      more: true,
    };
    while (step.more) step = await backfillMirrorPages(deps, step);
    console.log(
      `  back-fill of every case, for comparison: ${step.tally.cases} cases, ${step.tally.items} items read, ${step.tally.mirrored} mirrored, ${Math.round(realNow() - fullStart)} ms`,
    );
    raw.destroy();
    s3Again.destroy();
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
