import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbOpenCaseIds } from '../../shared/adapters/dynamodb/open-case-ids';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { makeHandler } from './handler';
import type { ReplanHandlerDeps } from './handler';

/** What the replan function logs through (counts and case ids only). */
export interface ReplanLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** What the replan function is deployed with (its Lambda's environment; the local stack's names). */
export interface ReplanConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  /** The case-lifecycle state machine (a case whose deadline moved earlier is woken: a new generation). */
  readonly stateMachineArn: string;
}

export interface ReplanWiringInput {
  readonly clients: { readonly dynamo: DynamoDBDocumentClient; readonly sfn: SFNClient };
  readonly config: ReplanConfig;
  readonly logger: ReplanLogger;
  /** Open cases per page of the `OpenByDue` query (DynamoDB's 1 MB pages when absent). */
  readonly pageSize?: number;
  readonly shared?: Partial<Pick<SharedPorts, 'ledger' | 'workflow' | 'clock' | 'policy' | 'calendars'>>;
}

/**
 * The replan function's ports, composed in one place for the Lambda entry point and the local stack: the
 * open cases from the cases table's `OpenByDue` index (a Query, paged; never a scan of the ledger), and the
 * ports it shares with other functions (ledger, case-lifecycle workflow, clock, policy's working hours,
 * calendars) unless the caller passes them already built. The local stack runs the use case on them with the
 * calendar files read afresh at each run.
 */
export function replanDeps(input: ReplanWiringInput): ReplanHandlerDeps {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables } = config;
  const openCases = new DynamoDbOpenCaseIds({
    client,
    tables: { cases: tables.cases },
    ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
  });
  return {
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    calendars: shared.calendars ?? bundledCalendars(),
    clock: shared.clock ?? systemClock,
    workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
    workingHours: (shared.policy ?? bundledSctPolicy()).organization.workingHours,
    caseIds: () => openCases.caseIds(),
    log: (message, fields) => logger.info(message, fields),
    onCaseFailure: (caseId, error) =>
      logger.error('case not re-planned', {
        caseId,
        errorName: error instanceof Error ? error.name : 'unknown',
      }),
  };
}

/** The replan function's handler on its ports (`replanDeps`). */
export function replanFunction(input: ReplanWiringInput) {
  return makeHandler(replanDeps(input));
}
