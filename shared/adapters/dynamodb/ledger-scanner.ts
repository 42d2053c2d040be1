import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, ScanCommandInput } from '@aws-sdk/lib-dynamodb';

import type { LedgerScanner } from '../../domain/audit/ports';
import type { ChainTail } from '../../domain/ledger/chain';
import type { LedgerEvent } from '../../domain/ledger/events';
import { eventsOfItem } from './ledger-head';
import { readProjectionItem } from './projection-item';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbLedgerScannerConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  /** Items per Scan page (`Limit`); DynamoDB's 1 MB pages when absent. */
  readonly pageSize?: number;
}

/**
 * Whole-table reads of the ledger and of the case projections (single-segment, consistent, every page). A
 * single-segment Scan returns each item collection (one case's events) together and in sort-key order.
 */
export class DynamoDbLedgerScanner implements LedgerScanner {
  constructor(private readonly config: DynamoDbLedgerScannerConfig) {}

  /** Heads of the projections that are intact (exactly as the ledger adapter wrote them), by case id. */
  async projectionHeads(): Promise<ReadonlyMap<string, ChainTail>> {
    const heads = new Map<string, ChainTail>();
    for await (const page of this.projectionHeadPages()) {
      for (const head of page) heads.set(head.caseId, { seq: head.seq, hash: head.hash });
    }
    return heads;
  }

  /**
   * The same heads a page of the cases table at a time (the daily digest lists them without holding every
   * case in memory).
   */
  async *projectionHeadPages(): AsyncIterable<readonly (ChainTail & { readonly caseId: string })[]> {
    for await (const items of this.scan('cases', { TableName: this.config.tables.cases })) {
      yield items.flatMap((item) => {
        const stored = readProjectionItem(item);
        if (stored.state !== 'valid') return [];
        const { caseId, lastSeq, lastHash } = stored.projection;
        return [{ caseId, seq: lastSeq, hash: lastHash }];
      });
    }
  }

  async *events(): AsyncIterable<readonly LedgerEvent[]> {
    // Events as stored, unparsed: a tampered field must reach the verification, not fail here. Each item is
    // unpacked into its events (an opening item holds several); the snapshot it carries is dropped.
    for await (const items of this.scan('ledger', { TableName: this.config.tables.ledger }))
      yield items.flatMap(eventsOfItem);
  }

  /** Every case id the ledger holds: the case ids of the first events (`seq = 1`). */
  async caseIds(): Promise<string[]> {
    const ids: string[] = [];
    const pages = this.scan('ledger', {
      TableName: this.config.tables.ledger,
      FilterExpression: '#seq = :first',
      ProjectionExpression: '#caseId',
      ExpressionAttributeNames: { '#seq': 'seq', '#caseId': 'caseId' },
      ExpressionAttributeValues: { ':first': 1 },
    });
    for await (const items of pages) {
      for (const item of items) if (typeof item['caseId'] === 'string') ids.push(item['caseId']);
    }
    return ids;
  }

  /**
   * The seq of each case's last ledger item (keys only): where the ledger itself says a case's chain ends,
   * whatever its projection says.
   */
  async lastItemSeqs(): Promise<Map<string, number>> {
    const last = new Map<string, number>();
    const pages = this.scan('ledger', {
      TableName: this.config.tables.ledger,
      ProjectionExpression: '#caseId, #seq',
      ExpressionAttributeNames: { '#seq': 'seq', '#caseId': 'caseId' },
    });
    for await (const items of pages) {
      for (const item of items) {
        const { caseId, seq } = item;
        if (typeof caseId === 'string' && typeof seq === 'number')
          last.set(caseId, Math.max(seq, last.get(caseId) ?? 0));
      }
    }
    return last;
  }

  private async *scan(
    table: 'cases' | 'ledger',
    input: ScanCommandInput,
  ): AsyncIterable<Record<string, unknown>[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.config.client.send(
          new ScanCommand({
            ...input,
            ConsistentRead: true,
            ...(this.config.pageSize !== undefined ? { Limit: this.config.pageSize } : {}),
            ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (error) {
        throw toStoreError(error, { table, operation: 'Scan' });
      }
      yield page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }
}
