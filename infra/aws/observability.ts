import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Stage } from './deployment-context';

/**
 * Names and retention of Jalon's log groups. The names live under two prefixes per stage, so the ops key's
 * policy can let CloudWatch Logs use the key for exactly these log groups and no others.
 */

/** `/jalon/<stage>/`: log groups Jalon names freely (Lambda functions, API access logs). */
export function jalonLogGroupPrefix(stage: Stage): string {
  return `/jalon/${stage}/`;
}

/** A log group under the stage prefix, e.g. `/jalon/prod/lambda/workflow-tasks`. */
export function jalonLogGroupName(stage: Stage, suffix: string): string {
  return `${jalonLogGroupPrefix(stage)}${suffix}`;
}

/**
 * `/aws/vendedlogs/states/jalon-<stage>-`: Step Functions log groups. The `/aws/vendedlogs/` prefix keeps the
 * CloudWatch Logs resource policy that log delivery writes from growing with each state machine.
 */
export function stateMachineLogGroupPrefix(stage: Stage): string {
  return `/aws/vendedlogs/states/jalon-${stage}-`;
}

/**
 * Operational logs (identifiers, error names, timings; never message content or addresses) are kept long
 * enough to investigate an incident reported late. The legal record is the ledger, not the logs.
 */
export function logRetention(stage: Stage): logs.RetentionDays {
  switch (stage) {
    case 'dev':
      return logs.RetentionDays.TWO_WEEKS;
    case 'test':
      return logs.RetentionDays.ONE_MONTH;
    case 'prod':
      return logs.RetentionDays.ONE_YEAR;
  }
}

export interface JalonLogGroupProps {
  readonly stage: Stage;
  /** After the stage prefix, e.g. `lambda/form-intake`. */
  readonly suffix: string;
  /** The ops key (its policy lets CloudWatch Logs use it for the stage's prefix). */
  readonly key: kms.IKey;
  /** Keep the log group when the stack goes (every stage but dev). */
  readonly retain: boolean;
}

/**
 * A log group under the stage prefix, encrypted with the ops key, with the stage's retention: for the
 * functions CDK creates itself (custom resources, content deployment), which would otherwise log into an
 * unencrypted group without retention.
 */
export function jalonLogGroup(scope: Construct, id: string, props: JalonLogGroupProps): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: jalonLogGroupName(props.stage, props.suffix),
    retention: logRetention(props.stage),
    encryptionKey: props.key,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

/**
 * Throttled reads or writes of one table (the table itself, not its indexes), summed over `period`. Table
 * names are fixed per stage, so the ops and dashboard stacks build it without referencing the data stack.
 */
export function tableThrottles(
  tableName: string,
  metricName: 'ReadThrottleEvents' | 'WriteThrottleEvents',
  period: Duration,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap: { TableName: tableName },
    period,
    statistic: 'Sum',
    ...(label === undefined ? {} : { label }),
  });
}
