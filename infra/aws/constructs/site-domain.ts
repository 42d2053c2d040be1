import type { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import type { Stage } from '../deployment-context';
import type { JalonLogGroupProps } from '../observability';
import type { HostedZone, SiteDomain } from '../service-context';
import { webAclArnReader } from './web-acl-arn-reader';

/** The two CloudFront sites of a stage. */
export type EdgeSite = 'citizen' | 'staff';

/**
 * The SSM parameter (in us-east-1) where the edge certificate stack publishes the ARN of the certificate it
 * issued for a site; the site's stack reads it at deploy time, as it reads its web ACL's ARN.
 */
export function siteCertificateArnParameterName(stage: Stage, site: EdgeSite): string {
  return `/jalon/${stage}/${site}/site-certificate-arn`;
}

/** A site whose certificate the edge certificate stack issues: a hosted zone is given, a certificate is not. */
export type IssuedSiteDomain = SiteDomain & {
  readonly certificateArn?: undefined;
  readonly hostedZone: HostedZone;
};

export function issuesCertificate(domain: SiteDomain | undefined): domain is IssuedSiteDomain {
  return domain !== undefined && domain.certificateArn === undefined;
}

/** A distribution's own domain: its name, its certificate (a deploy-time value when issued), its zone if any. */
export interface DistributionDomain {
  readonly domainName: string;
  readonly certificateArn: string;
  /** Where the alias records are created; without it they are made by hand. */
  readonly hostedZone?: HostedZone;
}

/**
 * The domain of a site's distribution: the configured certificate, else the one the edge certificate stack
 * issued, read from its SSM parameter in us-east-1 at deploy time by the stack's parameter reader (which logs
 * to the reader log group `readerLogs` names, shared with the stack's web ACL reader). A certificate replaced
 * later needs the site's stack updated afterwards, as a replaced web ACL does.
 */
export function siteDistributionDomain(
  stack: Stack,
  props: {
    readonly stage: Stage;
    readonly site: EdgeSite;
    readonly domain: SiteDomain | undefined;
    readonly readerLogs: { readonly id: string; readonly logGroup: JalonLogGroupProps };
  },
): DistributionDomain | undefined {
  const { domain } = props;
  if (domain === undefined) return undefined;
  const zone = domain.hostedZone === undefined ? {} : { hostedZone: domain.hostedZone };
  if (domain.certificateArn !== undefined) {
    return { domainName: domain.domainName, certificateArn: domain.certificateArn, ...zone };
  }
  const reader = webAclArnReader(stack, 'SiteCertificateArnReader', {
    parameterName: siteCertificateArnParameterName(props.stage, props.site),
    logGroupId: props.readerLogs.id,
    logGroup: props.readerLogs.logGroup,
  });
  return {
    domainName: domain.domainName,
    certificateArn: reader.getResponseField('Parameter.Value'),
    ...zone,
  };
}

/**
 * What a distribution needs to answer to its own domain: the alias, the certificate, and TLS 1.2 (2021) at
 * least. Without a domain, nothing: the distribution keeps its `*.cloudfront.net` name and CloudFront's
 * default certificate, on which CloudFront fixes the minimum at TLSv1 whatever is asked (a viewer certificate
 * with `CloudFrontDefaultCertificate` takes no security policy).
 */
export function viewerDomainProps(
  scope: Construct,
  domain: DistributionDomain | undefined,
): Pick<cloudfront.DistributionProps, 'domainNames' | 'certificate' | 'minimumProtocolVersion'> {
  if (domain === undefined) return {};
  return {
    domainNames: [domain.domainName],
    certificate: acm.Certificate.fromCertificateArn(scope, 'Certificate', domain.certificateArn),
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  };
}

/**
 * The domain's alias records (A and AAAA: the distributions serve IPv6) to the distribution, in its hosted
 * zone; none without a zone (the record is then made by hand, `docs/deploy.md`).
 */
export function siteAliasRecords(
  scope: Construct,
  domain: DistributionDomain | undefined,
  distribution: cloudfront.IDistribution,
): route53.RecordSet[] {
  if (domain?.hostedZone === undefined) return [];
  const zone = route53.PublicHostedZone.fromHostedZoneAttributes(scope, 'SiteZone', domain.hostedZone);
  const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  const comment = 'Jalon: the site domain to its CloudFront distribution.';
  return [
    new route53.ARecord(scope, 'SiteAliasA', { zone, recordName: domain.domainName, target, comment }),
    new route53.AaaaRecord(scope, 'SiteAliasAaaa', { zone, recordName: domain.domainName, target, comment }),
  ];
}
