import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  /** How long access logs are kept before S3 expires them. */
  readonly expireAfter: Duration;
  /** Keep the bucket when the stack goes (every stage but dev). */
  readonly retain: boolean;
}

/**
 * Where the S3 server access logs and CloudFront standard logs of a stack go: private, TLS only, encrypted
 * with S3-managed keys (neither log delivery can write with a customer-managed KMS key), expiring after a
 * retention. ACLs stay enabled (`OBJECT_WRITER`) because CloudFront standard logging delivers through an ACL
 * grant to its log-delivery account; public ACLs remain blocked. It is not logged itself (cdk-nag's S1 rule
 * exempts a bucket that receives access logs).
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: props.expireAfter }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
