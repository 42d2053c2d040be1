import { createHash } from 'node:crypto';

import { CfnResource, Duration, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';

import type { ReportReplayStartEnv } from '../../../shared/schemas/audit-api';
import { readReportReplayDefinition } from '../../../statemachines/definition';
import { acknowledgeFunctionTracing, acknowledgeTriggerProvider } from '../nag-acknowledgements';
import { JalonFunction } from './jalon-function';
import type { ReportAggregates } from './report-aggregates';
import type { ReportReplay } from './report-replay';

export interface ReportReplayStartsProps {
  readonly stage: string;
  readonly entry: string;
  readonly replay: ReportReplay;
  readonly aggregates: ReportAggregates;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * The full replay of the report aggregates started without anyone asking (`docs/service-statement-report.md`),
 * by the `report-replay-start` Lambda (`functions/report-replay-start/`):
 * - after a deployment: a CDK `Trigger` invokes it once the replay machine and the stream consumer exist, when
 *   the stack is created and again whenever the consumer's code, the replay step's code or the machine's
 *   definition change (their fingerprint is a property of the trigger), and when its own code changes;
 * - on the stream consumer's failure queue: batches of up to 100 messages gathered for up to a minute, at most
 *   two batches at a time; a message a run in progress does not cover comes back after the queue's visibility
 *   timeout (15 minutes), until a run that started after it exists.
 * Its role lists and starts executions of the report-replay machine only, and consumes that one queue.
 */
export class ReportReplayStarts extends Construct {
  public readonly starter: JalonFunction;
  public readonly afterDeployment: triggers.Trigger;

  constructor(scope: Construct, id: string, props: ReportReplayStartsProps) {
    super(scope, id);
    const { stage, replay, aggregates } = props;
    const environment = {
      REPORT_REPLAY_STATE_MACHINE_ARN: replay.stateMachine.stateMachineArn,
    } satisfies Record<keyof ReportReplayStartEnv, string>;
    this.starter = new JalonFunction(this, 'Starter', {
      functionName: `jalon-${stage}-report-replay-start`,
      description: `Jalon ${stage}: starts a report replay after a deployment or aggregate failures.`,
      entry: props.entry,
      environment,
      memorySize: 256,
      // Two Step Functions calls; under the failure queue's visibility timeout, as the event source requires.
      timeout: Duration.seconds(30),
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    const fn = this.starter.function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartReportReplay',
        actions: ['states:ListExecutions', 'states:StartExecution'],
        resources: [replay.stateMachine.stateMachineArn],
      }),
    );
    acknowledgeFunctionTracing(this.starter.role);

    fn.addEventSource(
      new SqsEventSource(aggregates.failureQueue, {
        batchSize: 100,
        maxBatchingWindow: Duration.minutes(1),
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );

    this.afterDeployment = new triggers.Trigger(this, 'AfterDeployment', {
      handler: fn,
      executeAfter: [replay, aggregates],
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(1),
    });
    const resource = this.afterDeployment.node.findChild('Default').node.defaultChild as CfnResource;
    resource.addPropertyOverride('ReplayOf', {
      StreamConsumerCode: codeKeyOf(aggregates.consumer.function),
      ReplayStepCode: codeKeyOf(replay.task.function),
      ReplayDefinition: createHash('sha256').update(readReportReplayDefinition()).digest('hex'),
    });
    acknowledgeTriggerProvider(this.afterDeployment);
  }
}

/** The S3 key of a function's code asset: its content hash, so it changes exactly when the bundle does. */
function codeKeyOf(fn: lambda.Function): string {
  const code = (fn.node.defaultChild as lambda.CfnFunction).code;
  if (Tokenization.isResolvable(code) || code.s3Key === undefined) {
    throw new Error(`${fn.node.path} has no code asset key`);
  }
  return code.s3Key;
}
