import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../../shared/http/origin-verify';
import { privateSiteBucket, securityHeadersPolicy } from './site-parts';
import { acknowledgeSiteDeployment, acknowledgeStaffDistribution } from '../nag-acknowledgements';
import { CITIZEN_PERMISSIONS_POLICY } from './citizen-distribution';
import { siteAliasRecords, viewerDomainProps, type DistributionDomain } from './site-domain';
import { STAFF_PATHS_FUNCTION_CODE } from './staff-paths';

/** The paths CloudFront sends to the staff HTTP API (staff routes, and the audit routes on the same API). */
export const STAFF_API_PATH_PATTERNS = ['/api/staff/*', '/api/audit/*'] as const;

/**
 * Content Security Policy of the staff and auditor pages: the citizen pages' policy, plus the one other
 * place the pages talk to, the user pool's token endpoint (`connect-src`, the code exchange of the sign-in
 * callback). The hosted sign-in and sign-out pages are reached by navigation, which `connect-src` does not
 * govern. Nothing inline, nothing third-party, no framing.
 */
export function staffContentSecurityPolicy(signInOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${signInOrigin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

export interface StaffDistributionProps {
  /** Host name of the staff HTTP API (its `execute-api` host), served under `STAFF_API_PATH_PATTERNS`. */
  readonly apiDomainName: string;
  /** The value of the `x-origin-verify` header CloudFront adds to every API request (see `jwtApiHandler`). */
  readonly originVerifySecret: secretsmanager.ISecret;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the one origin the pages may `fetch` besides their own. */
  readonly signInOrigin: string;
  /** ARN of the CLOUDFRONT-scope staff web ACL (in us-east-1). */
  readonly webAclArn: string;
  /**
   * The site's own host name, its ACM certificate (us-east-1) and, when given, the hosted zone its alias
   * records go in (see `siteDistributionDomain`); else the `*.cloudfront.net` address.
   */
  readonly customDomain?: DistributionDomain;
  /** Receives the CloudFront standard logs and the site bucket's server access logs. */
  readonly logBucket: s3.IBucket;
  /** The rendered shells and the staff scripts and stylesheet (see `staffSiteSources`); lazily built. */
  readonly siteSources: (distribution: cloudfront.IDistribution) => readonly s3deploy.ISource[];
  /** Log group of the content deployment function. */
  readonly deploymentLogGroup: logs.ILogGroup;
  readonly retain: boolean;
}

/**
 * The staff front door, a distribution of its own (see `docs/staff-console-in-aws.md`): the staff and auditor
 * pages from a private bucket through origin access control (a viewer-request function maps the addresses
 * to the shells, see `STAFF_PATHS_FUNCTION_CODE`), and `/api/staff/*` and `/api/audit/*` to the staff HTTP
 * API (caching disabled, every viewer header but `Host` forwarded, so the bearer token reaches the JWT
 * authorizer, plus the secret `x-origin-verify` header, which replaces any header of that name a viewer sends
 * and without which the staff-side Lambdas answer 403). Same origin for pages and APIs: no CORS. Nothing else under `/api/`: the local stack's
 * `/api/local/*` does not exist here, and the citizen API is not reachable through this distribution.
 *
 * HTTPS only for the APIs, pages redirected to HTTPS; every response carries HSTS, the staff CSP, nosniff,
 * `Referrer-Policy: no-referrer` (a case address never leaves in a Referer), frame denial and the permissions
 * policy. Its own WAF web ACL; standard logs to the log bucket, without cookies.
 */
export class StaffDistribution extends Construct {
  public readonly siteBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  public readonly pathsFunction: cloudfront.Function;
  public readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: StaffDistributionProps) {
    super(scope, id);

    this.siteBucket = privateSiteBucket(this, {
      logBucket: props.logBucket,
      logPrefix: 'staff-site-bucket/',
      retain: props.retain,
    });

    this.responseHeadersPolicy = securityHeadersPolicy(this, {
      comment: 'Jalon staff pages and APIs: HSTS, CSP, nosniff, no referrer, no framing.',
      contentSecurityPolicy: staffContentSecurityPolicy(props.signInOrigin),
      referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER,
      permissionsPolicy: CITIZEN_PERMISSIONS_POLICY,
    });

    this.pathsFunction = new cloudfront.Function(this, 'PathsFunction', {
      comment: 'Jalon staff site: the staff and auditor addresses to their shells.',
      code: cloudfront.FunctionCode.fromInline(STAFF_PATHS_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const api: cloudfront.BehaviorOptions = {
      origin: new origins.HttpOrigin(props.apiDomainName, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        // A dynamic reference: CloudFormation resolves the secret at deployment, the template never holds it.
        customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifySecret.secretValue.unsafeUnwrap() },
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeadersPolicy,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Jalon staff and auditor pages and APIs',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
        functionAssociations: [
          { function: this.pathsFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: Object.fromEntries(STAFF_API_PATH_PATTERNS.map((pattern) => [pattern, api])),
      ...viewerDomainProps(this, props.customDomain),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'staff-cloudfront/',
      logIncludesCookies: false,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    acknowledgeStaffDistribution(this.distribution, { customDomain: props.customDomain !== undefined });
    siteAliasRecords(this, props.customDomain, this.distribution);

    const sources = props.siteSources(this.distribution);
    if (sources.length > 0) {
      this.deployment = new s3deploy.BucketDeployment(this, 'SiteContent', {
        sources: [...sources],
        destinationBucket: this.siteBucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
        logGroup: props.deploymentLogGroup,
        memoryLimit: 256,
      });
      acknowledgeSiteDeployment(this.deployment, this.siteBucket);
    }
  }
}
