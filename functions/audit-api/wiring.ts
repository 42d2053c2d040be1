import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbAccessJournal } from '../../shared/adapters/dynamodb/access-journal';
import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { ArchivedExecutionHistory } from '../../shared/domain/audit/execution-archive';
import type { ReadableWriteOnceStore } from '../../shared/domain/audit/execution-archive';
import { makeHandler } from './handler';
import type { AuditApiDeps } from './handler';

/**
 * The audit-api handler on its adapters, composed once for the Lambda entry point and the local stack: the
 * access journal (control table), the cases table's references, the case-lifecycle state machine's execution
 * history (Step Functions, then the archive of the executions it has forgotten), and the ports the caller built (ledger, ledger scanner, clock, policy, calendars, directory, and
 * the report's source and replay, which differ: the AWS stream-fed aggregates until the first replay, the
 * local stack's aggregates fed as it appends).
 */
export function auditApiFunction(
  input: Omit<AuditApiDeps, 'accessJournal' | 'caseReferences' | 'executions'> & {
    readonly client: DynamoDBDocumentClient;
    readonly tables: { readonly cases: string; readonly control: string };
    readonly sfn: SFNClient;
    /** The case-lifecycle state machine, whose executions the timeline reads. */
    readonly stateMachineArn: string;
    /** The executions archived when they closed (`executions/v1/` of the ledger mirror bucket). */
    readonly executionArchive: Pick<ReadableWriteOnceStore, 'get'>;
  },
) {
  const { client, tables, sfn, stateMachineArn, executionArchive, ...ports } = input;
  return makeHandler({
    ...ports,
    accessJournal: new DynamoDbAccessJournal({ client, tables: { control: tables.control } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    executions: new ArchivedExecutionHistory(
      new SfnExecutionHistory({ client: sfn, stateMachineArn }),
      executionArchive,
    ),
  });
}
