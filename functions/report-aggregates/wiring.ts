import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { reportAggregatesOn } from '../../shared/adapters/ports/report-aggregates';
import { makeHandler } from './handler';
import type { ReportAggregatesLogger } from './handler';

/** What the report projector is deployed with (its Lambda's environment). */
export interface ReportAggregatesConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'reports'>;
}

/**
 * The stream projector's handler with its ports, composed in one place: the ledger (read only) and the
 * reports table. The local stack, which has no stream, feeds the same aggregates as it appends
 * (`ReportFeedingCaseLedger`), on the same builder of the reports table.
 */
export function reportAggregatesFunction(input: {
  readonly clients: { readonly dynamo: DynamoDBDocumentClient };
  readonly config: ReportAggregatesConfig;
  readonly logger: ReportAggregatesLogger;
}) {
  const client = input.clients.dynamo;
  const { tables } = input.config;
  return makeHandler({
    ledger: caseLedgerOn({ client, tables }),
    store: reportAggregatesOn({ client, tables }),
    logger: input.logger,
  });
}
