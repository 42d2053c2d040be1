import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import { AppendObservingLedger } from '../../shared/domain/ledger/forwarding-ledger';
import { mirrorLedgerEvent } from '../../shared/domain/ledger/mirror';
import type { LedgerMirrorDeps } from '../../shared/domain/ledger/mirror';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import { ledgerMirrorDeps } from '../../functions/ledger-mirror/wiring';
import type { ActivityTracker } from './clock/activity-tracker';

/**
 * What the local stack's mirror reads and writes, composed by the ledger-mirror function's wiring: each
 * appended item read by key, its event attributes alone (the snapshot, most of the item, is not fetched; an
 * attribute added to the item is not copied, and the verification, which reads whole items, reports the
 * item), and the mirror bucket in s3rver.
 */
export function localLedgerMirrorDeps(input: {
  readonly dynamo: { readonly client: DynamoDBDocumentClient; readonly tables: Pick<TableNames, 'ledger'> };
  readonly s3: { readonly client: S3Client; readonly bucket: string };
}): LedgerMirrorDeps {
  return ledgerMirrorDeps({
    clients: { dynamo: input.dynamo.client, s3: input.s3.client },
    config: { tables: input.dynamo.tables, buckets: { ledgerMirror: input.s3.bucket } },
    eventAttributesOnly: true,
  });
}

/**
 * The ledger of the local stack, mirroring into s3rver: dynalite has no streams, so after each event actually
 * appended the same use case the `ledger-mirror` stream Lambda runs in AWS (`mirrorLedgerEvent`, an `INSERT`)
 * copies it, through the same adapters (the ledger item read by key, the write-once store). As in AWS the copy
 * is not on the append's path: it runs after it, one event at a time in append order, as tracked activity
 * (the virtual clock and the stack's stop wait for it). A failure does not fail the append (the event is
 * recorded); it is logged, as is a tamper record.
 */
export class MirroringCaseLedger extends AppendObservingLedger {
  #queue: Promise<void> = Promise.resolve();

  constructor(
    inner: CaseLedger,
    private readonly mirror: LedgerMirrorDeps,
    private readonly activity: Pick<ActivityTracker, 'begin'>,
    private readonly warn: (message: string, details: Record<string, unknown>) => void,
  ) {
    super(inner);
  }

  /** Each write's item (an event, a command's item, a case's opening item), mirrored as one, by its first seq. */
  protected override afterAppend(caseId: string, appended: readonly [LedgerEvent, ...LedgerEvent[]]): void {
    this.enqueue(caseId, appended[0].seq);
  }

  private enqueue(caseId: string, seq: number): void {
    const end = this.activity.begin('ledger-mirror');
    this.#queue = this.#queue.then(() => this.mirrorOne(caseId, seq)).finally(end);
  }

  /** Resolves when every event appended so far is mirrored (or its failure logged). */
  idle(): Promise<void> {
    return this.#queue;
  }

  private async mirrorOne(caseId: string, seq: number): Promise<void> {
    try {
      const outcome = await mirrorLedgerEvent(this.mirror, caseId, seq, 'insert');
      if (outcome.outcome === 'tampered') {
        this.warn('ledger item changed after it was written; tamper record kept', {
          caseId,
          seq,
          reason: outcome.reason,
          recordKey: outcome.recordKey,
        });
      }
    } catch (error) {
      this.warn('ledger event not mirrored', {
        caseId,
        seq,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
}
