import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { CaseReferenceSchema } from '../../domain/case/reference';
import type { CaseReference, CaseReferenceLookup } from '../../domain/case/reference';
import { parseOrThrow } from '../../domain/case/parse';
import { toStoreError } from './store-errors';
import { CASE_INDEXES } from './table-definitions';
import type { TableNames } from './table-definitions';

export interface DynamoDbCaseReferenceLookupConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases'>;
}

/**
 * Finds a case by its reference on the `cases` table's `ByReference` index (the projection item carries its
 * reference at top level): one Query of one item, whatever the size of the table. References are unique, so
 * the first item is the case. A projection stored before it carried the attribute is found once it is
 * rewritten (every read of a case repairs its item; every open case is read at least once a business day).
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
    let output;
    try {
      output = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: CASE_INDEXES.byReference,
          KeyConditionExpression: '#reference = :reference',
          ProjectionExpression: 'caseId',
          ExpressionAttributeNames: { '#reference': 'reference' },
          ExpressionAttributeValues: { ':reference': wanted },
          Limit: 1,
        }),
      );
    } catch (error) {
      throw toStoreError(error, { operation: 'Query', table: 'cases' });
    }
    const found = (output.Items ?? []).find((item) => typeof item.caseId === 'string');
    return found === undefined ? undefined : (found.caseId as string);
  }
}
