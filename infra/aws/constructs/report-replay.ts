import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

import type { ReportReplayEnv } from '../../../shared/schemas/audit-api';
import { readReportReplayDefinition, REPORT_REPLAY_SUBSTITUTIONS } from '../../../statemachines/definition';
import {
  acknowledgeFunctionTracing,
  acknowledgeInvokeVersions,
  acknowledgeStateMachineObservability,
} from '../nag-acknowledgements';
import { aslPlaceholders } from './case-lifecycle';
import { JalonFunction } from './jalon-function';
import { grantAggregateRebuild } from './report-aggregates';

export interface ReportReplayProps {
  readonly stage: string;
  readonly entry: string;
  readonly tables: {
    readonly cases: dynamodb.Table;
    readonly ledger: dynamodb.Table;
    readonly reports: dynamodb.Table;
  };
  readonly dataKey: kms.IKey;
  readonly functionLogGroupName: string;
  /** Vended log group of the state machine, under `/aws/vendedlogs/states/`. */
  readonly stateMachineLogGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * The full replay of the ledger against the report aggregates (`docs/service-statement-report.md`): the
 * `report-replay` state machine (Standard: a run over a large ledger takes hours; `statemachines/report-replay.asl.json`)
 * and its step Lambda. The Lambda reads the ledger (Scan for the list of cases, Query per case) and reads and
 * writes the reports table's items (GetItem, PutItem): no index, no other table. The machine may invoke that
 * Lambda only; it logs ALL events without execution data and is traced.
 */
export class ReportReplay extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly task: JalonFunction;
  /** Starts a replay every Sunday at 07:00 UTC (02:00 or 03:00 in Québec). */
  public readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ReportReplayProps) {
    super(scope, id);
    const { stage, tables } = props;
    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      REPORTS_TABLE_NAME: tables.reports.tableName,
    } satisfies Record<keyof ReportReplayEnv, string>;
    this.task = new JalonFunction(this, 'Task', {
      functionName: `jalon-${stage}-report-replay`,
      description: `Jalon ${stage}: steps of the full replay of the ledger against the report aggregates.`,
      entry: props.entry,
      environment,
      memorySize: 1024,
      // A step stops starting pages after 10 minutes (functions/report-replay/index.ts).
      timeout: Duration.minutes(15),
      logGroupName: props.functionLogGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    const fn = this.task.function;
    grantAggregateRebuild(fn, { ledger: tables.ledger, reports: tables.reports }, props.dataKey, {
      listCases: true,
      reportsSid: 'CheckReportAggregates',
      summarizeDays: true,
    });
    acknowledgeFunctionTracing(this.task.role);

    const definition = readReportReplayDefinition();
    const placeholders = aslPlaceholders(definition);
    if (JSON.stringify(placeholders) !== JSON.stringify([...REPORT_REPLAY_SUBSTITUTIONS].sort())) {
      throw new Error(`report-replay ASL placeholders ${placeholders.join(', ')} are not the declared ones`);
    }
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.stateMachineLogGroupName,
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `jalon-${stage}-report-replay`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: { ReportReplayFunctionArn: fn.functionArn },
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    fn.grantInvoke(this.stateMachine);
    acknowledgeStateMachineObservability(this.stateMachine.role);
    acknowledgeInvokeVersions(this.stateMachine.role, fn);

    // Every week, so that a deployment's first replay (before which the report reads the ledger) and the
    // "last checked" of every report come without anyone starting one. Weekly rather than nightly: a replay
    // reads the whole ledger (about 1.4 million read units after one year at 200,000 cases a year, growing
    // each year); an auditor can start one at any time (`POST /api/audit/reports/replay`).
    this.schedule = new events.Rule(this, 'Weekly', {
      description: `Jalon ${stage}: weekly replay of the ledger against the report aggregates.`,
      schedule: events.Schedule.cron({ minute: '0', hour: '7', weekDay: 'SUN' }),
      targets: [
        new targets.SfnStateMachine(this.stateMachine, {
          input: events.RuleTargetInput.fromObject({}),
          retryAttempts: 2,
        }),
      ],
    });
  }
}
