import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The private bucket a site is served from (through CloudFront's origin access control only): S3-managed
 * encryption, TLS only, no public access, no ACLs, server access logs under `logPrefix` of the log bucket.
 * Construct id `SiteBucket` under `scope`.
 */
export function privateSiteBucket(
  scope: Construct,
  props: { readonly logBucket: s3.IBucket; readonly logPrefix: string; readonly retain: boolean },
): s3.Bucket {
  return new s3.Bucket(scope, 'SiteBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.logBucket,
    serverAccessLogsPrefix: props.logPrefix,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

/**
 * The security headers of every response of a site: HSTS for two years with subdomains, the site's CSP,
 * nosniff, its referrer policy, frame denial, the legacy XSS auditor off (`0`, as current guidance says: the
 * CSP does that job) and the permissions policy. Construct id `SecurityHeaders` under `scope`.
 */
export function securityHeadersPolicy(
  scope: Construct,
  props: {
    readonly comment: string;
    readonly contentSecurityPolicy: string;
    readonly referrerPolicy: cloudfront.HeadersReferrerPolicy;
    readonly permissionsPolicy: string;
  },
): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: props.comment,
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: props.referrerPolicy, override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      xssProtection: { protection: false, override: true },
    },
    customHeadersBehavior: {
      customHeaders: [{ header: 'Permissions-Policy', value: props.permissionsPolicy, override: true }],
    },
  });
}
