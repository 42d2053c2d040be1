import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbAccessJournal } from '../../shared/adapters/dynamodb/access-journal';
import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { DynamoDbLedgerVerifications } from '../../shared/adapters/dynamodb/ledger-verifications';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { ledgerScannerOn } from '../../shared/adapters/ports/ledger-scanner';
import { reportAggregatesOn } from '../../shared/adapters/ports/report-aggregates';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { staffDirectoryOn } from '../../shared/adapters/ports/staff-directory';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { SfnReportReplayStarter } from '../../shared/adapters/sfn/report-replay-starter';
import { SfnSingleRunStarter } from '../../shared/adapters/sfn/single-run-starter';
import { ArchivedExecutionHistory } from '../../shared/domain/audit/execution-archive';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { LedgerReportSource } from '../../shared/domain/report/ledger-source';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import type { OriginCheck } from '../../shared/http/origin-verify';
import type { ApiLogger } from '../staff-api/http';
import { makeHandler } from './handler';
import type { AuditApiDeps } from './handler';
import { reportPortsInAws } from './report-wiring';

/** What the audit API is deployed with (its Lambda's environment; the local stack's emulator names). */
export interface AuditApiConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control' | 'staff' | 'reports'>;
  /** The ledger mirror bucket: the executions archived when they closed (`executions/v1/`). */
  readonly buckets: { readonly ledgerMirror: string };
  /** The case-lifecycle state machine, whose executions the timeline reads. */
  readonly stateMachineArn: string;
  /** The report-replay state machine (AWS); the report reads the ledger when there is none and no override. */
  readonly reportReplayStateMachineArn?: string;
  /** The ledger-verification state machine, when deployed. */
  readonly ledgerVerificationStateMachineArn?: string;
}

/**
 * The audit-api handler with every port it needs, composed in one place for the Lambda entry point and the
 * local stack: from the clients and the configuration, the access journal (control table), the cases
 * table's references, the case-lifecycle's execution history (Step Functions, then the archive of the
 * executions it has forgotten), the ledger scanner, the ledger verification's starter and runs, the report's
 * source and replay (in AWS the stream-fed aggregates until the first replay, and the replay state machine;
 * the local stack passes its own, fed as it appends), and the ports it shares with other functions (ledger,
 * clock, policy, calendars, directory) unless the caller passes them already built.
 */
export function auditApiFunction(input: {
  readonly clients: {
    readonly dynamo: DynamoDBDocumentClient;
    readonly s3: S3Client;
    readonly sfn: SFNClient;
  };
  readonly config: AuditApiConfig;
  readonly logger: ApiLogger;
  /** The origin-verify header check (`required` in AWS, `off` on the local stack). */
  readonly originCheck: OriginCheck;
  /** The report's source and replay where they differ from AWS's (the local stack has no stream). */
  readonly reports?: Required<Pick<AuditApiDeps, 'reportSource' | 'reportReplay'>>;
  readonly shared?: Partial<SharedPorts>;
}) {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables } = config;
  const clock = shared.clock ?? systemClock;
  const scanner = ledgerScannerOn({ client, tables });
  const reports =
    input.reports ??
    (config.reportReplayStateMachineArn !== undefined
      ? reportPortsInAws({
          aggregates: reportAggregatesOn({ client, tables, clock }),
          ledger: new LedgerReportSource(scanner),
          replay: new SfnReportReplayStarter({
            client: clients.sfn,
            stateMachineArn: config.reportReplayStateMachineArn,
          }),
        })
      : {});
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    scanner,
    ...reports,
    ...(config.ledgerVerificationStateMachineArn !== undefined
      ? {
          ledgerVerification: {
            verifications: new SfnSingleRunStarter({
              client: clients.sfn,
              stateMachineArn: config.ledgerVerificationStateMachineArn,
            }),
            verificationStore: new DynamoDbLedgerVerifications({ client, tables }),
          },
        }
      : {}),
    clock,
    policy: shared.policy ?? bundledSctPolicy(),
    calendars: shared.calendars ?? bundledCalendars(),
    // Only the members' display names are used here (no notification groups).
    directory: shared.directory ?? staffDirectoryOn({ client, tables, logger }),
    logger,
    originCheck: input.originCheck,
    accessJournal: new DynamoDbAccessJournal({ client, tables: { control: tables.control } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    executions: new ArchivedExecutionHistory(
      new SfnExecutionHistory({ client: clients.sfn, stateMachineArn: config.stateMachineArn }),
      new S3WriteOnceStore({
        client: clients.s3,
        bucket: config.buckets.ledgerMirror,
        label: 'ledger-mirror',
      }),
    ),
  });
}
