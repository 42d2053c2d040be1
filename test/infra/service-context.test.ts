import { App } from 'aws-cdk-lib';
import { InvalidDeploymentContextError } from '../../infra/aws/deployment-context';
import {
  DEFAULT_QUIET_MAIL_BUSINESS_DAYS,
  readServiceContext,
  REQUIRED_OUTSIDE_DEV,
} from '../../infra/aws/service-context';
import { serviceSettingsFixture } from './synth-helpers';

/** Only the context under test: reading the service context needs no feature flags and no synth. */
function read(stage: 'dev' | 'prod', context: Record<string, unknown> = {}) {
  return readServiceContext(new App({ context }).node, stage);
}

describe('service context', () => {
  it('has dev defaults for every required setting', () => {
    const service = read('dev');
    expect(service.senderAddress).toMatch(/@example\.org$/);
    expect(service.staffOrigin).toBe('http://localhost:3000');
    expect(service.authDomainPrefix).toBe('jalon-dev-staff');
    expect(service.intakeMailDomain).toBe('intake.jalon-dev.example.org');
    expect(service.opsAlertEmail).toBeUndefined();
  });

  it('reads the quiet-mail business days as a number (from -c or cdk.json), 2 when not given', () => {
    expect(read('dev').quietMailBusinessDays).toBe(DEFAULT_QUIET_MAIL_BUSINESS_DAYS);
    expect(read('dev', { quietMailBusinessDays: '3' }).quietMailBusinessDays).toBe(3);
    expect(read('dev', { quietMailBusinessDays: 1 }).quietMailBusinessDays).toBe(1);
  });

  it('derives the sender domain, the staff origin and the redirects from the context', () => {
    const service = read('dev', {
      senderAddress: 'avis@sct.gouv.qc.ca',
      staffBaseUrl: 'https://jalon.example/',
    });
    expect(service.senderDomain).toBe('sct.gouv.qc.ca');
    expect(service.staffOrigin).toBe('https://jalon.example');
    expect(service.staffCallbackUrls).toEqual([
      'https://jalon.example/staff/auth/callback',
      'https://jalon.example/en/staff/auth/callback',
    ]);
    expect(service.staffLogoutUrls).toEqual([
      'https://jalon.example/staff/login',
      'https://jalon.example/en/staff/login',
    ]);
  });

  it('refuses a prod synth without explicit settings, naming every missing key', () => {
    const build = () => read('prod');
    expect(build).toThrow(InvalidDeploymentContextError);
    expect(build).toThrow(new RegExp(REQUIRED_OUTSIDE_DEV.map((key) => `'${key}'`).join(', ')));
  });

  it('no longer reads the staff directory from the settings (it lives in the staff table)', () => {
    expect(REQUIRED_OUTSIDE_DEV).not.toContain('staffDirectory');
    const service = read('prod', { ...serviceSettingsFixture('prod'), staffDirectory: '{"operations": []}' });
    expect(service).not.toHaveProperty('staffDirectory');
    expect(service).not.toHaveProperty('staffMembers');
  });

  it("reads a stage's settings from its jalon:<stage> block, the command line winning", () => {
    const block = serviceSettingsFixture('prod');
    expect(read('prod', { 'jalon:prod': block }).senderAddress).toBe(block['senderAddress']);
    const overridden = read('prod', { 'jalon:prod': block, senderAddress: 'autre@sct.gouv.qc.ca' });
    expect(overridden.senderAddress).toBe('autre@sct.gouv.qc.ca');
    expect(read('prod', { 'jalon:prod': JSON.stringify(block) }).authDomainPrefix).toBe(
      block['authDomainPrefix'],
    );
  });

  it.each([
    ['senderAddress', 'not-an-address', /Invalid context 'senderAddress'/],
    ['staffBaseUrl', 'http://jalon.example/', /Invalid context 'staffBaseUrl'.*https URL/],
    ['staffBaseUrl', 'https://jalon.example/staff', /ending with '\/'/],
    ['authDomainPrefix', 'Jalon_Prod', /Invalid context 'authDomainPrefix'/],
    ['staffCallbackUrls', '["http://jalon.example/cb"]', /https URLs/],
    ['opsAlertEmail', 'ops', /Invalid context 'opsAlertEmail'/],
    ['intakeMailDomain', 'Demandes_SCT', /Invalid context 'intakeMailDomain'/],
    ['intakeMailDomain', 'demandes@sct.gouv.qc.ca', /Invalid context 'intakeMailDomain'/],
    ['quietMailBusinessDays', '0', /Invalid context 'quietMailBusinessDays'.*from 1 to 3/],
    ['quietMailBusinessDays', 4, /Invalid context 'quietMailBusinessDays'/],
    ['quietMailBusinessDays', '1.5', /Invalid context 'quietMailBusinessDays'/],
  ])('refuses a malformed %s in prod', (key, value, message) => {
    expect(() => read('prod', { ...serviceSettingsFixture('prod'), [key]: value })).toThrow(message);
  });

  it('names every malformed key in one error, each with its French text', () => {
    const build = () =>
      read('prod', {
        ...serviceSettingsFixture('prod'),
        senderAddress: 'avis',
        intakeMailDomain: 'Demandes',
      });

    expect(build).toThrow(InvalidDeploymentContextError);
    let problems: readonly unknown[] = [];
    try {
      build();
    } catch (error) {
      problems = (error as InvalidDeploymentContextError).problems;
    }
    expect(problems).toEqual([
      {
        key: 'senderAddress',
        en: `Invalid context 'senderAddress': "avis". Expected an email address such as avis@organisme.gouv.qc.ca.`,
        fr: `Réglage 'senderAddress' invalide : "avis". Attendu : une adresse courriel comme avis@organisme.gouv.qc.ca.`,
      },
      {
        key: 'intakeMailDomain',
        en: `Invalid context 'intakeMailDomain': "Demandes". Expected a lowercase domain name such as demandes.organisme.gouv.qc.ca.`,
        fr: `Réglage 'intakeMailDomain' invalide : "Demandes". Attendu : un nom de domaine en minuscules comme demandes.organisme.gouv.qc.ca.`,
      },
    ]);
  });

  it('allows plain http for a localhost staff site in dev only', () => {
    expect(read('dev', { staffCallbackUrls: '["http://localhost:3000/cb"]' }).staffCallbackUrls).toEqual([
      'http://localhost:3000/cb',
    ]);
  });

  it('reads a custom citizen API domain only with its regional certificate, and neither by default', () => {
    const certificate =
      'arn:aws:acm:ca-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100';
    const domain = {
      citizenApiDomainName: 'api.demandes.sct.example',
      citizenApiCertificateArn: certificate,
    };

    expect(read('dev').citizenApiDomain).toBeUndefined();
    expect(read('dev', domain).citizenApiDomain).toEqual({
      domainName: 'api.demandes.sct.example',
      certificateArn: certificate,
    });
    expect(() => read('dev', { citizenApiDomainName: 'api.demandes.sct.example' })).toThrow(
      /citizenApiCertificateArn/,
    );
    expect(() => read('dev', { citizenApiCertificateArn: certificate })).toThrow(/citizenApiDomainName/);
    expect(() =>
      read('dev', { ...domain, citizenApiCertificateArn: 'arn:aws:iam::123456789012:role/x' }),
    ).toThrow(InvalidDeploymentContextError);
  });
});

describe('the mail domains’ hosted zone', () => {
  const zone = { mailHostedZoneId: 'Z0123456789ABCDEFGHIJ', mailHostedZoneName: 'example.org' };

  it('is read by id and name, with bounce.<sender domain> as MAIL FROM domain unless given, and absent by default', () => {
    expect(read('dev').mailDnsZone).toBeUndefined();
    expect(read('dev', zone).mailDnsZone).toEqual({
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.org',
      mailFromDomain: 'bounce.example.org',
    });
    expect(read('dev', { ...zone, mailFromDomain: 'retour.example.org' }).mailDnsZone?.mailFromDomain).toBe(
      'retour.example.org',
    );
  });

  it('refuses a zone that does not hold the intake domain, and a MAIL FROM domain equal to it', () => {
    expect(() => read('dev', { ...zone, intakeMailDomain: 'demandes.autre.org' })).toThrow(
      /Invalid context 'mailHostedZoneName'.*demandes\.autre\.org is not in it/,
    );
    expect(() =>
      read('dev', {
        ...zone,
        intakeMailDomain: 'demandes.example.org',
        mailFromDomain: 'demandes.example.org',
      }),
    ).toThrow(/Invalid context 'mailFromDomain'/);
  });
});

describe('the staff site domain', () => {
  const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/0f0e0d0c-1111-2222-3333-444455556666';

  it('is the host of staffBaseUrl, with a certificate of us-east-1 (CloudFront)', () => {
    const service = read('dev', {
      staffBaseUrl: 'https://console.example/',
      staffSiteCertificateArn: CERTIFICATE,
    });
    expect(service.staffSiteDomain).toEqual({ domainName: 'console.example', certificateArn: CERTIFICATE });
    expect(read('dev').staffSiteDomain).toBeUndefined();
  });

  it.each([
    [
      {
        staffBaseUrl: 'https://console.example/',
        staffSiteCertificateArn: CERTIFICATE.replace('us-east-1', 'ca-central-1'),
      },
      /us-east-1/,
    ],
    [{ staffBaseUrl: 'http://localhost:3000/', staffSiteCertificateArn: CERTIFICATE }, /whole host/],
    [{ staffBaseUrl: 'https://console.example/jalon/', staffSiteCertificateArn: CERTIFICATE }, /whole host/],
  ])('refuses %o', (context, message) => {
    expect(() => read('dev', context)).toThrow(message);
  });
});
