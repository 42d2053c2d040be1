import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

import { REPORT_INDEXES } from '../../../shared/adapters/dynamodb/table-definitions';
import type { ReportAggregatesEnv } from '../../../shared/schemas/audit-api';
import { acknowledgeFunctionTracing } from '../nag-acknowledgements';
import { grantLedgerRead } from './ledger-access';
import { LedgerStreamConsumer } from './ledger-stream-consumer';

export interface ReportAggregatesProps {
  readonly stage: string;
  readonly entry: string;
  readonly tables: {
    readonly cases: dynamodb.Table;
    readonly ledger: dynamodb.Table;
    readonly reports: dynamodb.Table;
  };
  readonly dataKey: kms.IKey;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * The report aggregates kept from the ledger (`docs/service-statement-report.md`): the `report-aggregates`
 * Lambda on the ledger table's keys-only stream, wired as every consumer of that stream
 * (`LedgerStreamConsumer`); the messages of its failure queue start a replay that repairs the aggregates
 * (`ReportReplayStarts`). Its role reads the ledger (GetItem, Query) and reads and writes the reports table's
 * items (GetItem, PutItem): no index, no other table.
 */
export class ReportAggregates extends LedgerStreamConsumer {
  constructor(scope: Construct, id: string, props: ReportAggregatesProps) {
    const { stage, tables } = props;
    super(scope, id, {
      stage,
      name: 'report-aggregates',
      description: `Jalon ${stage}: keeps the service-statement report aggregates from the ledger stream.`,
      entry: props.entry,
      environment: {
        CASES_TABLE_NAME: tables.cases.tableName,
        LEDGER_TABLE_NAME: tables.ledger.tableName,
        REPORTS_TABLE_NAME: tables.reports.tableName,
      } satisfies Record<keyof ReportAggregatesEnv, string>,
      memorySize: 512,
      ledger: tables.ledger,
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
      // How long before a message that a replay in progress does not cover is seen again (ReportReplayStarts).
      failureVisibilityTimeout: Duration.minutes(15),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the ledger stream consumer (report aggregates). ' +
        'Its consumer only starts a replay (ReportReplayStarts) and keeps a message until a replay covers it; ' +
        'a message it cannot handle stays here and raises the age alarm, so a DLQ would add nothing.',
    });
    grantAggregateRebuild(
      this.consumer.function,
      { ledger: tables.ledger, reports: tables.reports },
      props.dataKey,
      { listCases: false, reportsSid: 'KeepReportAggregates' },
    );
    acknowledgeFunctionTracing(this.consumer.role);
  }
}

/**
 * What a function that rebuilds report aggregates from the ledger may do, and nothing more: read the ledger
 * (`GetItem`, `Query`; `Scan` too when it lists every case, as the replay does), read and write the reports
 * table's items (`GetItem`, `PutItem`: no index, no delete), count a change of a day summary item
 * (`UpdateItem` of `#day#` items only), and use the data key both tables are encrypted with. With
 * `summarizeDays` (the replay's day walk), also read a day's cases (`Query` of `ByReceivedDay`) and items by key
 * (`BatchGetItem`: day items, their pieces, pending cases), and save summaries (the same `#day#` updates).
 */
export function grantAggregateRebuild(
  fn: iam.IGrantable,
  tables: { readonly ledger: dynamodb.ITable; readonly reports: dynamodb.ITable },
  dataKey: kms.IKey,
  options: { readonly listCases: boolean; readonly reportsSid: string; readonly summarizeDays?: boolean },
): void {
  grantLedgerRead(fn, tables.ledger, { listCases: options.listCases });
  const statements = [
    new iam.PolicyStatement({
      sid: options.reportsSid,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [tables.reports.tableArn],
    }),
    // A case written counts a change of its receipt day (`markDayChanged`): the day summary items only.
    new iam.PolicyStatement({
      sid: 'MarkReportDays',
      actions: ['dynamodb:UpdateItem'],
      resources: [tables.reports.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#day#*'] } },
    }),
    ...(options.summarizeDays === true
      ? [
          new iam.PolicyStatement({
            sid: 'SummarizeReportDays',
            actions: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
            resources: [
              tables.reports.tableArn,
              `${tables.reports.tableArn}/index/${REPORT_INDEXES.byReceivedDay}`,
            ],
          }),
        ]
      : []),
    new iam.PolicyStatement({
      sid: 'UseDataKey',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [dataKey.keyArn],
    }),
  ];
  for (const statement of statements) fn.grantPrincipal.addToPrincipalPolicy(statement);
}
