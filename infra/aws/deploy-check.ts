import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { PROJECT_ROOT } from './constructs/jalon-function';
import {
  CONTEXT_KEYS,
  parseStage,
  readDeploymentContext,
  SettingProblems,
  type DeploymentContext,
  type SettingProblem,
  type Stage,
} from './deployment-context';
import { functionEntry } from './function-entries';
import {
  readServiceContext,
  readStageBlock,
  SERVICE_CONTEXT_KEYS,
  type ServiceContext,
} from './service-context';
import { STAFF_TABLE, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import { CLOUDFRONT_WAF_REGION } from './stacks/citizen-waf-stack';
import { sesInboundEndpoint } from './ses-identity';
import { receiptRuleNames } from './stacks/email-intake-stack';

/**
 * `npm run deploy:check -- --stage <name>`: the settings of a stage checked before `cdk deploy`, offline, by
 * the very functions the CDK app reads them with (`readDeploymentContext`, `readServiceContext`), plus what
 * only a deployment needs (an explicit account and region, certificates of the right account and region) and
 * reminders of the steps CloudFormation cannot take (`docs/deploy.md`).
 */

/** An error blocks `cdk deploy` (or makes it deploy something broken); a warning is a step to remember. */
export type Severity = 'error' | 'warning';

/** One line of the report: a problem of the settings (or a step to remember), in both languages. */
export interface DeployFinding extends SettingProblem {
  readonly severity: Severity;
}

export interface DeployCheckInput {
  /** The stage asked for, as typed (`--stage`). */
  readonly stage: string;
  /** The CDK context the deploy would see: cdk.json's, cdk.context.json's, then `-c key=value`. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Where `functions/` is; the repository by default. */
  readonly root?: string;
}

/** The functions whose module may still be missing (`jalon-app.ts` deploys a placeholder for them then). */
const PLACEHOLDER_CANDIDATES = ['form-intake', 'email-intake'] as const;

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): no mail is ever delivered there. */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;

/** Cognito refuses a domain prefix containing these words. */
const COGNITO_RESERVED_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** `arn:aws:acm:<region>:<account>:certificate/<id>` → its region and account. */
function certificateLocation(arn: string): { readonly region: string; readonly account: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { region, account };
}

function error(key: string, en: string, fr: string): DeployFinding {
  return { severity: 'error', key, en, fr };
}

function warning(key: string, en: string, fr: string): DeployFinding {
  return { severity: 'warning', key, en, fr };
}

/**
 * Every finding on the settings of a stage, errors first. The stage, the deployment context and the service
 * context are each parsed as `cdk synth` parses them, and every problem of theirs is an error.
 */
export function checkDeployment(input: DeployCheckInput): DeployFinding[] {
  const problems = new SettingProblems();
  const stage = problems.attempt(() => parseStage(input.stage));
  if (stage === undefined) return settled(problems, []);
  const node = new App({ context: { ...input.context, [CONTEXT_KEYS.stage]: stage } }).node;
  const deployment = problems.attempt(() => readDeploymentContext(node));
  const service = problems.attempt(() => readServiceContext(node, stage));

  const findings = [
    ...(deployment ? targetErrors(deployment) : []),
    ...placeholderErrors(input.root ?? PROJECT_ROOT),
    ...(deployment && service ? consistencyErrors(stage, deployment, service) : []),
    ...(service ? serviceWarnings(service) : []),
    ...retiredStaffSettings(stage, node),
  ];
  const { account, region } = deployment?.env ?? {};
  if (account && region && service) findings.push(...reminders(stage, account, region, service));
  return settled(problems, findings);
}

/** The parse problems as errors, then the other findings, errors before warnings. */
function settled(problems: SettingProblems, findings: readonly DeployFinding[]): DeployFinding[] {
  const parsed = problems.list().map((problem): DeployFinding => ({ severity: 'error', ...problem }));
  return [...parsed, ...findings].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
}

/** Synth works without a target; a deploy must name it, so that no ambient AWS profile chooses it. */
function targetErrors({ env }: DeploymentContext): DeployFinding[] {
  const missing = [
    [
      CONTEXT_KEYS.account,
      env.account,
      '123456789012',
      'the 12-digit AWS account',
      'le compte AWS à 12 chiffres',
    ],
    [CONTEXT_KEYS.region, env.region, 'ca-central-1', 'the AWS region', 'la région AWS'],
  ] as const;
  return missing
    .filter(([, value]) => value === undefined)
    .map(([key, , example, en, fr]) =>
      error(
        key,
        `Missing context '${key}': a deploy needs ${en} to deploy to (-c ${key}=${example}), so that no ` +
          'ambient AWS profile picks it.',
        `Réglage '${key}' manquant : un déploiement doit nommer ${fr} cible (-c ${key}=${example}), pour ` +
          'qu’aucun profil AWS ambiant ne le choisisse.',
      ),
    );
}

function placeholderErrors(root: string): DeployFinding[] {
  return PLACEHOLDER_CANDIDATES.filter((name) => !functionEntry(name, root).present).map((name) =>
    error(
      `functions/${name}`,
      `functions/${name}/index.ts does not exist: the ${name} Lambda would be deployed as a placeholder that ` +
        'fails every invocation.',
      `functions/${name}/index.ts n’existe pas : la Lambda ${name} serait déployée comme un substitut qui ` +
        'échoue à chaque appel.',
    ),
  );
}

/** What each setting allows alone but not together, or what CloudFormation, Cognito or SES would refuse. */
function consistencyErrors(
  stage: Stage,
  { env }: DeploymentContext,
  service: ServiceContext,
): DeployFinding[] {
  const findings: DeployFinding[] = [];
  const citizenCertificate = service.citizenApiDomain?.certificateArn;
  if (citizenCertificate !== undefined && env.region !== undefined) {
    const key = SERVICE_CONTEXT_KEYS.citizenApiCertificateArn;
    const { region } = certificateLocation(citizenCertificate);
    if (region !== env.region) {
      findings.push(
        error(
          key,
          `'${key}' is a certificate of ${region}, but the citizen API is in ${env.region}: a regional API ` +
            'Gateway domain needs a certificate of its own region.',
          `'${key}' est un certificat de ${region}, mais l’API citoyenne est dans ${env.region} : un domaine ` +
            'régional d’API Gateway exige un certificat de sa propre région.',
        ),
      );
    }
  }
  const certificates = [
    [SERVICE_CONTEXT_KEYS.citizenApiCertificateArn, citizenCertificate],
    [SERVICE_CONTEXT_KEYS.staffSiteCertificateArn, service.staffSiteDomain?.certificateArn],
    [SERVICE_CONTEXT_KEYS.citizenSiteCertificateArn, service.citizenSiteDomain?.certificateArn],
  ] as const;
  for (const [key, arn] of certificates) {
    if (arn === undefined || env.account === undefined) continue;
    const { account } = certificateLocation(arn);
    if (account !== env.account) {
      findings.push(
        error(
          key,
          `'${key}' belongs to account ${account}, not to the deployment account ${env.account}.`,
          `'${key}' appartient au compte ${account}, pas au compte de déploiement ${env.account}.`,
        ),
      );
    }
  }

  const reservedWord = COGNITO_RESERVED_WORDS.find((word) => service.authDomainPrefix.includes(word));
  if (reservedWord !== undefined) {
    const key = SERVICE_CONTEXT_KEYS.authDomainPrefix;
    findings.push(
      error(
        key,
        `'${key}' "${service.authDomainPrefix}" contains "${reservedWord}": Cognito refuses a domain prefix ` +
          `containing ${COGNITO_RESERVED_WORDS.join(', ')}.`,
        `'${key}' « ${service.authDomainPrefix} » contient « ${reservedWord} » : Cognito refuse un préfixe de ` +
          `domaine qui contient ${COGNITO_RESERVED_WORDS.join(', ')}.`,
      ),
    );
  }

  for (const [key, domains] of reservedDomains(service)) {
    const list = domains.join(', ');
    const [en, fr] =
      key === SERVICE_CONTEXT_KEYS.staffBaseUrl
        ? [
            `'${key}' is on the reserved example host ${list}: staff links would lead nowhere.`,
            `'${key}' est sur l’hôte d’exemple réservé ${list} : les liens envoyés au personnel ne mèneraient nulle part.`,
          ]
        : [
            `'${key}' uses the reserved example domain(s) ${list}: no mail is ever delivered there.`,
            `'${key}' utilise le ou les domaines d’exemple réservés ${list} : aucun courriel n’y est livré.`,
          ];
    // dev's defaults are such addresses on purpose; elsewhere they would mail nobody.
    findings.push(stage === 'dev' ? warning(key, en, fr) : error(key, en, fr));
  }
  return findings;
}

/** Each setting holding a reserved example domain, with those domains. */
function reservedDomains(service: ServiceContext): [string, string[]][] {
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
  const settings: [string, string[]][] = [
    [SERVICE_CONTEXT_KEYS.senderAddress, [service.senderDomain]],
    [SERVICE_CONTEXT_KEYS.staffBaseUrl, [new URL(service.staffBaseUrl).hostname]],
    [SERVICE_CONTEXT_KEYS.intakeMailDomain, [service.intakeMailDomain]],
    [SERVICE_CONTEXT_KEYS.opsAlertEmail, service.opsAlertEmail ? [domainOf(service.opsAlertEmail)] : []],
  ];
  return settings
    .map(([key, domains]): [string, string[]] => [
      key,
      [...new Set(domains.filter((domain) => RESERVED_DOMAIN.test(domain)))].sort(),
    ])
    .filter(([, domains]) => domains.length > 0);
}

function serviceWarnings(service: ServiceContext): DeployFinding[] {
  const findings: DeployFinding[] = [];
  if (service.opsAlertEmail === undefined) {
    const key = SERVICE_CONTEXT_KEYS.opsAlertEmail;
    findings.push(
      warning(
        key,
        `No '${key}': alarms reach the ops topic (output OpsAlertsTopicArn) but nobody is subscribed to it; ` +
          'subscribe a mailbox after the deploy.',
        `Pas de '${key}' : les alarmes arrivent au sujet d’exploitation (sortie OpsAlertsTopicArn) mais personne ` +
          'n’y est abonné; abonnez une boîte aux lettres après le déploiement.',
      ),
    );
  }
  const host = new URL(service.staffBaseUrl).hostname;
  // A reserved host (dev's localhost) is reported as such already.
  if (
    service.staffSiteDomain === undefined &&
    !host.endsWith('.cloudfront.net') &&
    !RESERVED_DOMAIN.test(host)
  ) {
    const key = SERVICE_CONTEXT_KEYS.staffBaseUrl;
    findings.push(
      warning(
        key,
        `'${key}' is on ${host}, which the staff distribution does not answer to without ` +
          `'${SERVICE_CONTEXT_KEYS.staffSiteCertificateArn}' or '${SERVICE_CONTEXT_KEYS.staffSiteHostedZoneId}': ` +
          'links in staff notifications would lead nowhere. Give the certificate or the hosted zone, or set it to ' +
          'the StaffSiteUrl output after the first deploy and deploy again.',
        `'${key}' est sur ${host}, auquel la distribution du personnel ne répond pas sans ` +
          `'${SERVICE_CONTEXT_KEYS.staffSiteCertificateArn}' ni '${SERVICE_CONTEXT_KEYS.staffSiteHostedZoneId}' : ` +
          'les liens des avis au personnel ne mèneraient nulle part. Donnez le certificat ou la zone hébergée, ou ' +
          'mettez-y la sortie StaffSiteUrl après le premier déploiement et redéployez.',
      ),
    );
  }
  return findings;
}

/** The settings that held the staff directory before it moved to the staff table. */
export const RETIRED_STAFF_DIRECTORY_KEYS = ['staffDirectory', 'staffMembers'] as const;

/** The command that loads a stage's staff directory from a JSON file (`npx jalon staff load`). */
function staffLoadCommand(stage: Stage): string {
  return `npx jalon staff load <directory.json> --table ${tableName(stage, STAFF_TABLE)} --by <your name>`;
}

/**
 * The staff directory is data, not a setting (`docs/staff-directory.md`): a warning for each retired setting
 * still given (the stacks ignore it), saying how to move it into the staff table.
 */
function retiredStaffSettings(stage: Stage, node: Node): DeployFinding[] {
  const table = tableName(stage, STAFF_TABLE);
  // A malformed stage block is reported by `readServiceContext` already.
  let block: Readonly<Record<string, unknown>> = {};
  try {
    block = readStageBlock(node, stage);
  } catch {
    block = {};
  }
  const given = RETIRED_STAFF_DIRECTORY_KEYS.filter(
    (key) => node.tryGetContext(key) !== undefined || block[key] !== undefined,
  );
  const load = staffLoadCommand(stage);
  return given.map((key) =>
    warning(
      key,
      `'${key}' is no longer read: the staff directory lives in the table ${table}. Put it in a file ` +
        `{"groups": <staffDirectory>, "members": <staffMembers>}, load it after the deploy (${load}), then ` +
        `remove '${key}' from the settings.`,
      `'${key}' n’est plus lu : l’annuaire du personnel est dans la table ${table}. Mettez-le dans un fichier ` +
        `{"groups": <staffDirectory>, "members": <staffMembers>}, chargez-le après le déploiement (${load}), ` +
        `puis retirez '${key}' des réglages.`,
    ),
  );
}

/** The steps CloudFormation cannot take, with the stage's own names and region. */
function reminders(stage: Stage, account: string, region: string, service: ServiceContext): DeployFinding[] {
  const regions = [...new Set([region, CLOUDFRONT_WAF_REGION])];
  const targets = regions.map((each) => `aws://${account}/${each}`).join(' ');
  const { ruleSet } = receiptRuleNames(stage);
  return [
    warning(
      'bootstrap',
      `Bootstrap once per account and region: npx cdk bootstrap ${targets} (the stacks in ${region}, the ` +
        `CloudFront web ACLs in ${CLOUDFRONT_WAF_REGION}).`,
      `Amorcez une fois par compte et région : npx cdk bootstrap ${targets} (les piles dans ${region}, les ` +
        `ACL web de CloudFront dans ${CLOUDFRONT_WAF_REGION}).`,
    ),
    warning(
      'ses-sandbox',
      `SES starts in the sandbox in each region: until production access is granted in ${region}, mail goes ` +
        'only to verified addresses (citizens receive nothing).',
      `SES commence en mode bac à sable dans chaque région : tant que l’accès production n’est pas accordé ` +
        `dans ${region}, le courriel ne part que vers des adresses vérifiées (les citoyens ne reçoivent rien).`,
    ),
    ...identityReminders(region, service),
    ...siteDomainReminders(stage, service),
    warning(
      'receipt-rule-set',
      `After the deploy, activate the receipt rule set: aws ses set-active-receipt-rule-set --rule-set-name ` +
        `${ruleSet} --region ${region}. A region has one active rule set: this deactivates any other ` +
        `(another stage or application of the account in ${region} stops receiving mail).`,
      `Après le déploiement, activez l’ensemble de règles de réception : aws ses set-active-receipt-rule-set ` +
        `--rule-set-name ${ruleSet} --region ${region}. Une région n’a qu’un ensemble actif : celui-ci ` +
        `désactive tout autre (une autre étape ou application du compte en ${region} ne reçoit plus de courriel).`,
    ),
    warning(
      'staff-directory',
      `After the first deploy, load the staff directory (the addresses of every group the policy notifies, ` +
        `and the staff members): ${staffLoadCommand(stage)}; later edits take effect within a minute, ` +
        'without a deploy (npx jalon staff put|remove|group).',
      `Après le premier déploiement, chargez l’annuaire du personnel (les adresses de chaque groupe que la ` +
        `politique avise, et les membres du personnel) : ${staffLoadCommand(stage)}; les modifications ` +
        'suivantes prennent effet en moins d’une minute, sans déploiement (npx jalon staff put|remove|group).',
    ),
  ];
}

/**
 * The SES identities and mail DNS records: by hand without a hosted zone; with one (`mailDnsZone`), what the
 * stacks create in its place, and what is left (the zone must answer for the domains).
 */
function identityReminders(region: string, service: ServiceContext): DeployFinding[] {
  const inbound = `10 ${sesInboundEndpoint(region)}`;
  const zone = service.mailDnsZone;
  if (zone !== undefined) {
    const domains = [...new Set([service.senderDomain, service.intakeMailDomain])].join(', ');
    return [
      warning(
        SERVICE_CONTEXT_KEYS.mailHostedZoneId,
        `Hosted zone ${zone.zoneName} (${zone.hostedZoneId}): the stacks create the SES identities of ${domains} ` +
          `with Easy DKIM, the MAIL FROM domain ${zone.mailFromDomain} (MX and SPF records) and the MX record ` +
          `${inbound} of ${service.intakeMailDomain}; no manual identity or DNS step remains, provided the ` +
          `zone is the one the parent domain delegates ${zone.zoneName} to.`,
        `Zone hébergée ${zone.zoneName} (${zone.hostedZoneId}) : les piles créent les identités SES de ${domains} ` +
          `avec Easy DKIM, le domaine MAIL FROM ${zone.mailFromDomain} (enregistrements MX et SPF) et ` +
          `l’enregistrement MX ${inbound} de ${service.intakeMailDomain}; plus aucune étape manuelle d’identité ` +
          `ni de DNS, pourvu que la zone soit celle à laquelle le domaine parent délègue ${zone.zoneName}.`,
      ),
    ];
  }
  return [
    warning(
      SERVICE_CONTEXT_KEYS.senderAddress,
      `Verify the sender domain ${service.senderDomain} in SES in ${region} (Easy DKIM: three CNAME records); ` +
        `the stacks do not create the identity (they do with '${SERVICE_CONTEXT_KEYS.mailHostedZoneId}' and ` +
        `'${SERVICE_CONTEXT_KEYS.mailHostedZoneName}').`,
      `Vérifiez le domaine d’envoi ${service.senderDomain} dans SES en ${region} (Easy DKIM : trois ` +
        `enregistrements CNAME); les piles ne créent pas l’identité (elles le font avec ` +
        `'${SERVICE_CONTEXT_KEYS.mailHostedZoneId}' et '${SERVICE_CONTEXT_KEYS.mailHostedZoneName}').`,
    ),
    warning(
      SERVICE_CONTEXT_KEYS.intakeMailDomain,
      `Verify the intake domain ${service.intakeMailDomain} in SES in ${region} and give it the MX record ` +
        `${inbound}; SES must offer email receiving in ${region}.`,
      `Vérifiez le domaine de réception ${service.intakeMailDomain} dans SES en ${region} et donnez-lui ` +
        `l’enregistrement MX ${inbound}; SES doit offrir la réception de courriel en ${region}.`,
    ),
  ];
}

/**
 * What becomes of each site's address: with a domain and its zone, what the stacks create (certificate,
 * alias records); with a domain and no zone, the DNS record to make by hand after the deploy; without a
 * domain (outside dev), the `*.cloudfront.net` address, whose TLSv1 minimum cannot be raised.
 */
function siteDomainReminders(stage: Stage, service: ServiceContext): DeployFinding[] {
  const sites = [
    ['citizen', 'citoyen', service.citizenSiteDomain, 'Citizen', SERVICE_CONTEXT_KEYS.citizenSiteDomainName],
    ['staff', 'du personnel', service.staffSiteDomain, 'Staff', SERVICE_CONTEXT_KEYS.staffSiteHostedZoneId],
  ] as const;
  const findings: DeployFinding[] = [];
  for (const [site, siteFr, domain, outputs, key] of sites) {
    if (domain === undefined) {
      if (stage === 'dev') continue;
      findings.push(
        warning(
          key,
          `The ${site} site has no domain of its own: it is the ${outputs}SiteUrl output (*.cloudfront.net), where ` +
            'CloudFront keeps TLSv1 as the minimum (a security policy needs a certificate of your own).',
          `Le site ${siteFr} n’a pas de domaine à lui : c’est la sortie ${outputs}SiteUrl (*.cloudfront.net), où ` +
            'CloudFront garde TLSv1 comme minimum (une politique de sécurité exige votre propre certificat).',
        ),
      );
      continue;
    }
    const name = domain.domainName;
    const certificate =
      domain.certificateArn === undefined
        ? {
            en: `a certificate for ${name} issued in us-east-1 (stack JalonEdgeCertificates, DNS-validated), `,
            fr: `un certificat pour ${name} émis dans us-east-1 (pile JalonEdgeCertificates, validé par DNS), `,
          }
        : { en: '', fr: '' };
    findings.push(
      domain.hostedZone !== undefined
        ? warning(
            key,
            `The ${site} site answers to ${name} (TLS 1.2 at least): the stacks create ${certificate.en}and the ` +
              `A and AAAA alias records of ${name} in ${domain.hostedZone.zoneName}, provided the parent domain ` +
              'delegates that zone to Route 53.',
            `Le site ${siteFr} répond à ${name} (TLS 1.2 au moins) : les piles créent ${certificate.fr}et les ` +
              `enregistrements alias A et AAAA de ${name} dans ${domain.hostedZone.zoneName}, pourvu que le ` +
              'domaine parent délègue cette zone à Route 53.',
          )
        : warning(
            key,
            `The ${site} site answers to ${name} (TLS 1.2 at least), but no hosted zone is given: after the ` +
              `deploy, make ${name} a CNAME (or an alias) to the distribution's domain, the ` +
              `${outputs}SiteDistributionDomain output.`,
            `Le site ${siteFr} répond à ${name} (TLS 1.2 au moins), mais aucune zone hébergée n’est donnée : ` +
              `après le déploiement, faites de ${name} un CNAME (ou un alias) vers le domaine de la ` +
              `distribution, la sortie ${outputs}SiteDistributionDomain.`,
          ),
    );
  }
  return findings;
}

/** The language of the report: French by default, as the `jalon` commands' `--lang`. */
export type ReportLanguage = 'fr' | 'en';

const LABELS: Readonly<Record<ReportLanguage, Readonly<Record<Severity, string>>>> = {
  fr: { error: 'ERREUR', warning: 'AVERTISSEMENT' },
  en: { error: 'ERROR', warning: 'WARNING' },
};

/** One line per finding, then a summary line saying whether the settings allow `cdk deploy`. */
export function formatFindings(
  stage: string,
  findings: readonly DeployFinding[],
  lang: ReportLanguage,
): string[] {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const lines = findings.map((finding) => `${LABELS[lang][finding.severity]} — ${finding[lang]}`);
  const summary =
    lang === 'fr'
      ? `Étape ${stage} : ${errors} erreur(s), ${warnings} avertissement(s). ` +
        (errors > 0 ? 'Corrigez les erreurs avant npx cdk deploy.' : 'Rien ne bloque npx cdk deploy.')
      : `Stage ${stage}: ${errors} error(s), ${warnings} warning(s). ` +
        (errors > 0 ? 'Fix the errors before npx cdk deploy.' : 'Nothing blocks npx cdk deploy.');
  return [...lines, summary];
}

/**
 * The context `cdk deploy` would read from the repository: cdk.json's `context`, then cdk.context.json's
 * (if any). `-c` values go on top of it. The user's `~/.cdk.json` is not read.
 */
export function projectContext(root: string = PROJECT_ROOT): Record<string, unknown> {
  const read = (file: string): Record<string, unknown> => {
    const full = path.join(root, file);
    if (!existsSync(full)) return {};
    return JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>;
  };
  const cdkJson = read('cdk.json') as { context?: Record<string, unknown> };
  return { ...cdkJson.context, ...read('cdk.context.json') };
}
