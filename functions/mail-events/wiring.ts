import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Clock } from '../../shared/domain/messaging/ports';
import { makeHandler } from './handler';
import type { MailEventsHandler, MailEventsLogger, MailEventsMetrics } from './handler';

/**
 * The mail-events handler on its adapters, composed once for the Lambda entry point and the local stack: the
 * case ledger (on the cases and ledger tables, unless the caller shares its own), the clock, logger and
 * metrics.
 */
export function mailEventsFunction(
  input: {
    readonly clock: Clock;
    readonly logger: MailEventsLogger;
    readonly metrics: MailEventsMetrics;
  } & (
    | { readonly ledger: CaseLedger }
    | {
        readonly client: DynamoDBDocumentClient;
        readonly tables: { readonly cases: string; readonly ledger: string };
      }
  ),
): MailEventsHandler {
  const ledger =
    'ledger' in input
      ? input.ledger
      : new DynamoDbCaseLedger({
          client: input.client,
          tables: input.tables,
          onProjectionFailure: (failure) =>
            input.logger.warn('projection write failed; the next read repairs it', { ...failure }),
        });
  return makeHandler({ ledger, clock: input.clock, logger: input.logger, metrics: input.metrics });
}
