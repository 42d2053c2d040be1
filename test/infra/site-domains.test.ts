import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { siteCertificateArnParameterName } from '../../infra/aws/constructs/site-domain';
import { addJalonStacks, type JalonStacks } from '../../infra/aws/jalon-app';
import { stageBlockKey } from '../../infra/aws/service-context';
import { CLOUDFRONT_WAF_REGION } from '../../infra/aws/stacks/citizen-waf-stack';
import {
  logicalIdOf,
  newApp,
  onlyResource,
  resourcesOfType,
  serviceSettingsFixture,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

const ZONE = { id: 'Z0123456789ABCDEFGHIJ', name: 'sct.example.gouv.qc.ca' };
const CITIZEN_DOMAIN = 'demandes.sct.example.gouv.qc.ca';
const STAFF_HOST = new URL(String(serviceSettingsFixture('prod')['staffBaseUrl'])).hostname;
const CITIZEN_CERTIFICATE =
  'arn:aws:acm:us-east-1:111122223333:certificate/0f0e0d0c-1111-2222-3333-444455556666';
/** The hosted zone id every CloudFront alias target has. */
const CLOUDFRONT_ALIAS_ZONE = 'Z2FDTNDATAQYW2';

interface Synth {
  readonly app: App;
  readonly stacks: JalonStacks;
  readonly citizen: Template;
  readonly staff: Template;
}

function synthProd(settings: Record<string, unknown>): Synth {
  const app = newApp({
    stage: 'prod',
    [stageBlockKey('prod')]: { ...serviceSettingsFixture('prod'), ...settings },
  });
  const stacks = addJalonStacks(app);
  return {
    app,
    stacks,
    citizen: Template.fromStack(stacks.citizenIntake),
    staff: Template.fromStack(stacks.staffApi),
  };
}

function viewerConfig(template: Template) {
  const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
  const config = distribution.Properties['DistributionConfig'] as Record<string, unknown>;
  return { aliases: config['Aliases'], certificate: config['ViewerCertificate'] as Record<string, unknown> };
}

/** Both sites on their own domain in one hosted zone, their certificates issued by the stacks. */
let zoned: Synth;
/** The citizen site with a certificate given and no zone. */
let withCertificate: Synth;
beforeAll(() => {
  synthStage('dev');
  zoned = synthProd({
    citizenSiteDomainName: CITIZEN_DOMAIN,
    citizenSiteHostedZoneId: ZONE.id,
    citizenSiteHostedZoneName: ZONE.name,
    staffSiteHostedZoneId: ZONE.id,
    staffSiteHostedZoneName: ZONE.name,
  });
  withCertificate = synthProd({
    citizenSiteDomainName: CITIZEN_DOMAIN,
    citizenSiteCertificateArn: CITIZEN_CERTIFICATE,
  });
}, SYNTH_TIMEOUT_MS * 2);

describe('sites without a domain of their own', () => {
  it.each(['citizenIntakeTemplate', 'staffApiTemplate'] as const)(
    '%s: the default certificate, no alias, no record, no certificate stack',
    (name) => {
      const { stacks, [name]: template } = synthStage('dev');
      const { aliases, certificate } = viewerConfig(template);
      expect(aliases).toBeUndefined();
      // No viewer certificate: CloudFront's default one for *.cloudfront.net, which takes no security policy.
      expect(certificate).toBeUndefined();
      expect(resourcesOfType(template, 'AWS::Route53::RecordSet')).toEqual({});
      expect(stacks.edgeCertificates).toBeUndefined();
      // CloudFront fixes TLSv1 on its default certificate: the finding is acknowledged, with the reason.
      expect(JSON.stringify(template.toJSON())).toContain('AwsSolutions-CFR4');
    },
  );
});

describe('sites on their own domain, with a hosted zone', () => {
  it('issues each certificate in us-east-1, DNS-validated in the zone, and publishes its ARN', () => {
    const edge = zoned.stacks.edgeCertificates;
    expect(edge?.region).toBe(CLOUDFRONT_WAF_REGION);
    const template = Template.fromStack(edge!);
    const certificates = Object.values(resourcesOfType(template, 'AWS::CertificateManager::Certificate'));
    expect(
      certificates
        .map((c) => c.Properties)
        .sort((a, b) => String(a['DomainName']).localeCompare(String(b['DomainName']))),
    ).toEqual([
      expect.objectContaining({
        DomainName: CITIZEN_DOMAIN,
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: CITIZEN_DOMAIN, HostedZoneId: ZONE.id }],
      }),
      expect.objectContaining({
        DomainName: STAFF_HOST,
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: STAFF_HOST, HostedZoneId: ZONE.id }],
      }),
    ]);
    const parameters = Object.values(resourcesOfType(template, 'AWS::SSM::Parameter')).map(
      (p) => p.Properties['Name'],
    );
    expect(parameters.sort()).toEqual([
      siteCertificateArnParameterName('prod', 'citizen'),
      siteCertificateArnParameterName('prod', 'staff'),
    ]);
    expect(zoned.stacks.citizenIntake.dependencies).toContain(edge);
    expect(zoned.stacks.staffApi.dependencies).toContain(edge);
  });

  it.each([
    ['citizen', () => zoned.citizen, CITIZEN_DOMAIN],
    ['staff', () => zoned.staff, STAFF_HOST],
  ] as const)(
    'the %s distribution answers to its domain with the issued certificate, TLS 1.2 (2021) at least',
    (site, template, domain) => {
      const { aliases, certificate } = viewerConfig(template());
      expect(aliases).toEqual([domain]);
      expect(certificate).toMatchObject({
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      });
      // The ARN, read at deploy time from the SSM parameter in us-east-1.
      const [readerId, reader] = Object.entries(resourcesOfType(template(), 'Custom::AWS')).find(([, r]) =>
        JSON.stringify(r.Properties).includes(siteCertificateArnParameterName('prod', site)),
      )!;
      expect(JSON.stringify(reader.Properties)).toContain(`\\"region\\":\\"${CLOUDFRONT_WAF_REGION}\\"`);
      expect(certificate['AcmCertificateArn']).toEqual({ 'Fn::GetAtt': [readerId, 'Parameter.Value'] });
    },
  );

  it.each([
    ['citizen', () => zoned.citizen, CITIZEN_DOMAIN],
    ['staff', () => zoned.staff, STAFF_HOST],
  ] as const)(
    'the %s domain gets A and AAAA alias records to its distribution in the zone',
    (_site, template, domain) => {
      const [distributionId] = onlyResource(template(), 'AWS::CloudFront::Distribution');
      const records = Object.values(resourcesOfType(template(), 'AWS::Route53::RecordSet')).map(
        (r) => r.Properties,
      );
      expect(records.map((r) => r['Type']).sort()).toEqual(['A', 'AAAA']);
      for (const record of records) {
        expect(record).toMatchObject({ Name: `${domain}.`, HostedZoneId: ZONE.id });
        expect(record['AliasTarget']).toMatchObject({
          DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
          HostedZoneId: expect.anything(),
        });
        // CloudFront's alias zone, looked up by partition (the stacks are region-agnostic).
        const [map, , key] = (record['AliasTarget'] as { HostedZoneId: { 'Fn::FindInMap': string[] } })
          .HostedZoneId['Fn::FindInMap'];
        const mappings = template().toJSON()['Mappings'] as Record<
          string,
          Record<string, Record<string, string>>
        >;
        expect(mappings[map!]?.['aws']?.[key!]).toBe(CLOUDFRONT_ALIAS_ZONE);
      }
    },
  );

  it('the citizen site address is the domain', () => {
    expect(zoned.citizen.toJSON()['Outputs']['CitizenSiteUrl']['Value']).toBe(`https://${CITIZEN_DOMAIN}/`);
  });

  it('cdk-nag finds nothing, and the TLS finding needs no acknowledgement', () => {
    const report = new AwsSolutionsChecks().validateScope(zoned.app);
    expect(report.violations).toEqual([]);
    expect(JSON.stringify(zoned.citizen.toJSON())).not.toContain('AwsSolutions-CFR4');
    expect(JSON.stringify(zoned.staff.toJSON())).not.toContain('AwsSolutions-CFR4');
  });
});

describe('the citizen site with a certificate given, and no zone', () => {
  it('uses that certificate, makes no record and no certificate stack', () => {
    const { aliases, certificate } = viewerConfig(withCertificate.citizen);
    expect(aliases).toEqual([CITIZEN_DOMAIN]);
    expect(certificate).toEqual({
      AcmCertificateArn: CITIZEN_CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(resourcesOfType(withCertificate.citizen, 'AWS::Route53::RecordSet')).toEqual({});
    expect(withCertificate.stacks.edgeCertificates).toBeUndefined();
    expect(logicalIdOf(withCertificate.stacks.citizenIntake.citizenSite.distribution)).toMatch(
      /Distribution/,
    );
  });
});
