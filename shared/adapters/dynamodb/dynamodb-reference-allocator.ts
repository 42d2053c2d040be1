import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { ReferenceExhaustedError, StoreError } from '../../errors';
import { parseOrThrow } from '../../domain/case/parse';
import {
  MAX_REFERENCE_SEQUENCE,
  ReferencePrefixSchema,
  ReferenceYearSchema,
  formatCaseReference,
} from '../../domain/case/reference';
import type { CaseReference } from '../../domain/case/reference';
import type { ReferenceAllocator, ReferenceRequest } from '../../domain/ledger/ports';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbReferenceAllocatorConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
}

/** Key of the counter item of a prefix and local year in the `control` table, e.g. `counter#SCT#2026`. */
export function referenceCounterKey(prefix: string, year: number): string {
  return `counter#${prefix}#${year}`;
}

/**
 * Allocates case references from one counter item per prefix and local year in the `control` table. The
 * increment is a single atomic UpdateItem (`if_not_exists(…) + 1`), so concurrent allocations get distinct,
 * consecutive numbers and a new year starts its own counter at 1.
 */
export class DynamoDbReferenceAllocator implements ReferenceAllocator {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(config: DynamoDbReferenceAllocatorConfig) {
    this.client = config.client;
    this.table = config.tables.control;
  }

  async allocate(request: ReferenceRequest): Promise<CaseReference> {
    const prefix = parseOrThrow(ReferencePrefixSchema, request.prefix, 'reference prefix');
    const year = parseOrThrow(ReferenceYearSchema, request.year, 'reference year');
    let sequence: unknown;
    try {
      const output = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: referenceCounterKey(prefix, year) },
          UpdateExpression: 'SET #value = if_not_exists(#value, :zero) + :one',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      sequence = output.Attributes?.value;
    } catch (error) {
      throw toStoreError(error, { operation: 'UpdateItem', table: 'control' });
    }
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
      throw new StoreError('The reference counter returned no usable value.', {
        transient: false,
        details: { operation: 'UpdateItem', table: 'control' },
      });
    }
    if (sequence > MAX_REFERENCE_SEQUENCE) throw new ReferenceExhaustedError(prefix, year);
    return formatCaseReference({ prefix, year, sequence });
  }
}
