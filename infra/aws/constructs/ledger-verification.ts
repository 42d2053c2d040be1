import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

import type { LedgerDigestEnv, LedgerVerificationEnv } from '../../../shared/schemas/audit-api';
import { readLedgerVerificationDefinition } from '../../../statemachines/definition';
import { acknowledgeFunctionTracing, acknowledgeLedgerMirrorAccess } from '../nag-acknowledgements';
import { JalonFunction } from './jalon-function';
import { stepJobStateMachine, stepJobTask } from './step-job';

export interface LedgerVerificationProps {
  readonly stage: string;
  readonly entries: { readonly verification: string; readonly digest: string };
  readonly tables: {
    readonly cases: dynamodb.ITable;
    readonly ledger: dynamodb.ITable;
    readonly reports: dynamodb.ITable;
  };
  readonly dataKey: kms.IKey;
  /** The WORM mirror of the ledger (Object Lock, compliance mode): `ledger/v1/…` and `digests/…`. */
  readonly mirrorBucket: s3.IBucket;
  readonly logGroupNames: {
    readonly verification: string;
    readonly digest: string;
    readonly stateMachine: string;
  };
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  /** Outside dev: logs and the signing key are kept when the stack goes. */
  readonly retain: boolean;
}

/**
 * The ledger's evidence checks (`docs/ledger-verification.md`): the daily digest of every case head, signed
 * with a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY) and stored under `digests/` of the mirror bucket, and
 * the `ledger-verification` state machine (Standard; `statemachines/ledger-verification.asl.json`) with its
 * step Lambda, which checks every chain, its mirror and the last digest.
 *
 * Least privilege: the digest Lambda scans the cases table, signs with the key (`kms:Sign`, nothing else) and
 * puts objects under `digests/` only; the step Lambda reads the ledger (Scan, Query, GetItem), the cases'
 * projections (GetItem), the mirror bucket (list and get, no put), the key's public half
 * (`kms:GetPublicKey`), and writes the two `#ledger-verification-*` items of the reports table. The key policy
 * gives the account its administration only (no `kms:Sign` to anyone but through the grant above).
 */
export class LedgerVerification extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** `jalon-<stage>-ledger-verification`: its executions are `…:execution:<name>:<runId>`. */
  public readonly stateMachineName: string;
  public readonly task: JalonFunction;
  public readonly digest: JalonFunction;
  public readonly signingKey: kms.Key;
  /** Writes the digest every day at 05:00 UTC (midnight or 01:00 in Québec). */
  public readonly digestSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: LedgerVerificationProps) {
    super(scope, id);
    const { stage, tables, mirrorBucket } = props;

    this.signingKey = new kms.Key(this, 'DigestKey', {
      alias: `alias/jalon-${stage}-ledger-digest`,
      description: `Jalon ${stage}: signs the daily digests of the ledger's case heads.`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // The account administers the key; using it takes a grant on a role (below).
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersKey',
            principals: [new iam.AccountRootPrincipal()],
            actions: [
              'kms:Describe*',
              'kms:Get*',
              'kms:List*',
              'kms:Create*',
              'kms:Enable*',
              'kms:Disable*',
              'kms:Put*',
              'kms:Update*',
              'kms:Revoke*',
              'kms:TagResource',
              'kms:UntagResource',
              'kms:ScheduleKeyDeletion',
              'kms:CancelKeyDeletion',
            ],
            resources: ['*'],
          }),
        ],
      }),
    });

    const digestEnvironment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      LEDGER_MIRROR_BUCKET: mirrorBucket.bucketName,
      LEDGER_DIGEST_KEY_ID: this.signingKey.keyArn,
    } satisfies Record<keyof LedgerDigestEnv, string>;
    this.digest = new JalonFunction(this, 'Digest', {
      functionName: `jalon-${stage}-ledger-digest`,
      description: `Jalon ${stage}: daily signed digest of every case head of the ledger.`,
      entry: props.entries.digest,
      environment: digestEnvironment,
      memorySize: 2048,
      timeout: Duration.minutes(15),
      logGroupName: props.logGroupNames.digest,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retain,
    });
    const digestFn = this.digest.function;
    digestFn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ScanCaseHeads',
        actions: ['dynamodb:Scan'],
        resources: [tables.cases.tableArn],
      }),
    );
    digestFn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SignDigests',
        actions: ['kms:Sign'],
        resources: [this.signingKey.keyArn],
      }),
    );
    digestFn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutDigests',
        actions: ['s3:PutObject'],
        resources: [mirrorBucket.arnForObjects('digests/*')],
      }),
    );
    acknowledgeLedgerMirrorAccess(
      this.digest.role,
      [mirrorBucket.arnForObjects('digests/*')],
      'the daily digest and its signature record, put once (no read, delete or retention change)',
    );
    props.dataKey.grant(digestFn, 'kms:Decrypt', 'kms:DescribeKey');
    // The mirror bucket is encrypted with the data key (`LedgerMirrorBucket`): a put needs a data key from it.
    props.dataKey.grant(digestFn, 'kms:GenerateDataKey');
    acknowledgeFunctionTracing(this.digest.role);

    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      REPORTS_TABLE_NAME: tables.reports.tableName,
      LEDGER_MIRROR_BUCKET: mirrorBucket.bucketName,
      LEDGER_DIGEST_KEY_ID: this.signingKey.keyArn,
    } satisfies Record<keyof LedgerVerificationEnv, string>;
    this.task = stepJobTask(this, {
      functionName: `jalon-${stage}-ledger-verification`,
      description: `Jalon ${stage}: steps of the ledger verification (chains, mirror, signed digest).`,
      entry: props.entries.verification,
      environment,
      logGroupName: props.logGroupNames.verification,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retain,
      tables,
      dataKey: props.dataKey,
      runs: { sid: 'StoreVerificationRuns', keyPrefix: '#ledger-verification-*' },
    });
    const fn = this.task.function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCaseHeads',
        actions: ['dynamodb:GetItem'],
        resources: [tables.cases.tableArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListMirror',
        actions: ['s3:ListBucket'],
        resources: [mirrorBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['ledger/v1/*', 'digests/*'] } },
      }),
    );
    const mirrored = [mirrorBucket.arnForObjects('ledger/v1/*'), mirrorBucket.arnForObjects('digests/*')];
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadMirror', actions: ['s3:GetObject'], resources: mirrored }),
    );
    for (const objects of mirrored)
      acknowledgeLedgerMirrorAccess(
        this.task.role,
        [objects],
        'the events and digests the job reads (GetObject only)',
      );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadDigestPublicKey',
        actions: ['kms:GetPublicKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
    acknowledgeFunctionTracing(this.task.role);

    this.stateMachineName = `jalon-${stage}-ledger-verification`;
    this.stateMachine = stepJobStateMachine(this, {
      stateMachineName: this.stateMachineName,
      definition: readLedgerVerificationDefinition(),
      substitutions: { LedgerVerificationFunctionArn: fn },
      logGroupName: props.logGroupNames.stateMachine,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retain: props.retain,
    });

    this.digestSchedule = new events.Rule(this, 'DailyDigest', {
      description: `Jalon ${stage}: daily signed digest of the ledger's case heads.`,
      schedule: events.Schedule.cron({ minute: '0', hour: '5' }),
      targets: [new targets.LambdaFunction(digestFn, { retryAttempts: 2 })],
    });
  }
}
