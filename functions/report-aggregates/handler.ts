import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

import { projectReportAggregate } from '../../shared/domain/report/aggregates';
import type { ReportStreamProjectorDeps } from '../../shared/domain/report/aggregates';

export interface ReportAggregatesLogger {
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface ReportAggregatesDeps extends ReportStreamProjectorDeps {
  readonly logger: ReportAggregatesLogger;
}

/**
 * The ledger table's DynamoDB stream (keys only: `caseId`, `seq`; no personal data) → the report aggregates.
 * Records are grouped by case and each case is projected once (`projectReportAggregate`: it rebuilds the
 * aggregate from the case's whole ledger, so a replayed or out-of-order record changes nothing). A case that fails
 * is reported by its first record of the batch (`batchItemFailures`, with `ReportBatchItemFailures` on the
 * event source mapping), so the stream retries from there; after the retries the batch goes to the
 * mapping's on-failure destination (a queue) and the replay job repairs the aggregate.
 */
export function makeHandler(
  deps: ReportAggregatesDeps,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    const cases = new Map<string, { seq: number; firstRecord: string }>();
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      const caseId = record.dynamodb?.Keys?.['caseId']?.S;
      const seq = Number(record.dynamodb?.Keys?.['seq']?.N);
      if (caseId === undefined || !Number.isInteger(seq)) {
        // Not a ledger event key: nothing to project (never retried).
        deps.logger.warn('stream record without a ledger key skipped', { sequenceNumber });
        continue;
      }
      const known = cases.get(caseId);
      if (known === undefined) cases.set(caseId, { seq, firstRecord: sequenceNumber });
      else known.seq = Math.max(known.seq, seq);
    }
    for (const [caseId, { seq, firstRecord }] of cases) {
      try {
        await projectReportAggregate(deps, caseId);
      } catch (error) {
        deps.logger.warn('report aggregate not updated; the stream retries', {
          caseId,
          seq,
          errorName: error instanceof Error ? error.name : 'unknown',
        });
        failures.push({ itemIdentifier: firstRecord });
      }
    }
    return { batchItemFailures: failures };
  };
}
