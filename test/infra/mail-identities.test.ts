import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import { stageBlockKey } from '../../infra/aws/service-context';
import {
  newApp,
  resourcesOfType,
  serviceSettingsFixture,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const ZONE_NAME = 'sct.example.gouv.qc.ca';
const SENDER_DOMAIN = 'sct.example.gouv.qc.ca';
const INTAKE_DOMAIN = 'demandes-prod.sct.example.gouv.qc.ca';
const REGION = 'ca-central-1';

/**
 * prod in ca-central-1 with the fixture's settings plus these, with CDK's CloudFormation validation on as in
 * `cdk synth` (the synth fails on a template it finds invalid).
 */
function synthProd(settings: Record<string, unknown>) {
  const app = newApp(
    {
      stage: 'prod',
      account: '123456789012',
      region: REGION,
      [stageBlockKey('prod')]: { ...serviceSettingsFixture('prod'), ...settings },
    },
    { cloudFormationValidation: true },
  );
  const stacks = addJalonStacks(app);
  return { app, template: Template.fromStack(stacks.emailIntake) };
}

interface RecordSetJson {
  readonly Name: unknown;
  readonly Type: string;
  readonly HostedZoneId: unknown;
  readonly ResourceRecords: unknown[];
}

function recordSets(template: Template): RecordSetJson[] {
  return Object.values(resourcesOfType(template, 'AWS::Route53::RecordSet')).map(
    (resource) => resource.Properties as unknown as RecordSetJson,
  );
}

describe('SES identities and mail DNS records', () => {
  let synthesized: ReturnType<typeof synthProd> | undefined;
  /** prod with the hosted zone, synthesized once for the tests that only read it. */
  const withZone = () =>
    (synthesized ??= synthProd({ mailHostedZoneId: ZONE_ID, mailHostedZoneName: ZONE_NAME }));
  beforeAll(withZone, SYNTH_TIMEOUT_MS);

  it(
    'are not created without a hosted zone (identities and records stay manual)',
    () => {
      const { emailIntakeTemplate } = synthStage('prod');
      emailIntakeTemplate.resourceCountIs('AWS::SES::EmailIdentity', 0);
      emailIntakeTemplate.resourceCountIs('AWS::Route53::RecordSet', 0);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('with a zone, create the sender identity with Easy DKIM and the MAIL FROM domain bounce.<sender domain>', () => {
    const { template } = withZone();
    template.resourceCountIs('AWS::SES::EmailIdentity', 2);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: SENDER_DOMAIN,
      MailFromAttributes: {
        MailFromDomain: `bounce.${SENDER_DOMAIN}`,
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      },
    });
    const records = recordSets(template);
    expect(records.every((record) => record.HostedZoneId === ZONE_ID)).toBe(true);
    expect(records.filter((record) => record.Name === `bounce.${SENDER_DOMAIN}.`)).toEqual([
      expect.objectContaining({ Type: 'MX', ResourceRecords: [`10 feedback-smtp.${REGION}.amazonses.com`] }),
      expect.objectContaining({ Type: 'TXT', ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'] }),
    ]);
  });

  it('with a zone, create the intake identity, the three DKIM CNAMEs of each identity, and the intake MX record', () => {
    const { template } = withZone();
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: INTAKE_DOMAIN });
    const identities = Object.keys(resourcesOfType(template, 'AWS::SES::EmailIdentity')).sort();
    const cnames = recordSets(template).filter((record) => record.Type === 'CNAME');
    // Each CNAME's name and value are the identity's DKIM tokens (known once SES creates it).
    const tokenOwners = cnames.map((record) => (record.Name as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
    expect([...tokenOwners].sort()).toEqual(identities.flatMap((id) => [id, id, id]).sort());
    expect(
      cnames.map((record) => (record.Name as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][1]).sort(),
    ).toEqual(identities.flatMap(() => [1, 2, 3].map((n) => `DkimDNSTokenName${n}`)).sort());
    expect(recordSets(template).filter((record) => record.Name === `${INTAKE_DOMAIN}.`)).toEqual([
      expect.objectContaining({ Type: 'MX', ResourceRecords: [`10 inbound-smtp.${REGION}.amazonaws.com`] }),
    ]);
  });

  it(
    'make one identity when the intake domain is the sender domain, and take a MAIL FROM domain from the settings',
    () => {
      const { template } = synthProd({
        intakeMailDomain: SENDER_DOMAIN,
        mailHostedZoneId: ZONE_ID,
        mailHostedZoneName: ZONE_NAME,
        mailFromDomain: `retour.${SENDER_DOMAIN}`,
      });
      template.resourceCountIs('AWS::SES::EmailIdentity', 1);
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: SENDER_DOMAIN,
        MailFromAttributes: { MailFromDomain: `retour.${SENDER_DOMAIN}` },
      });
      const names = recordSets(template)
        .filter((record) => record.Type !== 'CNAME')
        .map((record) => [record.Name, record.Type]);
      expect(names).toEqual(
        expect.arrayContaining([
          [`retour.${SENDER_DOMAIN}.`, 'MX'],
          [`retour.${SENDER_DOMAIN}.`, 'TXT'],
          [`${SENDER_DOMAIN}.`, 'MX'],
        ]),
      );
      expect(names).toHaveLength(3);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('leave cdk-nag AwsSolutions with nothing unacknowledged', () => {
    const { app } = withZone();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
  });
});
