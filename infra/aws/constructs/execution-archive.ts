import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import {
  CLOSED_EXECUTION_STATUSES,
  EXECUTION_ARCHIVE_PREFIX,
} from '../../../shared/domain/audit/execution-archive';
import type { ExecutionArchiveEnv } from '../../../shared/schemas/execution-archive';
import type { Stage } from '../deployment-context';
import {
  acknowledgeAuditExecutionReads,
  acknowledgeFunctionTracing,
  acknowledgeLedgerMirrorAccess,
} from '../nag-acknowledgements';
import { JalonFunction } from './jalon-function';
import { grantMirrorObjects, ledgerMirrorBucketOf } from './ledger-mirror';

export interface ExecutionArchiveProps {
  readonly stage: Stage;
  readonly entry: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly dataKey: kms.IKey;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * Workflow histories beyond Step Functions' 90 days (`docs/ledger-mirror.md`, "Workflow histories"): an
 * EventBridge rule on the case-lifecycle's executions closing (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) invokes
 * the `execution-archive` Lambda, which copies the execution's summary and history once under `executions/v1/`
 * of the ledger mirror bucket (locked like the events). The target retries for a day, then the event goes to a
 * dead-letter queue, which raises an alarm. Its role reads those executions and reads and puts archive
 * objects: no delete, no other prefix.
 */
export class ExecutionArchive extends Construct {
  public readonly archiver: JalonFunction;
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExecutionArchiveProps) {
    super(scope, id);
    const { stage } = props;
    const bucket = ledgerMirrorBucketOf(this, stage);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `jalon-${stage}-execution-archive-dead-letters`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the execution-archive rule (the status-change events ' +
        'not archived); nothing consumes it automatically (its alarm tells an operator), so it needs no DLQ.',
    });
    const environment = {
      STATE_MACHINE_ARN: props.stateMachineArn,
      LEDGER_MIRROR_BUCKET: bucket.bucketName,
    } satisfies Record<keyof ExecutionArchiveEnv, string>;
    this.archiver = new JalonFunction(this, 'Archiver', {
      functionName: `jalon-${stage}-execution-archive`,
      description: `Jalon ${stage}: copies each closed case-lifecycle execution's history into the mirror bucket.`,
      entry: props.entry,
      environment,
      memorySize: 256,
      timeout: Duration.seconds(60),
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    const fn = this.archiver.function;
    const executions = executionsArnOf(this, props.stateMachineName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadClosedExecutions',
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [executions],
      }),
    );
    acknowledgeAuditExecutionReads(this.archiver.role, executions);
    const objectArns = grantMirrorObjects(fn, {
      bucket,
      prefixes: [EXECUTION_ARCHIVE_PREFIX],
      dataKey: props.dataKey,
      write: true,
      sid: 'ArchiveExecutionsOnce',
    });
    acknowledgeLedgerMirrorAccess(
      this.archiver.role,
      objectArns,
      'The archived histories of closed case-lifecycle executions (executions/v1/<name>.json), GetObject and ' +
        'PutObject only',
    );
    acknowledgeFunctionTracing(this.archiver.role);
    this.rule = new events.Rule(this, 'ExecutionClosed', {
      ruleName: `jalon-${stage}-case-lifecycle-closed`,
      description: `Jalon ${stage}: a case-lifecycle execution closed; archive its history.`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...CLOSED_EXECUTION_STATUSES], stateMachineArn: [props.stateMachineArn] },
      },
      targets: [
        new targets.LambdaFunction(fn, {
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}

/** ARN pattern of the executions of a state machine of this stack's account and region. */
export function executionsArnOf(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
