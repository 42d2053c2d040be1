import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkDeployment, formatFindings, type DeployFinding } from '../../infra/aws/deploy-check';
import { serviceSettingsFixture } from './synth-helpers';

const TARGET = { account: '123456789012', region: 'ca-central-1' } as const;
const CITIZEN_CERTIFICATE =
  'arn:aws:acm:ca-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100';
const STAFF_CERTIFICATE =
  'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';

/** prod's settings as an operator would commit them, with the deployment target. */
function goodProd(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...TARGET, 'jalon:prod': serviceSettingsFixture('prod'), ...overrides };
}

const errorsOf = (findings: readonly DeployFinding[]) =>
  findings.filter((finding) => finding.severity === 'error').map((finding) => finding.en);

const REPO_ROOT = path.join(__dirname, '..', '..');

describe('deploy:check', () => {
  it('lets good prod settings through, with the steps CloudFormation cannot take, in both languages', () => {
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({ staffSiteCertificateArn: STAFF_CERTIFICATE }),
    });

    expect(formatFindings('prod', findings, 'en')).toEqual([
      'WARNING — Bootstrap once per account and region: npx cdk bootstrap aws://123456789012/ca-central-1 ' +
        'aws://123456789012/us-east-1 (the stacks in ca-central-1, the CloudFront web ACLs in us-east-1).',
      'WARNING — SES starts in the sandbox in each region: until production access is granted in ca-central-1, ' +
        'mail goes only to verified addresses (citizens receive nothing).',
      'WARNING — Verify the sender domain sct.example.gouv.qc.ca in SES in ca-central-1 (Easy DKIM: three ' +
        "CNAME records); the stacks do not create the identity (they do with 'mailHostedZoneId' and " +
        "'mailHostedZoneName').",
      'WARNING — Verify the intake domain demandes-prod.sct.example.gouv.qc.ca in SES in ca-central-1 and give ' +
        'it the MX record 10 inbound-smtp.ca-central-1.amazonaws.com; SES must offer email receiving in ' +
        'ca-central-1.',
      'WARNING — The citizen site has no domain of its own: it is the CitizenSiteUrl output ' +
        '(*.cloudfront.net), where CloudFront keeps TLSv1 as the minimum (a security policy needs a ' +
        'certificate of your own).',
      'WARNING — The staff site answers to jalon-prod.sct.example.gouv.qc.ca (TLS 1.2 at least), but no ' +
        'hosted zone is given: after the deploy, make jalon-prod.sct.example.gouv.qc.ca a CNAME (or an ' +
        "alias) to the distribution's domain, the StaffSiteDistributionDomain output.",
      'WARNING — After the deploy, activate the receipt rule set: aws ses set-active-receipt-rule-set ' +
        '--rule-set-name jalon-prod-inbound --region ca-central-1. A region has one active rule set: this ' +
        'deactivates any other (another stage or application of the account in ca-central-1 stops receiving ' +
        'mail).',
      'WARNING — After the first deploy, load the staff directory (the addresses of every group the policy ' +
        'notifies, and the staff members): npx jalon staff load <directory.json> --table jalon-prod-staff ' +
        '--by <your name>; later edits take effect within a minute, without a deploy (npx jalon staff ' +
        'put|remove|group).',
      'Stage prod: 0 error(s), 8 warning(s). Nothing blocks npx cdk deploy.',
    ]);
    expect(formatFindings('prod', findings, 'fr')).toEqual([
      'AVERTISSEMENT — Amorcez une fois par compte et région : npx cdk bootstrap ' +
        'aws://123456789012/ca-central-1 aws://123456789012/us-east-1 (les piles dans ca-central-1, les ACL ' +
        'web de CloudFront dans us-east-1).',
      'AVERTISSEMENT — SES commence en mode bac à sable dans chaque région : tant que l’accès production ' +
        'n’est pas accordé dans ca-central-1, le courriel ne part que vers des adresses vérifiées (les ' +
        'citoyens ne reçoivent rien).',
      'AVERTISSEMENT — Vérifiez le domaine d’envoi sct.example.gouv.qc.ca dans SES en ca-central-1 (Easy ' +
        'DKIM : trois enregistrements CNAME); les piles ne créent pas l’identité (elles le font avec ' +
        "'mailHostedZoneId' et 'mailHostedZoneName').",
      'AVERTISSEMENT — Vérifiez le domaine de réception demandes-prod.sct.example.gouv.qc.ca dans SES en ' +
        'ca-central-1 et donnez-lui l’enregistrement MX 10 inbound-smtp.ca-central-1.amazonaws.com; SES doit ' +
        'offrir la réception de courriel en ca-central-1.',
      'AVERTISSEMENT — Le site citoyen n’a pas de domaine à lui : c’est la sortie CitizenSiteUrl ' +
        '(*.cloudfront.net), où CloudFront garde TLSv1 comme minimum (une politique de sécurité exige votre ' +
        'propre certificat).',
      'AVERTISSEMENT — Le site du personnel répond à jalon-prod.sct.example.gouv.qc.ca (TLS 1.2 au moins), ' +
        'mais aucune zone hébergée n’est donnée : après le déploiement, faites de ' +
        'jalon-prod.sct.example.gouv.qc.ca un CNAME (ou un alias) vers le domaine de la distribution, la ' +
        'sortie StaffSiteDistributionDomain.',
      'AVERTISSEMENT — Après le déploiement, activez l’ensemble de règles de réception : aws ses ' +
        'set-active-receipt-rule-set --rule-set-name jalon-prod-inbound --region ca-central-1. Une région ' +
        'n’a qu’un ensemble actif : celui-ci désactive tout autre (une autre étape ou application du compte ' +
        'en ca-central-1 ne reçoit plus de courriel).',
      'AVERTISSEMENT — Après le premier déploiement, chargez l’annuaire du personnel (les adresses de chaque ' +
        'groupe que la politique avise, et les membres du personnel) : npx jalon staff load <directory.json> ' +
        '--table jalon-prod-staff --by <your name>; les modifications suivantes prennent effet en moins d’une ' +
        'minute, sans déploiement (npx jalon staff put|remove|group).',
      'Étape prod : 0 erreur(s), 8 avertissement(s). Rien ne bloque npx cdk deploy.',
    ]);
  });

  it('with a hosted zone for the sites, says what the stacks create; refuses incomplete site settings', () => {
    const zone = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'sct.example.gouv.qc.ca' };
    const zoned = checkDeployment({
      stage: 'prod',
      context: goodProd({
        citizenSiteDomainName: 'demandes.sct.example.gouv.qc.ca',
        citizenSiteHostedZoneId: zone.hostedZoneId,
        citizenSiteHostedZoneName: zone.zoneName,
        staffSiteHostedZoneId: zone.hostedZoneId,
        staffSiteHostedZoneName: zone.zoneName,
      }),
    });
    expect(errorsOf(zoned)).toEqual([]);
    expect(zoned.map((finding) => finding.en)).toEqual(
      expect.arrayContaining([
        'The citizen site answers to demandes.sct.example.gouv.qc.ca (TLS 1.2 at least): the stacks create a ' +
          'certificate for demandes.sct.example.gouv.qc.ca issued in us-east-1 (stack JalonEdgeCertificates, ' +
          'DNS-validated), and the A and AAAA alias records of demandes.sct.example.gouv.qc.ca in ' +
          'sct.example.gouv.qc.ca, provided the parent domain delegates that zone to Route 53.',
        'The staff site answers to jalon-prod.sct.example.gouv.qc.ca (TLS 1.2 at least): the stacks create a ' +
          'certificate for jalon-prod.sct.example.gouv.qc.ca issued in us-east-1 (stack JalonEdgeCertificates, ' +
          'DNS-validated), and the A and AAAA alias records of jalon-prod.sct.example.gouv.qc.ca in ' +
          'sct.example.gouv.qc.ca, provided the parent domain delegates that zone to Route 53.',
      ]),
    );

    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';
    const incomplete = checkDeployment({
      stage: 'prod',
      context: goodProd({
        citizenSiteCertificateArn: certificate,
        staffSiteHostedZoneId: zone.hostedZoneId,
        staffSiteHostedZoneName: 'autre.example.gouv.qc.ca',
      }),
    });
    expect(errorsOf(incomplete)).toEqual([
      'Invalid context \'staffSiteHostedZoneName\': "autre.example.gouv.qc.ca". Expected the zone holding ' +
        'jalon-prod.sct.example.gouv.qc.ca (it is not in autre.example.gouv.qc.ca).',
      `Invalid context 'citizenSiteCertificateArn': "${certificate}". Expected no value without ` +
        "'citizenSiteDomainName' (the domain the certificate and zone are for).",
    ]);

    const bare = checkDeployment({
      stage: 'prod',
      context: goodProd({ citizenSiteDomainName: 'demandes.sct.example.gouv.qc.ca' }),
    });
    expect(errorsOf(bare)).toEqual([
      expect.stringContaining(
        'Invalid context \'citizenSiteDomainName\': "demandes.sct.example.gouv.qc.ca". Expected a domain ' +
          "given with 'citizenSiteCertificateArn'",
      ),
    ]);
  });

  it('with a hosted zone for the mail domains, says the identities and DNS records are no longer manual', () => {
    const zone = { mailHostedZoneId: 'Z0123456789ABCDEFGHIJ', mailHostedZoneName: 'sct.example.gouv.qc.ca' };
    const findings = checkDeployment({ stage: 'prod', context: goodProd(zone) });

    expect(errorsOf(findings).filter((line) => !line.includes('example'))).toEqual([]);
    const mail = findings.filter((finding) =>
      ['senderAddress', 'intakeMailDomain', 'mailHostedZoneId'].includes(finding.key),
    );
    expect(mail.map((finding) => [finding.severity, finding.en])).toEqual([
      [
        'warning',
        'Hosted zone sct.example.gouv.qc.ca (Z0123456789ABCDEFGHIJ): the stacks create the SES identities of ' +
          'sct.example.gouv.qc.ca, demandes-prod.sct.example.gouv.qc.ca with Easy DKIM, the MAIL FROM domain ' +
          'bounce.sct.example.gouv.qc.ca (MX and SPF records) and the MX record 10 ' +
          'inbound-smtp.ca-central-1.amazonaws.com of demandes-prod.sct.example.gouv.qc.ca; no manual identity ' +
          'or DNS step remains, provided the zone is the one the parent domain delegates sct.example.gouv.qc.ca ' +
          'to.',
      ],
    ]);
    expect(mail[0]?.fr).toMatch(
      /^Zone hébergée sct\.example\.gouv\.qc\.ca \(Z0123456789ABCDEFGHIJ\) : les piles/,
    );
  });

  it('refuses a malformed hosted zone, a zone without the mail domains and a MAIL FROM domain outside the sender domain', () => {
    const check = (settings: Record<string, unknown>) =>
      errorsOf(checkDeployment({ stage: 'prod', context: goodProd(settings) })).filter((line) =>
        /mailHostedZone|mailFromDomain/.test(line),
      );
    const zone = { mailHostedZoneId: 'Z0123456789ABCDEFGHIJ', mailHostedZoneName: 'sct.example.gouv.qc.ca' };

    expect(check({ mailHostedZoneId: zone.mailHostedZoneId })).toEqual([
      "Invalid context 'mailHostedZoneName': undefined. Expected the lowercase domain name of the hosted zone " +
        "'mailHostedZoneId', such as organisme.gouv.qc.ca.",
    ]);
    expect(check({ ...zone, mailHostedZoneId: 'hostedzone/abc' })[0]).toMatch(
      /^Invalid context 'mailHostedZoneId'/,
    );
    expect(check({ ...zone, mailHostedZoneName: 'autre.gouv.qc.ca' })).toEqual([
      'Invalid context \'mailHostedZoneName\': "autre.gouv.qc.ca". Expected a zone holding the sender and ' +
        'intake domains (sct.example.gouv.qc.ca, demandes-prod.sct.example.gouv.qc.ca is not in it).',
    ]);
    expect(check({ ...zone, mailFromDomain: 'bounce.autre.gouv.qc.ca' })[0]).toMatch(
      /^Invalid context 'mailFromDomain'.*Expected a subdomain of sct\.example\.gouv\.qc\.ca/,
    );
    expect(check({ mailFromDomain: 'bounce.sct.example.gouv.qc.ca' })[0]).toMatch(
      /^Invalid context 'mailFromDomain'.*without 'mailHostedZoneId' and 'mailHostedZoneName'/,
    );
    expect(check({ ...zone, mailFromDomain: 'courriel.sct.example.gouv.qc.ca' })).toEqual([]);
  });

  it('bootstraps a single region when the stacks are in us-east-1 already', () => {
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({ region: 'us-east-1', staffSiteCertificateArn: STAFF_CERTIFICATE }),
    });
    expect(findings.find((finding) => finding.key === 'bootstrap')?.en).toMatch(
      /^Bootstrap once per account and region: npx cdk bootstrap aws:\/\/123456789012\/us-east-1 \(/,
    );
  });

  it('names every missing setting of prod and the missing deployment target, in French by default', () => {
    const findings = checkDeployment({ stage: 'prod', context: {} });

    expect(formatFindings('prod', findings, 'fr')).toEqual([
      "ERREUR — Réglages manquants pour l’étape prod : 'senderAddress', 'staffBaseUrl', 'authDomainPrefix', " +
        "'intakeMailDomain' (-c senderAddress=… ou un objet 'jalon:prod' dans le contexte de cdk.json; seule " +
        'dev a des valeurs par défaut).',
      "ERREUR — Réglage 'account' manquant : un déploiement doit nommer le compte AWS à 12 chiffres cible " +
        '(-c account=123456789012), pour qu’aucun profil AWS ambiant ne le choisisse.',
      "ERREUR — Réglage 'region' manquant : un déploiement doit nommer la région AWS cible " +
        '(-c region=ca-central-1), pour qu’aucun profil AWS ambiant ne le choisisse.',
      'Étape prod : 3 erreur(s), 0 avertissement(s). Corrigez les erreurs avant npx cdk deploy.',
    ]);
  });

  it('reports every malformed setting at once, one line each, with what was expected', () => {
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({
        account: '12345',
        senderAddress: 'avis',
        authDomainPrefix: 'Jalon_Prod',
      }),
    });

    expect(errorsOf(findings)).toEqual([
      `Invalid context 'account': "12345". Expected something like 123456789012, or omit it for an ` +
        'environment-agnostic synth.',
      `Invalid context 'senderAddress': "avis". Expected an email address such as avis@organisme.gouv.qc.ca.`,
      `Invalid context 'authDomainPrefix': "Jalon_Prod". Expected lowercase letters, digits and hyphens.`,
    ]);
    expect(findings.find((finding) => finding.key === 'authDomainPrefix')?.fr).toBe(
      `Réglage 'authDomainPrefix' invalide : "Jalon_Prod". Attendu : des lettres minuscules, des chiffres et ` +
        'des traits d’union.',
    );
  });

  it('refuses certificates of the wrong region or account and a sign-in prefix Cognito would refuse', () => {
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({
        citizenApiDomainName: 'api.demandes.sct.example.gouv.qc.ca',
        citizenApiCertificateArn: CITIZEN_CERTIFICATE.replace('ca-central-1', 'us-east-1'),
        staffSiteCertificateArn: STAFF_CERTIFICATE.replace('123456789012', '210987654321'),
        authDomainPrefix: 'jalon-cognito-prod',
      }),
    });

    expect(errorsOf(findings)).toEqual([
      "'citizenApiCertificateArn' is a certificate of us-east-1, but the citizen API is in ca-central-1: a " +
        'regional API Gateway domain needs a certificate of its own region.',
      "'staffSiteCertificateArn' belongs to account 210987654321, not to the deployment account 123456789012.",
      `'authDomainPrefix' "jalon-cognito-prod" contains "cognito": Cognito refuses a domain prefix containing ` +
        'aws, amazon, cognito.',
    ]);
  });

  it('accepts a citizen API certificate of the stacks’ own region and account', () => {
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({
        citizenApiDomainName: 'api.demandes.sct.example.gouv.qc.ca',
        citizenApiCertificateArn: CITIZEN_CERTIFICATE,
      }),
    });
    expect(errorsOf(findings)).toEqual([]);
  });

  it('blocks example addresses outside dev and only warns of them in dev, where they are the defaults', () => {
    const prod = checkDeployment({ stage: 'prod', context: goodProd({ opsAlertEmail: 'ops@example.com' }) });
    expect(errorsOf(prod)).toEqual([
      "'opsAlertEmail' uses the reserved example domain(s) example.com: no mail is ever delivered there.",
    ]);

    const dev = checkDeployment({ stage: 'dev', context: TARGET });
    expect(errorsOf(dev)).toEqual([]);
    expect(dev.filter((finding) => finding.severity === 'warning').map((finding) => finding.en)).toEqual(
      expect.arrayContaining([
        "'senderAddress' uses the reserved example domain(s) example.org: no mail is ever delivered there.",
        "'staffBaseUrl' is on the reserved example host localhost: staff links would lead nowhere.",
      ]),
    );
  });

  it('warns when nobody gets the alarms and when staff links point to a host the staff site does not serve', () => {
    const settings = serviceSettingsFixture('prod');
    delete settings['opsAlertEmail'];
    const findings = checkDeployment({ stage: 'prod', context: goodProd({ 'jalon:prod': settings }) });

    expect(findings.filter((finding) => finding.severity === 'warning').map((finding) => finding.en)).toEqual(
      expect.arrayContaining([
        "No 'opsAlertEmail': alarms reach the ops topic (output OpsAlertsTopicArn) but nobody is subscribed to " +
          'it; subscribe a mailbox after the deploy.',
        "'staffBaseUrl' is on jalon-prod.sct.example.gouv.qc.ca, which the staff distribution does not answer " +
          "to without 'staffSiteCertificateArn' or 'staffSiteHostedZoneId': links in staff notifications " +
          'would lead nowhere. Give the certificate or the hosted zone, or set it to the StaffSiteUrl output ' +
          'after the first deploy and deploy again.',
      ]),
    );
  });

  it('says how to move a retired staff directory setting into the staff table, without blocking', () => {
    const settings = {
      ...serviceSettingsFixture('prod'),
      staffDirectory: { operations: ['ops@sct.gouv.qc.ca'] },
    };
    const findings = checkDeployment({
      stage: 'prod',
      context: goodProd({ 'jalon:prod': settings, staffMembers: '[]' }),
    });

    expect(errorsOf(findings)).toEqual([]);
    const retired = findings.filter((finding) => ['staffDirectory', 'staffMembers'].includes(finding.key));
    expect(retired.map((finding) => finding.en)).toEqual([
      "'staffDirectory' is no longer read: the staff directory lives in the table jalon-prod-staff. Put it in " +
        'a file {"groups": <staffDirectory>, "members": <staffMembers>}, load it after the deploy (npx jalon ' +
        "staff load <directory.json> --table jalon-prod-staff --by <your name>), then remove 'staffDirectory' " +
        'from the settings.',
      expect.stringMatching(/^'staffMembers' is no longer read: /),
    ]);
    expect(retired[0]?.fr).toMatch(
      /^'staffDirectory' n’est plus lu : l’annuaire du personnel est dans la table/,
    );
  });

  it('refuses to deploy a function still replaced by its fail-closed placeholder', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jalon-deploy-check-'));
    try {
      const findings = checkDeployment({ stage: 'prod', context: goodProd(), root });
      expect(errorsOf(findings)).toEqual([
        'functions/form-intake/index.ts does not exist: the form-intake Lambda would be deployed as a ' +
          'placeholder that fails every invocation.',
        'functions/email-intake/index.ts does not exist: the email-intake Lambda would be deployed as a ' +
          'placeholder that fails every invocation.',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('passes the example settings block of docs/deploy.md', () => {
    const guide = readFileSync(path.join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
    const block = guide.split('```json\n')[1]?.split('```')[0] ?? '';
    const example = JSON.parse(`{${block}}`) as Record<string, unknown>;

    expect(Object.keys(example)).toEqual(['jalon:prod']);
    expect(errorsOf(checkDeployment({ stage: 'prod', context: { ...TARGET, ...example } }))).toEqual([]);
  });

  it('refuses an unknown stage, and checks nothing else', () => {
    expect(formatFindings('qa', checkDeployment({ stage: 'qa', context: TARGET }), 'en')).toEqual([
      `ERROR — Invalid context 'stage': "qa". Allowed values: dev, test, prod (e.g. -c stage=prod; default dev).`,
      'Stage qa: 1 error(s), 0 warning(s). Fix the errors before npx cdk deploy.',
    ]);
  });
});

describe('npm run deploy:check', () => {
  /** The script as package.json runs it, from the repository, with cdk.json's context. */
  function run(args: readonly string[]) {
    return spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join('infra', 'aws', 'deploy-check-cli.ts'), ...args],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  }

  it('exits 1 and says what is missing when prod has no settings in cdk.json', () => {
    const result = run(['--stage', 'prod', '--lang', 'en']);

    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ERROR — Missing context for the prod stage: 'senderAddress', /);
    expect(lines.at(-1)).toBe('Stage prod: 3 error(s), 0 warning(s). Fix the errors before npx cdk deploy.');
  }, 60_000);

  it('exits 0 with settings given as -c key=value, structured ones as JSON text', () => {
    const settings = serviceSettingsFixture('prod');
    const context = Object.entries({
      ...TARGET,
      ...settings,
      staffSiteCertificateArn: STAFF_CERTIFICATE,
    }).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);

    const result = run(['--stage', 'prod', ...context.flatMap((pair) => ['-c', pair])]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      'Étape prod : 0 erreur(s), 8 avertissement(s). Rien ne bloque npx cdk deploy.',
    );
  }, 60_000);
});
