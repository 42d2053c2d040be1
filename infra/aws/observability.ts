import * as logs from 'aws-cdk-lib/aws-logs';
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
