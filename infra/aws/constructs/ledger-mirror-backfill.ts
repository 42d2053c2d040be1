import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

import { EXECUTION_ARCHIVE_PREFIX } from '../../../shared/domain/audit/execution-archive';
import { LEDGER_CONFLICT_PREFIX, LEDGER_MIRROR_PREFIX } from '../../../shared/domain/ledger/mirror-layout';
import type { LedgerMirrorBackfillEnv } from '../../../shared/schemas/audit-api';
import { readLedgerMirrorBackfillDefinition } from '../../../statemachines/definition';
import type { Stage } from '../deployment-context';
import {
  acknowledgeAuditExecutionReads,
  acknowledgeFunctionTracing,
  acknowledgeJobExecutionReads,
  acknowledgeLedgerMirrorAccess,
} from '../nag-acknowledgements';
import { executionsArnOf } from './execution-archive';
import { JalonFunction } from './jalon-function';
import { grantMirrorObjects, ledgerMirrorBucketOf } from './ledger-mirror';
import { stepJobStateMachine, stepJobTask } from './step-job';

export interface LedgerMirrorBackfillProps {
  readonly stage: Stage;
  readonly entry: string;
  readonly tables: { readonly ledger: dynamodb.ITable; readonly reports: dynamodb.ITable };
  readonly dataKey: kms.IKey;
  /** The case-lifecycle state machine, whose closed executions are archived. */
  readonly caseLifecycle: { readonly arn: string; readonly name: string };
  readonly logGroupNames: { readonly task: string; readonly stateMachine: string };
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  /** Outside dev: logs are kept when the stack goes. */
  readonly retain: boolean;
}

/**
 * The ledger mirror back-fill (`docs/ledger-mirror.md`, "Back-fill"): the `ledger-mirror-backfill` state
 * machine (Standard; `statemachines/ledger-mirror-backfill.asl.json`) and its step Lambda, which mirror every
 * ledger item the WORM bucket lacks and archive every closed case-lifecycle execution not archived yet. An
 * operator starts it once after the mirror's first deployment (`npx jalon ledger backfill`).
 *
 * Least privilege: the step Lambda reads the ledger (Scan, Query, GetItem; never a write), gets and puts
 * objects under `ledger/v1/`, `ledger-conflicts/v1/` and `executions/v1/` of the mirror bucket (no delete,
 * no retention change, no other prefix, the data key through S3 only), lists the case-lifecycle's executions
 * and reads theirs, and writes the two `#ledger-mirror-backfill-*` items of the reports table.
 */
export class LedgerMirrorBackfill extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly task: JalonFunction;
  /**
   * What the operator who runs `npx jalon ledger backfill` needs, to attach to their role or group
   * (`jalon-<stage>-ledger-mirror-backfill-operator`): start the run, or find the one running, and follow it.
   */
  public readonly operatorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LedgerMirrorBackfillProps) {
    super(scope, id);
    const { stage, tables } = props;
    const bucket = ledgerMirrorBucketOf(this, stage);
    const environment = {
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      REPORTS_TABLE_NAME: tables.reports.tableName,
      LEDGER_MIRROR_BUCKET: bucket.bucketName,
      STATE_MACHINE_ARN: props.caseLifecycle.arn,
    } satisfies Record<keyof LedgerMirrorBackfillEnv, string>;
    this.task = stepJobTask(this, {
      functionName: `jalon-${stage}-ledger-mirror-backfill`,
      description: `Jalon ${stage}: steps of the ledger mirror back-fill (missing events, closed executions).`,
      entry: props.entry,
      environment,
      logGroupName: props.logGroupNames.task,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retain,
      tables,
      dataKey: props.dataKey,
      runs: { sid: 'StoreBackfillRuns', keyPrefix: '#ledger-mirror-backfill-*' },
    });
    const fn = this.task.function;
    const objectArns = grantMirrorObjects(fn, {
      bucket,
      prefixes: [LEDGER_MIRROR_PREFIX, LEDGER_CONFLICT_PREFIX, EXECUTION_ARCHIVE_PREFIX],
      dataKey: props.dataKey,
      write: true,
      sid: 'BackfillMirrorOnce',
    });
    acknowledgeLedgerMirrorAccess(
      this.task.role,
      objectArns,
      'the missing events, tamper records and execution archives, written once (GetObject and PutObject only)',
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListClosedExecutions',
        actions: ['states:ListExecutions'],
        resources: [props.caseLifecycle.arn],
      }),
    );
    const executions = executionsArnOf(this, props.caseLifecycle.name);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadClosedExecutions',
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [executions],
      }),
    );
    acknowledgeAuditExecutionReads(this.task.role, executions);
    acknowledgeFunctionTracing(this.task.role);

    const stateMachineName = `jalon-${stage}-ledger-mirror-backfill`;
    this.stateMachine = stepJobStateMachine(this, {
      stateMachineName,
      definition: readLedgerMirrorBackfillDefinition(),
      substitutions: { LedgerMirrorBackfillFunctionArn: fn },
      logGroupName: props.logGroupNames.stateMachine,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retain: props.retain,
    });

    // The command lists the machine's running executions (one run at a time), starts one, then describes it
    // until it ends; nothing else (no stop, no history, no other machine, no data).
    const runs = executionsArnOf(this, stateMachineName);
    this.operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      managedPolicyName: `${stateMachineName}-operator`,
      description: `Jalon ${stage}: run the ledger mirror back-fill (npx jalon ledger backfill) and follow it.`,
      statements: [
        new iam.PolicyStatement({
          sid: 'StartBackfill',
          actions: ['states:StartExecution', 'states:ListExecutions'],
          resources: [this.stateMachine.stateMachineArn],
        }),
        new iam.PolicyStatement({
          sid: 'FollowBackfill',
          actions: ['states:DescribeExecution'],
          resources: [runs],
        }),
      ],
    });
    acknowledgeJobExecutionReads(
      this.operatorPolicy,
      runs,
      'states:DescribeExecution on the executions of the ledger-mirror-backfill state machine only (one per ' +
        'run, named by a random UUID), which the operator follows; no other state machine, no write.',
    );
  }
}
