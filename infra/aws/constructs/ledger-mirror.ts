import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { LEDGER_MIRROR_METRIC, METRICS_NAMESPACE } from '../../../functions/ledger-mirror/metrics';
import { LEDGER_CONFLICT_PREFIX, LEDGER_MIRROR_PREFIX } from '../../../shared/domain/ledger/mirror-layout';
import type { LedgerMirrorEnv } from '../../../shared/schemas/ledger-mirror';
import type { Stage } from '../deployment-context';
import {
  acknowledgeFunctionTracing,
  acknowledgeLedgerMirrorAccess,
  acknowledgeLedgerMirrorFailureQueue,
} from '../nag-acknowledgements';
import { EVIDENCE_DELETE_ACTIONS } from './evidence-bucket';
import { grantLedgerRead } from './ledger-access';
import { LedgerStreamConsumer } from './ledger-stream-consumer';

/** Physical name of a stage's ledger mirror bucket, so that readers in other stacks find it without an export. */
export function ledgerMirrorBucketName(stage: Stage, account: string, region: string): string {
  return `jalon-${stage}-ledger-mirror-${account}-${region}`;
}

/**
 * The mirror bucket as a function's stack sees it: by physical name, as `lettersBucketOf` does, so object ARNs
 * are plain strings of that stack's pseudo parameters, whose IAM wildcards can be acknowledged by their text.
 */
export function ledgerMirrorBucketOf(scope: Construct, stage: Stage): s3.IBucket {
  const stack = Stack.of(scope);
  return s3.Bucket.fromBucketName(
    scope,
    'Bucket',
    ledgerMirrorBucketName(stage, stack.account, stack.region),
  );
}

/**
 * What reads and writes the mirror bucket's objects under `prefixes` may do: `s3:GetObject` (and `s3:PutObject`
 * when it writes), never a delete, a retention change or a listing; the data key through S3 only.
 */
export function grantMirrorObjects(
  fn: iam.IGrantable,
  options: {
    readonly bucket: s3.IBucket;
    readonly prefixes: readonly string[];
    readonly dataKey: kms.IKey;
    readonly write: boolean;
    readonly sid: string;
  },
): string[] {
  const region = Stack.of(options.bucket).region;
  const objectArns = options.prefixes.map((prefix) => options.bucket.arnForObjects(`${prefix}*`));
  fn.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: options.sid,
      actions: options.write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      resources: objectArns,
    }),
  );
  fn.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: `${options.sid}Key`,
      actions: options.write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [options.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }),
  );
  return objectArns;
}

export interface LedgerMirrorBucketProps {
  readonly stage: Stage;
  /** Whole years every object stays locked in compliance mode (`ledgerMirrorRetentionYears`). */
  readonly retentionYears: number;
  /** Customer-managed key of the bucket's default encryption (SSE-KMS with a bucket key). */
  readonly encryptionKey: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * The WORM copy of the ledger (`docs/ledger-mirror.md`): every ledger event once, under the layout of
 * `shared/domain/ledger/mirror-layout.ts`. Object Lock with a default retention in compliance mode (no one, the
 * account's root included, can delete or overwrite a version or shorten its retention before it ends),
 * versioned, SSE-KMS with the data key, private (public access blocked, ACLs disabled), TLS only, server access
 * logs, no lifecycle rule (nothing expires or moves), deletes denied by the bucket policy. Retained when the
 * stack goes, in every stage: S3 cannot delete a bucket that holds locked objects anyway.
 */
export class LedgerMirrorBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LedgerMirrorBucketProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: ledgerMirrorBucketName(props.stage, account, region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'ledger-mirror/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // In years, not the days aws-cdk-lib renders: ten years are not 3,650 days (leap days).
    (this.bucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: props.retentionYears } },
    };
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeletingLedgerMirror',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...EVIDENCE_DELETE_ACTIONS],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
  }
}

export interface LedgerMirrorProps {
  readonly stage: Stage;
  readonly entry: string;
  readonly ledger: dynamodb.ITable;
  /** The key of the ledger table and of the mirror bucket. */
  readonly dataKey: kms.IKey;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * The `ledger-mirror` Lambda on the ledger table's keys-only stream (`docs/ledger-mirror.md`), wired as every
 * consumer of that stream (`LedgerStreamConsumer`): the stream position and keys of a batch it could not mirror
 * wait in its failure queue, whose messages raise an alarm. Its role reads ledger items (`GetItem`, `Query`) and
 * reads and puts objects under the mirror's two prefixes: no delete, no retention change, no other bucket.
 */
export class LedgerMirror extends LedgerStreamConsumer {
  constructor(scope: Construct, id: string, props: LedgerMirrorProps) {
    const { stage } = props;
    const bucketName = ledgerMirrorBucketName(stage, Stack.of(scope).account, Stack.of(scope).region);
    super(scope, id, {
      stage,
      name: 'ledger-mirror',
      description: `Jalon ${stage}: copies every ledger event once into the WORM mirror bucket.`,
      entry: props.entry,
      environment: {
        LEDGER_TABLE_NAME: props.ledger.tableName,
        LEDGER_MIRROR_BUCKET: bucketName,
      } satisfies Record<keyof LedgerMirrorEnv, string>,
      memorySize: 256,
      ledger: props.ledger,
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    acknowledgeLedgerMirrorFailureQueue(this.failureQueue);
    const fn = this.consumer.function;
    grantLedgerRead(fn, props.ledger);
    const objectArns = grantMirrorObjects(fn, {
      bucket: ledgerMirrorBucketOf(this, stage),
      prefixes: [LEDGER_MIRROR_PREFIX, LEDGER_CONFLICT_PREFIX],
      dataKey: props.dataKey,
      write: true,
      sid: 'WriteLedgerMirrorOnce',
    });
    acknowledgeLedgerMirrorAccess(
      this.consumer.role,
      objectArns,
      'The mirrored ledger events (ledger/v1/<caseId>/<seq>.json) and tamper records (ledger-conflicts/v1/), ' +
        'GetObject and PutObject only',
    );
    acknowledgeFunctionTracing(this.consumer.role);
  }

  /** Ledger items the mirror found changed after they were written (tamper records kept), summed. */
  metricTampered(period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: LEDGER_MIRROR_METRIC,
      dimensionsMap: { service: 'ledger-mirror', outcome: 'tampered' },
      period,
      statistic: 'Sum',
    });
  }
}
