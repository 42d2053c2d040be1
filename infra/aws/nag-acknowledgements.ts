import { DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
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

/** The audit API reads the executions of the case-lifecycle state machine, whose names are case ids. */
export function acknowledgeAuditExecutionReads(scope: IConstruct, executionsArn: string): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, executionsArn),
    reason:
      'states:DescribeExecution and GetExecutionHistory on the executions of the case-lifecycle state machine ' +
      'only (one per case and generation, named after the case id); no other state machine, no write.',
  });
}

/**
 * The executions of a job's state machine (the ledger verification, the mirror back-fill), whose names are
 * run ids: read by whoever follows a run (`reason` says who and which machine).
 */
export function acknowledgeJobExecutionReads(scope: IConstruct, executionsArn: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: wildcardResource(scope, executionsArn), reason });
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

/** The managed policy CDK's own provider functions (custom resources) run with. */
const LAMBDA_BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** The citizen distribution: served on its CloudFront domain name, open to the world. */
export function acknowledgeCitizenDistribution(
  distribution: IConstruct,
  options: { readonly customDomain: boolean },
): void {
  if (!options.customDomain) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No citizen domain configured (citizenSiteDomainName): on the default *.cloudfront.net certificate ' +
        'CloudFront fixes the minimum at TLSv1. With it, the distribution requires TLSv1.2_2021.',
    });
  }
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason:
      'No geographic restriction: citizens and companies may write from outside Canada (the Charte de la ' +
      'langue française even names people outside Québec), and the WAF rate rule limits abuse per address.',
  });
}

/** The staff distribution (`StaffDistribution`): same TLS situation as the citizen one, no geographic rule. */
export function acknowledgeStaffDistribution(
  distribution: IConstruct,
  options: { readonly customDomain: boolean },
): void {
  if (!options.customDomain) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No staff domain configured (staffSiteCertificateArn or staffSiteHostedZoneId): on the default ' +
        '*.cloudfront.net certificate CloudFront fixes the minimum at TLSv1. With it, the distribution ' +
        'requires TLSv1.2_2021.',
    });
  }
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason:
      'No geographic restriction: staff sign in with MFA and every API call needs a Cognito token; staff on ' +
      'a mission abroad must still reach their cases. The staff web ACL limits each address.',
  });
}

/**
 * An origin-verify secret (`CitizenIntakeStack`, `StaffApiStack`): rotated by hand, since CloudFront must change
 * with it.
 */
export function acknowledgeOriginVerifySecret(secret: IConstruct): void {
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The origin-verify header value is not a credential (it only proves a request came through CloudFront); ' +
      'a rotation Lambda would also have to update the distribution, so it is rotated by putting a new value ' +
      'and deploying the stack of its distribution (see originVerifySecret).',
  });
}

/** The public route of the citizen form. */
export function acknowledgePublicFormRoute(route: IConstruct): void {
  Validations.of(route).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'POST /api/requests is the public request form: anyone may write to the organization, without an ' +
      'account. Protected by the CloudFront WAF (per-IP rate rule, AWS managed rules), route throttling and ' +
      'the strict body schema of form-intake.',
  });
}

/** The provider function of `AwsCustomResource`, created once per stack by CDK. */
export function acknowledgeCustomResourceProvider(stack: Stack): void {
  const id = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
  const provider = stack.node.tryFindChild(id);
  if (provider === undefined) throw new Error(`No AwsCustomResource provider (${id}) in ${stack.stackName}.`);
  Validations.of(provider).acknowledge({
    id: LAMBDA_BASIC_EXECUTION,
    reason:
      "CDK's AwsCustomResource provider function (reads the web ACL ARN parameter): the managed policy " +
      'only lets it write its CloudWatch logs; its one other permission is ssm:GetParameter on that parameter.',
  });
}

/**
 * The provider CDK's `Trigger` runs on (a singleton per stack, created with the first trigger): it invokes
 * the trigger's function during a deployment and nothing else.
 */
export function acknowledgeTriggerProvider(trigger: IConstruct): void {
  const stack = Stack.of(trigger);
  const provider = stack.node.tryFindChild('AWSCDK.TriggerCustomResourceProviderCustomResourceProvider');
  if (provider === undefined) throw new Error(`No trigger provider in ${stack.stackName}.`);
  Validations.of(provider).acknowledge({
    id: LAMBDA_BASIC_EXECUTION,
    reason:
      "CDK's Trigger provider function: the managed policy only lets it write its CloudWatch logs; its one " +
      'other permission is lambda:InvokeFunction on the versions of the report-replay-start function.',
  });
}

/** The function CDK creates to configure a bucket's event notifications (`Custom::S3BucketNotifications`). */
export function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  // aws-cdk-lib's fixed id of that singleton (aws-s3 NotificationsResourceHandler).
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (handler === undefined) throw new Error(`No bucket notifications handler in ${stack.stackName}.`);
  Validations.of(handler).acknowledge({
    id: LAMBDA_BASIC_EXECUTION,
    reason:
      "CDK's bucket-notifications handler: the managed policy only lets it write its CloudWatch logs; its " +
      'other permission is s3:PutBucketNotification.',
  });
}

/** The role AWS Backup assumes to back up the tables (`TableBackups`). */
export function acknowledgeBackupServiceRole(selection: IConstruct): void {
  Validations.of(selection).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    reason:
      "AWS Backup's own policy for the role it assumes to take backups: AWS keeps it in step with the " +
      'services it backs up; the selection names the tables, and the role is only assumable by AWS Backup.',
  });
}

/** The dead-letter queue of email intake's queue. */
export function acknowledgeFailureQueue(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue of the email-intake queue; nothing consumes it automatically ' +
      '(an operator redrives it once the cause is fixed), so it needs no DLQ of its own.',
  });
}

/** Object-level access of email-intake to its two buckets (no delete, see the stack). */
export function acknowledgeEmailIntakeAccess(
  scope: IConstruct,
  rawMail: s3.IBucket,
  attachments: s3.IBucket,
): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, rawMail.arnForObjects('inbound/*')),
    reason:
      'Reads (s3:GetObject, s3:GetObjectVersion) the messages SES delivered under inbound/; no write, no delete.',
  });
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, attachments.arnForObjects('*')),
    reason: 'Writes and re-reads (s3:PutObject, s3:GetObject) the attachments it extracts; no delete.',
  });
}

/** Object-level read of the attachments by the staff API, whose role signs the download links. */
export function acknowledgeAttachmentDownloads(scope: IConstruct, attachments: s3.IBucket): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, attachments.arnForObjects('*')),
    reason:
      'Download links are signed with this role: it reads (s3:GetObject) any attachment of a case the person ' +
      'may read (checked by the handler before a link exists); no write, no list, no delete.',
  });
}

/** Object-level access of the holding-pen triage to the mail buckets (no delete, see the stack). */
export function acknowledgeHoldingTriageAccess(
  scope: IConstruct,
  rawMail: s3.IBucket,
  attachments: s3.IBucket,
): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, rawMail.arnForObjects('inbound/*')),
    reason:
      'Holding-pen triage reads (s3:GetObject) the held messages SES delivered under inbound/; no version, ' +
      'no write, no delete.',
  });
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, attachments.arnForObjects('*')),
    reason:
      'Holding-pen triage stores (s3:PutObject, after a HeadObject that needs s3:GetObject) the attachments of ' +
      'a held message it files on a case, under <caseId>/; no delete.',
  });
}

/**
 * The content deployment of the citizen site: CDK's `BucketDeployment` provider function, which copies the
 * site's asset from the CDK assets bucket into the site bucket, deletes files no longer in the site (prune),
 * and invalidates the distribution. Its permissions and runtime are CDK's; the bucket holds public pages only.
 */
export function acknowledgeSiteDeployment(
  deployment: s3deploy.BucketDeployment,
  siteBucket: s3.IBucket,
): void {
  const provider = deployment.handlerRole.node.scope;
  if (provider === undefined) throw new Error('BucketDeployment without a provider function.');
  const stack = Stack.of(deployment);
  // The bootstrap assets bucket, named as DefaultStackSynthesizer names it.
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const assetsBucket = `arn:${stack.partition}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`;
  const acknowledgements: Record<string, string> = {
    [LAMBDA_BASIC_EXECUTION]:
      "CDK's BucketDeployment provider: the managed policy only lets it write its logs.",
    'AwsSolutions-IAM5[Action::s3:GetBucket*]':
      'BucketDeployment reads the CDK assets bucket and the site bucket.',
    'AwsSolutions-IAM5[Action::s3:GetObject*]':
      'BucketDeployment reads the site asset from the CDK assets bucket.',
    'AwsSolutions-IAM5[Action::s3:List*]': 'BucketDeployment lists the site bucket to sync it.',
    'AwsSolutions-IAM5[Action::s3:Abort*]': 'BucketDeployment aborts its own failed multipart uploads.',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
      'BucketDeployment removes from the site bucket the files the site no longer has (public pages only).',
    [wildcardResource(provider, assetsBucket)]: 'The CDK assets bucket the site asset is uploaded to.',
    [wildcardResource(provider, siteBucket.arnForObjects('*'))]:
      'The site bucket (static pages and scripts).',
    'AwsSolutions-IAM5[Resource::*]':
      'cloudfront:CreateInvalidation and GetInvalidation, as BucketDeployment grants them.',
    'AwsSolutions-L1': "The runtime of CDK's BucketDeployment provider is chosen by aws-cdk-lib.",
  };
  for (const [id, reason] of Object.entries(acknowledgements))
    Validations.of(provider).acknowledge({ id, reason });
}

/** Object-level access of a function to the letters bucket, under `letters/` only (no delete, no list). */
export function acknowledgeLetterAccess(scope: IConstruct, lettersObjectsArn: string, what: string): void {
  Validations.of(scope).acknowledge({
    id: wildcardResource(scope, lettersObjectsArn),
    reason: `The PDFs of the letters to requesters without email, under letters/<caseId>/ only: ${what}.`,
  });
}

/** The mail-events dead-letter queue. */
export function acknowledgeMailEventsDeadLetters(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue of the mail-events queue; nothing consumes it automatically ' +
      '(an operator redrives it once the cause is fixed), so it needs no DLQ of its own.',
  });
}

/**
 * Object-level access to prefixes of the ledger mirror bucket (read before write, never delete): `what` says
 * which objects and actions.
 */
export function acknowledgeLedgerMirrorAccess(
  scope: IConstruct,
  objectArns: readonly string[],
  what: string,
): void {
  for (const objectArn of objectArns) {
    Validations.of(scope).acknowledge({
      id: wildcardResource(scope, objectArn),
      reason:
        `${what}: one object per key, so the grant names the prefix. The bucket policy denies every delete and ` +
        'Object Lock (compliance) forbids overwriting a version.',
    });
  }
}

/** The on-failure queue of the ledger mirror's stream consumer. */
export function acknowledgeLedgerMirrorFailureQueue(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the on-failure destination of the ledger mirror (the stream position and keys of ' +
      'the batches not mirrored); nothing consumes it automatically (its alarm tells an operator, who mirrors ' +
      'those events again), so it needs no DLQ of its own.',
  });
}
