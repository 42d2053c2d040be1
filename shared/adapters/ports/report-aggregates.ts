import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { Clock } from '../../domain/messaging/ports';
import { DynamoDbReportAggregates } from '../dynamodb/report-aggregates';
import type { TableNames } from '../dynamodb/table-definitions';

/** The service statement's aggregates and day summaries, in the reports table. */
export function reportAggregatesOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'reports'>;
  readonly clock?: Clock;
}): DynamoDbReportAggregates {
  return new DynamoDbReportAggregates({
    client: input.client,
    tables: { reports: input.tables.reports },
    ...(input.clock !== undefined ? { clock: input.clock } : {}),
  });
}
