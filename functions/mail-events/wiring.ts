import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { makeHandler } from './handler';
import type { MailEventsHandler, MailEventsLogger, MailEventsMetrics } from './handler';

/** What the mail-events function is deployed with (its Lambda's environment; the local stack's names). */
export interface MailEventsConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
}

/**
 * The mail-events handler with every port it needs, composed in one place for the Lambda entry point and the
 * local stack: the case ledger on the cases and ledger tables and the clock, unless the caller passes them
 * already built (the local stack's shared ledger), the logger and metrics.
 */
export function mailEventsFunction(input: {
  readonly clients: { readonly dynamo: DynamoDBDocumentClient };
  readonly config: MailEventsConfig;
  readonly logger: MailEventsLogger;
  readonly metrics: MailEventsMetrics;
  readonly shared?: Partial<Pick<SharedPorts, 'ledger' | 'clock'>>;
}): MailEventsHandler {
  const { clients, config, logger, shared = {} } = input;
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client: clients.dynamo, tables: config.tables, logger }),
    clock: shared.clock ?? systemClock,
    logger,
    metrics: input.metrics,
  });
}
