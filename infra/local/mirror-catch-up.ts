import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerItemReader, DynamoDbLedgerScanner } from '../../shared/adapters/dynamodb';
import type { TableNames } from '../../shared/adapters/dynamodb';
import { S3LedgerMirrorReader, S3WriteOnceStore } from '../../shared/adapters/s3';
import {
  backfillMirrorPages,
  beginBackfill,
  finishBackfill,
} from '../../shared/domain/audit/mirror-backfill';
import type { BackfillStore, LedgerMirrorBackfillRecord } from '../../shared/domain/audit/mirror-backfill';
import type { ActivityTracker } from './clock/activity-tracker';
import type { LocalConsole } from './console-log';
import { realNow } from './real-timers';

/** What a catch-up at start found and did. */
export interface MirrorCatchUp {
  /** Cases in the ledger. */
  readonly cases: number;
  /** Cases whose mirror lacked at least one event of their head, back-filled. */
  readonly lagging: number;
  /** The back-fill's result over those cases (`mirrored`: items written now). */
  readonly result: LedgerMirrorBackfillRecord;
  /** Real milliseconds: finding the lagging cases, then back-filling them. */
  readonly findMs: number;
  readonly backfillMs: number;
}

/**
 * The cases whose mirror lacks an event: every seq from 1 to the case's head must have its mirror key, the
 * head being the later of its last ledger item's seq and its projection's `lastSeq` (the projection is
 * written after the item, and may be behind it after a kill; the ledger item's seq misses the later events of
 * a last item holding several). Three listings, whatever the number of cases: the ledger's item keys, the
 * projections, the mirror's keys (no object read).
 */
export async function laggingMirrorCases(input: {
  readonly scanner: Pick<DynamoDbLedgerScanner, 'lastItemSeqs' | 'projectionHeadPages'>;
  readonly mirror: Pick<S3LedgerMirrorReader, 'mirroredSeqs'>;
}): Promise<{ readonly cases: number; readonly lagging: readonly string[] }> {
  const [heads, mirrored] = await Promise.all([input.scanner.lastItemSeqs(), input.mirror.mirroredSeqs()]);
  const caseIds = [...heads.keys()];
  for await (const page of input.scanner.projectionHeadPages()) {
    for (const head of page) {
      const item = heads.get(head.caseId);
      if (item !== undefined && head.seq > item) heads.set(head.caseId, head.seq);
    }
  }
  const lagging = caseIds.filter((caseId) => {
    const head = heads.get(caseId) ?? 0;
    const seqs = mirrored.get(caseId);
    for (let seq = 1; seq <= head; seq++) if (seqs?.has(seq) !== true) return true;
    return false;
  });
  return { cases: caseIds.length, lagging };
}

/**
 * Mirrors, at the start of a local stack that finds a previous run's data, the events a `kill -9` left
 * unmirrored (`MirroringCaseLedger` copies each append after it, so copies still queued at the kill are lost
 * with the process): the cases whose mirror lacks an event go through the back-fill's own use case
 * (`backfillMirrorPages`, as the AWS job runs it, with the same adapters), one page holding only them. Written
 * once, idempotent: an event mirrored meanwhile by a new append is found with the same bytes. The run's
 * record goes to the console, not to the reports table (it is not an operator's back-fill run).
 */
export async function catchUpLedgerMirror(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly now: () => Date;
}): Promise<MirrorCatchUp> {
  const { client, tables, s3, bucket } = input;
  const started = realNow();
  const { cases, lagging } = await laggingMirrorCases({
    scanner: new DynamoDbLedgerScanner({ client, tables }),
    mirror: new S3LedgerMirrorReader({ client: s3, bucket }),
  });
  const found = realNow();
  const items = new DynamoDbLedgerItemReader({ client, tables: { ledger: tables.ledger } });
  const noRecord: BackfillStore = { save: () => Promise.resolve() };
  const deps = {
    pages: { casePage: () => Promise.resolve({ caseIds: lagging }) },
    items,
    mirror: { ledger: items, mirror: new S3WriteOnceStore({ client: s3, bucket, label: 'ledger-mirror' }) },
    store: noRecord,
    now: input.now,
    mayContinue: () => true,
  };
  const run = { runId: `local-start-${input.now().toISOString()}`, startedAt: input.now().toISOString() };
  const step =
    lagging.length === 0
      ? await beginBackfill(deps, run)
      : await backfillMirrorPages(deps, await beginBackfill(deps, run));
  const result = await finishBackfill(deps, step);
  return { cases, lagging: lagging.length, result, findMs: found - started, backfillMs: realNow() - found };
}

/**
 * Runs `catchUpLedgerMirror` as tracked activity (the virtual clock and the stack's stop wait for it) and
 * prints what it did and what it cost; a failure is logged, the next start tries again.
 */
export function startMirrorCatchUp(
  input: Parameters<typeof catchUpLedgerMirror>[0] & {
    readonly activity: Pick<ActivityTracker, 'begin'>;
    readonly console: Pick<LocalConsole, 'info' | 'warn'>;
  },
): Promise<MirrorCatchUp | undefined> {
  const end = input.activity.begin('ledger-mirror catch-up');
  return catchUpLedgerMirror(input)
    .then((done) => {
      const { result } = done;
      const fields = {
        cases: done.cases,
        lagging: done.lagging,
        items: result.items,
        mirrored: result.mirrored,
      };
      input.console.info('ledger mirror caught up', fields, {
        findMs: Math.round(done.findMs),
        backfillMs: Math.round(done.backfillMs),
      });
      if (result.tamperedCount > 0) {
        input.console.warn('ledger items differ from their mirror; tamper records kept', {
          tamperedCount: result.tamperedCount,
        });
      }
      return done;
    })
    .catch((error: unknown) => {
      input.console.warn('ledger mirror not caught up', {
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      return undefined;
    })
    .finally(end);
}
