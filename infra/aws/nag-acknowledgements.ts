import { Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';
import type { TableAccess } from './constructs/table-access';

/**
 * The cdk-nag findings Jalon accepts, each acknowledged on the construct it concerns, one finding id at a
 * time, with the reason. Kept in one file so a reviewer sees every exception in one place; the infra tests
 * check that the wildcards acknowledged here stay on the actions named in the reasons.
 */

/**
 * The IAM5 finding id of a wildcard resource, flattened exactly as cdk-nag flattens it (so a logical id
 * change cannot silently turn an acknowledgement into a dead letter: the nag test would fail instead).
 */
function wildcardResource(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/**
 * Read/write grants on the Jalon tables (`Table.grantReadWriteData`): the GSIs of a table are addressed as
 * `table/<name>/index/*`, and DynamoDB encryption with the customer-managed data key needs
 * `kms:GenerateDataKey*` and `kms:ReEncrypt*`, on that one key only.
 */
export function acknowledgeTableAccess(scope: IConstruct, tables: readonly TableAccess[]): void {
  for (const { tableName, indexNames } of tables) {
    if (indexNames.length === 0) continue;
    const indexArn = Stack.of(scope).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: `${tableName}/index/*`,
    });
    Validations.of(scope).acknowledge({
      id: wildcardResource(scope, indexArn),
      reason: `The GSIs of ${tableName} (${indexNames.join(', ')}), which the adapters query; no other table.`,
    });
  }
  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason:
        'Granted by Table.grantReadWriteData for DynamoDB server-side encryption with the customer-managed ' +
        'data key; the statement is scoped to that one key ARN.',
    });
  }
}

/** `Resource::*` on a Lambda role: only the X-Ray actions of active tracing, which take no resource ARN. */
export function acknowledgeFunctionTracing(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level ' +
      'permissions. Every other statement of this role names its resources.',
  });
}

/**
 * `Resource::*` on the state machine role: X-Ray tracing and CloudWatch Logs log delivery
 * (`logs:CreateLogDelivery` and its siblings), neither of which supports resource-level permissions.
 */
export function acknowledgeStateMachineObservability(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Step Functions logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ' +
      'ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing ' +
      '(xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) accept no resource ARN.',
  });
}

/**
 * `lambda:InvokeFunction` on `<function ARN>:*`, added by `grantInvoke` next to the unqualified ARN: the
 * versions and aliases of that same function, so a later alias-based deployment keeps working.
 */
export function acknowledgeInvokeVersions(scope: IConstruct, fn: lambda.IFunction): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, `${fn.functionArn}:*`),
    reason: `Versions and aliases of ${fn.node.path} only (lambda:InvokeFunction); no other function.`,
  });
}
