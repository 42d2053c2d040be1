import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { CaseReferenceSchema } from '../../domain/case/reference';
import type { CaseReference, CaseReferenceLookup } from '../../domain/case/reference';
import { parseOrThrow } from '../../domain/case/parse';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbCaseReferenceLookupConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases'>;
}

/**
 * Finds a case by its reference on the `cases` table: a Scan filtered on the projection's reference, reading
 * case ids only, stopping at the first match. It needs no index, so it finds every case, including those
 * stored before anyone looked references up. It is used for held mail that quotes a reference without a
 * token (once at intake, then only for items held before that), so its cost (a read of the table) is paid
 * rarely; see `docs/held-mail-confidentiality.md`.
 */
export class DynamoDbCaseReferenceLookup implements CaseReferenceLookup {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(config: DynamoDbCaseReferenceLookupConfig) {
    this.client = config.client;
    this.table = config.tables.cases;
  }

  async caseIdOf(reference: CaseReference): Promise<string | undefined> {
    const wanted = parseOrThrow(CaseReferenceSchema, reference, 'case reference');
    let start: Record<string, unknown> | undefined;
    do {
      let output;
      try {
        output = await this.client.send(
          new ScanCommand({
            TableName: this.table,
            FilterExpression: '#projection.#reference = :reference',
            ProjectionExpression: 'caseId',
            ExpressionAttributeNames: { '#projection': 'projection', '#reference': 'reference' },
            ExpressionAttributeValues: { ':reference': wanted },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
      } catch (error) {
        throw toStoreError(error, { operation: 'Scan', table: 'cases' });
      }
      const found = (output.Items ?? []).find((item) => typeof item.caseId === 'string');
      if (found !== undefined) return found.caseId as string;
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return undefined;
  }
}
