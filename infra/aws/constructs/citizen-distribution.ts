import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { privateSiteBucket, securityHeadersPolicy } from './site-parts';
import { ORIGIN_VERIFY_HEADER } from '../../../shared/http/origin-verify';
import { CITIZEN_PATHS_FUNCTION_CODE } from './citizen-paths';
import { siteAliasRecords, viewerDomainProps, type DistributionDomain } from './site-domain';
import { acknowledgeCitizenDistribution, acknowledgeSiteDeployment } from '../nag-acknowledgements';

/** Path pattern of the API behaviour: everything under `/api/` goes to the citizen HTTP API, uncached. */
export const API_PATH_PATTERN = '/api/*';

/**
 * Content Security Policy of the citizen pages: a server-rendered form with its own same-origin script and
 * styles, posting (by `fetch` or form submission) to the same origin. Nothing inline, nothing third-party, no
 * framing (clickjacking), no plugins.
 */
export const CITIZEN_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
  'upgrade-insecure-requests',
].join('; ');

/** Browser features the form never needs, turned off for the pages and anything they could load. */
export const CITIZEN_PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

export interface CitizenDistributionProps {
  /** Host name of the citizen HTTP API (its custom domain, else its `execute-api` host), served under `/api/*`. */
  readonly apiDomainName: string;
  /** The value of the `x-origin-verify` header CloudFront adds to every API request (see `CitizenHttpApi`). */
  readonly originVerifySecret: secretsmanager.ISecret;
  /**
   * The site's own domain, its ACM certificate (us-east-1) and, when given, the hosted zone its alias records
   * go in (see `siteDistributionDomain`); else the `*.cloudfront.net` address.
   */
  readonly customDomain?: DistributionDomain;
  /** ARN of the CLOUDFRONT-scope WAF web ACL (in us-east-1). */
  readonly webAclArn: string;
  /** Receives the CloudFront standard logs and the site bucket's server access logs. */
  readonly logBucket: s3.IBucket;
  /**
   * The site's files: `Source.asset('web/static')` when it exists, and the rendered pages as
   * `Source.data(objectKey, html)` (see `citizenSiteSources`). Empty: the bucket and distribution exist,
   * nothing is uploaded.
   */
  readonly siteSources: readonly s3deploy.ISource[];
  /** Log group of the content deployment function (under a prefix the ops key allows). */
  readonly deploymentLogGroup: logs.ILogGroup;
  readonly retain: boolean;
}

/**
 * The citizen front door: one CloudFront distribution for the static site (a private S3 bucket read through
 * origin access control; a viewer-request function maps the form's addresses to their objects, see
 * `CITIZEN_PATHS_FUNCTION_CODE`) and, under `/api/*`, the citizen HTTP API (caching disabled, every viewer
 * header but `Host` forwarded, so the API sees its own host name, plus the secret `x-origin-verify` header,
 * which replaces any header of that name a viewer sends). Same origin for pages and API: no CORS anywhere.
 *
 * With a domain of its own (`customDomain`), the distribution answers to it with TLS 1.2 (2021) at least, and
 * its alias records are made when the zone is given; without one, CloudFront's default certificate.
 *
 * HTTPS: the pages redirect HTTP to HTTPS (a citizen typing the bare address still arrives), the API is
 * HTTPS only (a form posted over HTTP is refused rather than redirected after its body went in clear); TLS 1.2
 * to the API origin. Every response carries the security headers (HSTS two years, CSP, nosniff, referrer
 * policy, frame denial, permissions policy). The WAF web ACL is attached; standard logs go to the log bucket.
 */
export class CitizenDistribution extends Construct {
  public readonly siteBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  public readonly pathsFunction: cloudfront.Function;
  public readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: CitizenDistributionProps) {
    super(scope, id);

    this.siteBucket = privateSiteBucket(this, {
      logBucket: props.logBucket,
      logPrefix: 'site-bucket/',
      retain: props.retain,
    });

    this.responseHeadersPolicy = securityHeadersPolicy(this, {
      comment: 'Jalon citizen pages and API: HSTS, CSP, nosniff, referrer policy, no framing.',
      contentSecurityPolicy: CITIZEN_CONTENT_SECURITY_POLICY,
      referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN,
      permissionsPolicy: CITIZEN_PERMISSIONS_POLICY,
    });

    this.pathsFunction = new cloudfront.Function(this, 'PathsFunction', {
      comment: 'Jalon citizen site: the form addresses to their index.html objects.',
      code: cloudfront.FunctionCode.fromInline(CITIZEN_PATHS_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Jalon citizen site and API',
      defaultRootObject: 'index.html',
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
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
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
        },
      },
      ...viewerDomainProps(this, props.customDomain),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      // North America and Europe edges: the audience is in Québec; others are served from there.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    acknowledgeCitizenDistribution(this.distribution, { customDomain: props.customDomain !== undefined });
    siteAliasRecords(this, props.customDomain, this.distribution);

    if (props.siteSources.length > 0) {
      this.deployment = new s3deploy.BucketDeployment(this, 'SiteContent', {
        sources: [...props.siteSources],
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
