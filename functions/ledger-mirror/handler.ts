import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

import { mirrorLedgerEvent } from '../../shared/domain/ledger/mirror';
import type {
  LedgerItemChange,
  LedgerMirrorDeps,
  LedgerMirrorOutcome,
} from '../../shared/domain/ledger/mirror';

export interface LedgerMirrorLogger {
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** Counts the outcomes (`mirrored`, `already-mirrored`, `tampered`); identifiers never go to metrics. */
export interface LedgerMirrorMetrics {
  record(outcome: LedgerMirrorOutcome): void;
}

export interface LedgerMirrorHandlerDeps extends LedgerMirrorDeps {
  readonly logger: LedgerMirrorLogger;
  readonly metrics: LedgerMirrorMetrics;
}

const CHANGES: Readonly<Record<string, LedgerItemChange>> = {
  INSERT: 'insert',
  MODIFY: 'modify',
  REMOVE: 'remove',
};

/**
 * The ledger table's stream (keys only) → the WORM mirror (`mirrorLedgerEvent`), record by record in stream
 * order. A tampered item is logged as an error with its keys and counted, and its record is kept in the
 * bucket; it is not a failure (retrying would find the same). A record that fails (a read or write error) is
 * reported with the records after it (`batchItemFailures` from the first failure: the stream retries from
 * there, with `ReportBatchItemFailures` on the mapping); after the retries the batch goes to the mapping's
 * on-failure queue.
 */
export function makeHandler(
  deps: LedgerMirrorHandlerDeps,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    for (const [index, record] of event.Records.entries()) {
      const key = keyOf(record);
      if (key === undefined) {
        deps.logger.warn('stream record without a ledger key skipped', {
          sequenceNumber: record.dynamodb?.SequenceNumber,
        });
        continue;
      }
      try {
        const outcome = await mirrorLedgerEvent(deps, key.caseId, key.seq, key.change);
        deps.metrics.record(outcome);
        if (outcome.outcome === 'tampered') {
          deps.logger.error('ledger item changed after it was written; tamper record kept', {
            caseId: key.caseId,
            seq: key.seq,
            reason: outcome.reason,
            recordKey: outcome.recordKey,
          });
        }
      } catch (error) {
        deps.logger.warn('ledger event not mirrored; the stream retries', {
          caseId: key.caseId,
          seq: key.seq,
          errorName: error instanceof Error ? error.name : 'unknown',
        });
        return {
          batchItemFailures: event.Records.slice(index).map((failed) => ({
            itemIdentifier: failed.dynamodb?.SequenceNumber ?? '',
          })),
        };
      }
    }
    return { batchItemFailures: [] };
  };
}

function keyOf(
  record: DynamoDBRecord,
): { caseId: string; seq: number; change: LedgerItemChange } | undefined {
  const caseId = record.dynamodb?.Keys?.['caseId']?.S;
  const seq = Number(record.dynamodb?.Keys?.['seq']?.N);
  const change = CHANGES[record.eventName ?? ''];
  if (caseId === undefined || !Number.isInteger(seq) || seq < 1 || change === undefined) return undefined;
  return { caseId, seq, change };
}
