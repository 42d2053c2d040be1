import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  siteCertificateArnParameterName,
  type EdgeSite,
  type IssuedSiteDomain,
} from '../constructs/site-domain';
import type { Stage } from '../deployment-context';

export interface EdgeCertificateStackProps extends StackProps {
  readonly stage: Stage;
  /** The sites whose certificate this stack issues (a hosted zone given, no certificate). */
  readonly sites: Partial<Record<EdgeSite, IssuedSiteDomain>>;
}

const SITE_IDS: Readonly<Record<EdgeSite, string>> = { citizen: 'Citizen', staff: 'Staff' };

/**
 * The ACM certificates of the CloudFront sites whose domain is given with a hosted zone but no certificate, in
 * us-east-1 (CloudFront takes certificates from there only): one per site, for its one name, validated by DNS
 * in the site's zone (CloudFormation writes the validation record and waits until ACM issues the
 * certificate; ACM renews it while the record stays). Each ARN is published as an SSM parameter
 * (`siteCertificateArnParameterName`) that the site's stack reads at deploy time, as it reads its web ACL's.
 *
 * Only in the app when some site needs it, and deployed before the site stacks that read it.
 */
export class EdgeCertificateStack extends Stack {
  public readonly certificates: Partial<Record<EdgeSite, acm.Certificate>> = {};

  constructor(scope: Construct, id: string, props: EdgeCertificateStackProps) {
    super(scope, id, props);
    const { stage } = props;
    for (const [site, domain] of Object.entries(props.sites) as [EdgeSite, IssuedSiteDomain][]) {
      const prefix = SITE_IDS[site];
      const zone = route53.PublicHostedZone.fromHostedZoneAttributes(
        this,
        `${prefix}Zone`,
        domain.hostedZone,
      );
      const certificate = new acm.Certificate(this, `${prefix}SiteCertificate`, {
        domainName: domain.domainName,
        certificateName: `jalon-${stage}-${site}-site`,
        validation: acm.CertificateValidation.fromDns(zone),
      });
      new ssm.StringParameter(this, `${prefix}SiteCertificateArn`, {
        parameterName: siteCertificateArnParameterName(stage, site),
        description: `Jalon ${stage}: ARN of the ${site} site certificate, read by its stack in its own region.`,
        stringValue: certificate.certificateArn,
      });
      this.certificates[site] = certificate;
    }
  }
}
