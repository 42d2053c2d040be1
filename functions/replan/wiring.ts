import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbOpenCaseIds } from '../../shared/adapters/dynamodb/open-case-ids';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import type { Clock } from '../../shared/domain/messaging/ports';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars, type CalendarRegistry } from '../../shared/domain/time/calendars';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { makeHandler } from './handler';

/** What the replan function logs through (counts and case ids only). */
export interface ReplanLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * The replan function's handler on its AWS adapters: the open cases from the cases table's `OpenByDue`
 * index (a Query, paged; never a scan of the ledger), the case ledger, and the case-lifecycle workflow.
 */
export function replanFunction(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  readonly workflow: Workflow;
  readonly logger: ReplanLogger;
  readonly clock?: Clock;
  readonly calendars?: CalendarRegistry;
  readonly pageSize?: number;
}) {
  const { client, tables, logger } = input;
  const openCases = new DynamoDbOpenCaseIds({
    client,
    tables,
    ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
  });
  return makeHandler({
    ledger: new DynamoDbCaseLedger({
      client,
      tables,
      onProjectionFailure: (failure) =>
        logger.warn('projection write failed; the next read repairs it', { ...failure }),
    }),
    calendars: input.calendars ?? bundledCalendars(),
    clock: input.clock ?? { now: () => new Date() },
    workflow: input.workflow,
    workingHours: bundledSctPolicy().organization.workingHours,
    caseIds: () => openCases.caseIds(),
    log: (message, fields) => logger.info(message, fields),
    onCaseFailure: (caseId, error) =>
      logger.error('case not re-planned', {
        caseId,
        errorName: error instanceof Error ? error.name : 'unknown',
      }),
  });
}
