import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** What nobody may do to an evidence object, whatever their IAM permissions: delete it or one of its versions. */
export const EVIDENCE_DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'] as const;

export interface EvidenceBucketProps {
  /** Physical name, when other stacks find the bucket by name; CloudFormation names it otherwise. */
  readonly bucketName?: string;
  /** Customer-managed key of the bucket's default encryption (SSE-KMS with a bucket key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Objects (current and earlier versions) move to S3 Glacier Instant Retrieval after this long: cheaper
   * storage, still read in milliseconds by `GetObject` (so download links and holding-pen reads keep working;
   * Glacier Flexible Retrieval would need a restore first, see `docs/attachment-archiving.md`). Absent, they
   * stay in S3 Standard.
   */
  readonly archiveAfter?: Duration;
  readonly accessLogsBucket: s3.IBucket;
  readonly accessLogsPrefix: string;
  /** Keep the bucket when the stack goes (every stage but dev). */
  readonly retain: boolean;
}

/**
 * A bucket that keeps evidence (raw inbound mail exactly as received, the attachments taken from it, the letters
 * posted to requesters): private (all public access blocked, ACLs disabled), TLS only, SSE-KMS with the given
 * key, versioned, server access logs, archived to Glacier Instant Retrieval after a while if asked and never
 * deleted by lifecycle.
 *
 * Deletion is refused to every principal by the bucket policy (`EVIDENCE_DELETE_ACTIONS`, explicit deny, which
 * no IAM grant overrides); removing that takes a bucket-policy change, which CloudTrail records. Object Lock is
 * enabled so a legal hold or a retention can be put on individual objects, but without a default retention:
 * SES cannot write to a bucket whose Object Lock has one (each write would need a checksum SES does not send).
 */
export class EvidenceBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(props.bucketName !== undefined ? { bucketName: props.bucketName } : {}),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      lifecycleRules: [
        props.archiveAfter === undefined
          ? { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }
          : {
              id: 'ArchiveEvidence',
              transitions: [
                {
                  storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                  transitionAfter: props.archiveAfter,
                },
              ],
              noncurrentVersionTransitions: [
                {
                  storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                  transitionAfter: props.archiveAfter,
                },
              ],
              abortIncompleteMultipartUploadAfter: Duration.days(7),
            },
      ],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeletingEvidence',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...EVIDENCE_DELETE_ACTIONS],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
  }
}
