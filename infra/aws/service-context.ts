import type { Node } from 'constructs';
import * as z from 'zod';
import { staffAuthUrls } from '../../web/staff/auth-config';
import { InvalidDeploymentContextError, SettingProblems, type Stage } from './deployment-context';

/**
 * What the running service needs to know about its organization, read from CDK context like the deployment
 * target. Each key is looked up, first match wins:
 * 1. on the command line or at the top of `cdk.json`'s context: `-c senderAddress=…`;
 * 2. in the stage's block of `cdk.json`'s context: `"jalon:prod": { "senderAddress": "…", … }`, so each
 *    stage's settings can be committed side by side and `npx cdk synth -c stage=prod` needs nothing else;
 * 3. dev only: a default.
 *
 * Only `dev` has defaults, so a bare `npx cdk synth` works; `test` and `prod` must name their sender, staff
 * site, sign-in domain and intake mail domain explicitly, because a placeholder there would mail citizens from
 * a wrong address or send staff to a wrong site.
 *
 * The staff directory is not a setting: it lives in the staff table, loaded and edited with `npx jalon staff`
 * without a deploy (`docs/staff-directory.md`).
 */
export interface ServiceContext {
  /** Address citizens and staff receive mail from; its domain (or itself) is a verified SES identity. */
  readonly senderAddress: string;
  /** Domain part of `senderAddress`: the SES domain identity the functions may send as. */
  readonly senderDomain: string;
  /** Base URL of the staff pages (ends with `/`); links in notifications and the sign-in redirects use it. */
  readonly staffBaseUrl: string;
  /** `scheme://host[:port]` of the staff pages: the only origin the staff API answers CORS requests from. */
  readonly staffOrigin: string;
  /**
   * Where Cognito may redirect after sign-in (authorization-code flow), besides the staff distribution's own
   * callback pages: by default the callback page of each language under `staffBaseUrl`.
   */
  readonly staffCallbackUrls: readonly string[];
  /** Where Cognito may redirect after sign-out: the sign-in page of each language under `staffBaseUrl`. */
  readonly staffLogoutUrls: readonly string[];
  /** Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region. */
  readonly authDomainPrefix: string;
  /**
   * The domain citizens write to (`demandes@<domain>`): the SES receipt rule accepts every recipient of it.
   * Verified in SES and given an MX record to the region's SES inbound endpoint: by the stacks with
   * `mailDnsZone`, out of band without it.
   */
  readonly intakeMailDomain: string;
  /** Mailbox subscribed to the ops alerts topic; without it, subscribe out of band. */
  readonly opsAlertEmail?: string;
  /**
   * Business days without any inbound mail after which operations are alerted (intake broken upstream: MX
   * record, SES receipt rule, S3 notification). From 1 to `MAX_QUIET_MAIL_BUSINESS_DAYS`; see
   * `docs/operations.md` for how the alarm counts them.
   */
  readonly quietMailBusinessDays: number;
  /**
   * A custom domain for the citizen HTTP API (regional, with an ACM certificate of the stacks' region): with
   * it, CloudFront reaches the API by that name and the `execute-api` endpoint is disabled. Its DNS record (a
   * CNAME to the API Gateway regional domain name, see the `CitizenApiDomainTarget` output) is made out of band.
   */
  readonly citizenApiDomain?: { readonly domainName: string; readonly certificateArn: string };
  /**
   * The citizen site on a domain of the organization (`citizenSiteDomainName`), see `SiteDomain`. Without it,
   * the citizen site is the distribution's `*.cloudfront.net` address (output `CitizenSiteUrl`).
   */
  readonly citizenSiteDomain?: SiteDomain;
  /**
   * The staff site on the host of `staffBaseUrl` (`staffSiteCertificateArn`, or a hosted zone), see
   * `SiteDomain`: the staff distribution answers to that name and the pages sign in from it. Without it, the
   * staff site is the distribution's `*.cloudfront.net` address (output `StaffSiteUrl`).
   */
  readonly staffSiteDomain?: SiteDomain;
  /**
   * A Route 53 public hosted zone holding the sender and intake domains (each is the zone's name or below it):
   * with it, the stacks create the SES identities of both domains with Easy DKIM (the three CNAME records), the
   * sender domain's custom MAIL FROM domain (its MX and SPF TXT records) and the intake domain's MX record to
   * the region's SES inbound endpoint. Given by id and name, never looked up: synth stays offline. Without it,
   * the identities and records are made by hand (`docs/deploy.md`, step 6).
   */
  readonly mailDnsZone?: MailDnsZone;
}

/**
 * A CloudFront site on a domain of its own, with TLS 1.2 (2021) at least. Its certificate (ACM, us-east-1) is
 * the one given, else one the edge certificate stack issues, validated by DNS in the hosted zone. With a
 * hosted zone, the site's alias records (A and AAAA) to its distribution are created in it; without one, the
 * DNS record is made by hand (`docs/deploy.md`, step 6). At least one of the two is given.
 */
export type SiteDomain = {
  /** The host name the distribution answers to, e.g. `demandes.organisme.gouv.qc.ca`. */
  readonly domainName: string;
} & (
  | { readonly certificateArn: string; readonly hostedZone?: HostedZone }
  | { readonly certificateArn?: undefined; readonly hostedZone: HostedZone }
);

/** A Route 53 public hosted zone, given by id and name (never looked up: synth stays offline). */
export interface HostedZone {
  /** Route 53 id of the public hosted zone (`Z…`). */
  readonly hostedZoneId: string;
  /** Its domain name, e.g. `organisme.gouv.qc.ca`. */
  readonly zoneName: string;
}

/** The hosted zone of the mail domains and the MAIL FROM domain the stacks create records for. */
export interface MailDnsZone {
  /** Route 53 id of the public hosted zone (`Z…`). */
  readonly hostedZoneId: string;
  /** Its domain name, e.g. `organisme.gouv.qc.ca`. */
  readonly zoneName: string;
  /** The sender domain's MAIL FROM domain: `bounce.<senderDomain>` unless set. */
  readonly mailFromDomain: string;
}

export const SERVICE_CONTEXT_KEYS = {
  senderAddress: 'senderAddress',
  staffBaseUrl: 'staffBaseUrl',
  staffCallbackUrls: 'staffCallbackUrls',
  authDomainPrefix: 'authDomainPrefix',
  intakeMailDomain: 'intakeMailDomain',
  opsAlertEmail: 'opsAlertEmail',
  quietMailBusinessDays: 'quietMailBusinessDays',
  citizenApiDomainName: 'citizenApiDomainName',
  citizenApiCertificateArn: 'citizenApiCertificateArn',
  staffSiteCertificateArn: 'staffSiteCertificateArn',
  staffSiteHostedZoneId: 'staffSiteHostedZoneId',
  staffSiteHostedZoneName: 'staffSiteHostedZoneName',
  citizenSiteDomainName: 'citizenSiteDomainName',
  citizenSiteCertificateArn: 'citizenSiteCertificateArn',
  citizenSiteHostedZoneId: 'citizenSiteHostedZoneId',
  citizenSiteHostedZoneName: 'citizenSiteHostedZoneName',
  mailHostedZoneId: 'mailHostedZoneId',
  mailHostedZoneName: 'mailHostedZoneName',
  mailFromDomain: 'mailFromDomain',
} as const;

/** The MAIL FROM subdomain of the sender domain when `mailFromDomain` is not given. */
export const DEFAULT_MAIL_FROM_SUBDOMAIN = 'bounce';

/** `quietMailBusinessDays` when not given. */
export const DEFAULT_QUIET_MAIL_BUSINESS_DAYS = 2;
/**
 * The alarm's window is the business days plus the longest run of days off (see `quietMailWindowDays`), and
 * a CloudWatch alarm looks back at most seven days.
 */
export const MAX_QUIET_MAIL_BUSINESS_DAYS = 3;

/** The context keys `test` and `prod` must give (dev has defaults for them). */
export const REQUIRED_OUTSIDE_DEV = [
  SERVICE_CONTEXT_KEYS.senderAddress,
  SERVICE_CONTEXT_KEYS.staffBaseUrl,
  SERVICE_CONTEXT_KEYS.authDomainPrefix,
  SERVICE_CONTEXT_KEYS.intakeMailDomain,
] as const;

/** Mailbox every dev notification goes to (a reserved example domain: dev never mails real people). */
const DEV_MAILBOX_DOMAIN = 'example.org';

function devDefaults(stage: Stage): Readonly<Record<string, unknown>> {
  return {
    [SERVICE_CONTEXT_KEYS.senderAddress]: `jalon-dev@${DEV_MAILBOX_DOMAIN}`,
    [SERVICE_CONTEXT_KEYS.staffBaseUrl]: 'http://localhost:3000/',
    [SERVICE_CONTEXT_KEYS.authDomainPrefix]: `jalon-${stage}-staff`,
    [SERVICE_CONTEXT_KEYS.intakeMailDomain]: `intake.jalon-${stage}.${DEV_MAILBOX_DOMAIN}`,
  };
}

/** What a setting should have been, in both languages. */
interface Expected {
  readonly en: string;
  readonly fr: string;
}

function invalid(key: string, value: unknown, expected: Expected): InvalidDeploymentContextError {
  return new InvalidDeploymentContextError({
    key,
    en: `Invalid context '${key}': ${JSON.stringify(value)}. Expected ${expected.en}.`,
    fr: `Réglage '${key}' invalide : ${JSON.stringify(value)}. Attendu : ${expected.fr}.`,
  });
}

/** A whole number of business days, 1 to `MAX_QUIET_MAIL_BUSINESS_DAYS`; `-c` gives it as a string. */
function parseQuietMailBusinessDays(key: string, value: unknown): number {
  if (value === undefined) return DEFAULT_QUIET_MAIL_BUSINESS_DAYS;
  const days = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (
    typeof days === 'number' &&
    Number.isInteger(days) &&
    days >= 1 &&
    days <= MAX_QUIET_MAIL_BUSINESS_DAYS
  ) {
    return days;
  }
  throw invalid(key, value, {
    en: `a whole number of business days from 1 to ${MAX_QUIET_MAIL_BUSINESS_DAYS}`,
    fr: `un nombre entier de jours ouvrables de 1 à ${MAX_QUIET_MAIL_BUSINESS_DAYS}`,
  });
}

/** `-c key=value` always gives a string; `cdk.json` may give JSON. Both are accepted for structured keys. */
function parseJsonIfString(key: string, value: unknown, expected: Expected): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw invalid(key, value, expected);
  }
}

const EmailSchema = z.email();
/** A lowercase DNS domain name with at least two labels (`demandes.sct.gouv.qc.ca`). */
const DOMAIN_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A regional ACM certificate (the custom domain of an HTTP API needs one in the API's own region). */
const CERTIFICATE_ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** A certificate CloudFront can use: ACM in us-east-1. */
const CLOUDFRONT_CERTIFICATE_ARN_PATTERN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** A Route 53 hosted zone id. */
const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
/** Cognito domain prefixes: lowercase letters, digits and hyphens, not starting or ending with a hyphen. */
const DOMAIN_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function parseEmail(key: string, value: unknown): string {
  const parsed = EmailSchema.safeParse(value);
  if (!parsed.success) {
    throw invalid(key, value, {
      en: 'an email address such as avis@organisme.gouv.qc.ca',
      fr: 'une adresse courriel comme avis@organisme.gouv.qc.ca',
    });
  }
  return parsed.data;
}

/** An absolute http(s) URL ending with `/`; https outside dev (Cognito accepts plain http only for localhost). */
function parseBaseUrl(key: string, value: unknown, stage: Stage): URL {
  const scheme = stage === 'dev' ? 'http(s)' : 'https';
  const expected = {
    en: `an absolute ${scheme} URL ending with '/'`,
    fr: `une adresse ${scheme} absolue qui finit par '/'`,
  };
  if (typeof value !== 'string' || !URL.canParse(value)) throw invalid(key, value, expected);
  const url = new URL(value);
  const schemes = stage === 'dev' ? ['http:', 'https:'] : ['https:'];
  if (!schemes.includes(url.protocol) || !url.pathname.endsWith('/') || url.search || url.hash) {
    throw invalid(key, value, expected);
  }
  return url;
}

function parseCallbackUrls(key: string, value: unknown, stage: Stage): string[] {
  const expected = { en: 'a JSON array of absolute URLs', fr: 'un tableau JSON d’adresses absolues' };
  const parsed = parseJsonIfString(key, value, expected);
  if (!Array.isArray(parsed) || parsed.length === 0) throw invalid(key, value, expected);
  return parsed.map((entry: unknown) => {
    if (typeof entry !== 'string' || !URL.canParse(entry)) throw invalid(key, value, expected);
    const url = new URL(entry);
    if (url.protocol !== 'https:' && !(stage === 'dev' && url.hostname === 'localhost')) {
      throw invalid(key, value, {
        en: 'https URLs (plain http only for localhost in dev)',
        fr: 'des adresses https (http seulement pour localhost en dev)',
      });
    }
    return url.toString();
  });
}

/** The context key of a stage's settings block, e.g. `jalon:prod`. */
export function stageBlockKey(stage: Stage): string {
  return `jalon:${stage}`;
}

/** The settings block of a stage in the context (`jalon:<stage>`), empty when there is none. */
export function readStageBlock(node: Node, stage: Stage): Readonly<Record<string, unknown>> {
  const key = stageBlockKey(stage);
  const expected = { en: 'a JSON object of service settings', fr: 'un objet JSON de réglages du service' };
  const value = parseJsonIfString(key, node.tryGetContext(key) ?? {}, expected);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(key, value, expected);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads and validates the service context of a stage. Every key is checked before anything is thrown, so one
 * run names all the problems (`npm run deploy:check` prints them one a line).
 *
 * @throws InvalidDeploymentContextError with a problem per malformed key and one naming the keys missing
 *   outside dev.
 */
export function readServiceContext(node: Node, stage: Stage): ServiceContext {
  const defaults = stage === 'dev' ? devDefaults(stage) : {};
  const problems = new SettingProblems();
  const block = problems.attempt(() => readStageBlock(node, stage)) ?? {};
  const read = (key: string): unknown => node.tryGetContext(key) ?? block[key] ?? defaults[key];

  const missing = REQUIRED_OUTSIDE_DEV.filter((key) => read(key) === undefined);
  if (missing.length > 0) {
    const keys = missing.map((key) => `'${key}'`).join(', ');
    const example = `-c ${SERVICE_CONTEXT_KEYS.senderAddress}=…`;
    problems.add({
      key: missing.join(','),
      en:
        `Missing context for the ${stage} stage: ${keys} (${example} or a '${stageBlockKey(stage)}' object ` +
        "in cdk.json's context; only dev has defaults).",
      fr:
        `Réglages manquants pour l’étape ${stage} : ${keys} (${example} ou un objet '${stageBlockKey(stage)}' ` +
        'dans le contexte de cdk.json; seule dev a des valeurs par défaut).',
    });
  }
  // A missing required key is reported once, above, not again as malformed.
  const parse = <T>(key: string, parseValue: (value: unknown) => T): T | undefined =>
    (missing as readonly string[]).includes(key) ? undefined : problems.attempt(() => parseValue(read(key)));
  const { senderAddress: senderKey, staffBaseUrl: baseUrlKey } = SERVICE_CONTEXT_KEYS;

  const parsedSender = parse(senderKey, (value) => parseEmail(senderKey, value));
  const parsedBaseUrl = parse(baseUrlKey, (value) => parseBaseUrl(baseUrlKey, value, stage));
  const parsedCallbacks =
    parsedBaseUrl &&
    parse(SERVICE_CONTEXT_KEYS.staffCallbackUrls, (value) =>
      value === undefined
        ? staffAuthUrls(parsedBaseUrl.toString()).callbackUrls
        : parseCallbackUrls(SERVICE_CONTEXT_KEYS.staffCallbackUrls, value, stage),
    );
  const parsedPrefix = parse(SERVICE_CONTEXT_KEYS.authDomainPrefix, (value) => {
    if (typeof value === 'string' && DOMAIN_PREFIX_PATTERN.test(value)) return value;
    throw invalid(SERVICE_CONTEXT_KEYS.authDomainPrefix, value, {
      en: 'lowercase letters, digits and hyphens',
      fr: 'des lettres minuscules, des chiffres et des traits d’union',
    });
  });
  const parsedIntakeDomain = parse(SERVICE_CONTEXT_KEYS.intakeMailDomain, (value) => {
    if (typeof value === 'string' && DOMAIN_PATTERN.test(value)) return value;
    throw invalid(SERVICE_CONTEXT_KEYS.intakeMailDomain, value, {
      en: 'a lowercase domain name such as demandes.organisme.gouv.qc.ca',
      fr: 'un nom de domaine en minuscules comme demandes.organisme.gouv.qc.ca',
    });
  });
  const opsAlertEmail = parse(SERVICE_CONTEXT_KEYS.opsAlertEmail, (value) =>
    value === undefined ? undefined : parseEmail(SERVICE_CONTEXT_KEYS.opsAlertEmail, value),
  );
  const quietMailBusinessDays = parse(SERVICE_CONTEXT_KEYS.quietMailBusinessDays, (value) =>
    parseQuietMailBusinessDays(SERVICE_CONTEXT_KEYS.quietMailBusinessDays, value),
  );
  const citizenApiDomain = problems.attempt(() =>
    parseCitizenApiDomain(
      read(SERVICE_CONTEXT_KEYS.citizenApiDomainName),
      read(SERVICE_CONTEXT_KEYS.citizenApiCertificateArn),
    ),
  );
  const parsedSiteDomain =
    parsedBaseUrl &&
    problems.attempt(() =>
      staffSiteDomain(
        read(SERVICE_CONTEXT_KEYS.staffSiteCertificateArn),
        read(SERVICE_CONTEXT_KEYS.staffSiteHostedZoneId),
        read(SERVICE_CONTEXT_KEYS.staffSiteHostedZoneName),
        parsedBaseUrl,
      ),
    );
  const citizenSiteDomain = problems.attempt(() =>
    parseCitizenSiteDomain(
      read(SERVICE_CONTEXT_KEYS.citizenSiteDomainName),
      read(SERVICE_CONTEXT_KEYS.citizenSiteCertificateArn),
      read(SERVICE_CONTEXT_KEYS.citizenSiteHostedZoneId),
      read(SERVICE_CONTEXT_KEYS.citizenSiteHostedZoneName),
    ),
  );

  const mailDnsZone =
    parsedSender === undefined || parsedIntakeDomain === undefined
      ? undefined
      : problems.attempt(() =>
          parseMailDnsZone(
            read(SERVICE_CONTEXT_KEYS.mailHostedZoneId),
            read(SERVICE_CONTEXT_KEYS.mailHostedZoneName),
            read(SERVICE_CONTEXT_KEYS.mailFromDomain),
            domainOfAddress(parsedSender),
            parsedIntakeDomain,
          ),
        );

  const [senderAddress, baseUrl, staffCallbackUrls, authDomainPrefix, intakeMailDomain] = problems.settle(
    parsedSender,
    parsedBaseUrl,
    parsedCallbacks,
    parsedPrefix,
    parsedIntakeDomain,
  );
  return {
    senderAddress,
    senderDomain: domainOfAddress(senderAddress),
    staffBaseUrl: baseUrl.toString(),
    staffOrigin: baseUrl.origin,
    staffCallbackUrls,
    staffLogoutUrls: staffAuthUrls(baseUrl.toString()).logoutUrls,
    authDomainPrefix,
    intakeMailDomain,
    ...(opsAlertEmail === undefined ? {} : { opsAlertEmail }),
    quietMailBusinessDays: quietMailBusinessDays ?? DEFAULT_QUIET_MAIL_BUSINESS_DAYS,
    ...(citizenApiDomain === undefined ? {} : { citizenApiDomain }),
    ...parsedSiteDomain,
    ...(citizenSiteDomain === undefined ? {} : { citizenSiteDomain }),
    ...(mailDnsZone === undefined ? {} : { mailDnsZone }),
  };
}

function domainOfAddress(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** Is `domain` the zone's own name or a name below it? */
function isInZone(domain: string, zoneName: string): boolean {
  return domain === zoneName || domain.endsWith(`.${zoneName}`);
}

/**
 * The mail domains' hosted zone: id and name both or neither; the sender and intake domains in it; the MAIL
 * FROM domain below the sender domain (SES requires a subdomain of the identity) and not the intake domain
 * (whose MX record goes to the inbound endpoint, not to the bounce endpoint).
 */
function parseMailDnsZone(
  hostedZoneId: unknown,
  zoneName: unknown,
  mailFromDomain: unknown,
  senderDomain: string,
  intakeMailDomain: string,
): MailDnsZone | undefined {
  const {
    mailHostedZoneId: idKey,
    mailHostedZoneName: nameKey,
    mailFromDomain: mailFromKey,
  } = SERVICE_CONTEXT_KEYS;
  const zone = parseHostedZone(idKey, nameKey, hostedZoneId, zoneName);
  if (zone === undefined) {
    if (mailFromDomain === undefined) return undefined;
    throw invalid(mailFromKey, mailFromDomain, {
      en: `no value without '${idKey}' and '${nameKey}' (the MAIL FROM domain is then set up by hand)`,
      fr: `aucune valeur sans '${idKey}' et '${nameKey}' (le domaine MAIL FROM se configure alors à la main)`,
    });
  }
  const outside = [senderDomain, intakeMailDomain].filter((domain) => !isInZone(domain, zone.zoneName));
  if (outside.length > 0) {
    throw invalid(nameKey, zoneName, {
      en: `a zone holding the sender and intake domains (${outside.join(', ')} is not in it)`,
      fr: `une zone qui contient les domaines d’envoi et de réception (${outside.join(', ')} n’y est pas)`,
    });
  }
  const mailFrom = mailFromDomain ?? `${DEFAULT_MAIL_FROM_SUBDOMAIN}.${senderDomain}`;
  if (
    typeof mailFrom !== 'string' ||
    !DOMAIN_PATTERN.test(mailFrom) ||
    !mailFrom.endsWith(`.${senderDomain}`) ||
    mailFrom === intakeMailDomain
  ) {
    throw invalid(mailFromKey, mailFromDomain, {
      en: `a subdomain of ${senderDomain} other than the intake domain, such as bounce.${senderDomain}`,
      fr: `un sous-domaine de ${senderDomain} autre que le domaine de réception, comme bounce.${senderDomain}`,
    });
  }
  return { ...zone, mailFromDomain: mailFrom };
}

/** A hosted zone id and name, both or neither. */
function parseHostedZone(
  idKey: string,
  nameKey: string,
  hostedZoneId: unknown,
  zoneName: unknown,
): HostedZone | undefined {
  if (hostedZoneId === undefined && zoneName === undefined) return undefined;
  if (typeof hostedZoneId !== 'string' || !HOSTED_ZONE_ID_PATTERN.test(hostedZoneId)) {
    throw invalid(idKey, hostedZoneId, {
      en: `the id of a Route 53 public hosted zone such as Z0123456789ABCDEFGHIJ, given with '${nameKey}'`,
      fr: `l’identifiant d’une zone hébergée publique Route 53 comme Z0123456789ABCDEFGHIJ, donné avec '${nameKey}'`,
    });
  }
  if (typeof zoneName !== 'string' || !DOMAIN_PATTERN.test(zoneName)) {
    throw invalid(nameKey, zoneName, {
      en: `the lowercase domain name of the hosted zone '${idKey}', such as organisme.gouv.qc.ca`,
      fr: `le nom de domaine en minuscules de la zone hébergée '${idKey}', comme organisme.gouv.qc.ca`,
    });
  }
  return { hostedZoneId, zoneName };
}

/**
 * A site's domain from its certificate and zone settings (either or both): the certificate a CloudFront one
 * (us-east-1), the domain in the zone.
 */
function siteDomain(
  keys: { readonly certificate: string; readonly zoneId: string; readonly zoneName: string },
  domainName: string,
  certificateArn: unknown,
  hostedZoneId: unknown,
  zoneName: unknown,
): SiteDomain | undefined {
  const hostedZone = parseHostedZone(keys.zoneId, keys.zoneName, hostedZoneId, zoneName);
  if (hostedZone !== undefined && !isInZone(domainName, hostedZone.zoneName)) {
    throw invalid(keys.zoneName, zoneName, {
      en: `the zone holding ${domainName} (it is not in ${hostedZone.zoneName})`,
      fr: `la zone qui contient ${domainName} (il n’est pas dans ${hostedZone.zoneName})`,
    });
  }
  if (certificateArn === undefined) {
    return hostedZone === undefined ? undefined : { domainName, hostedZone };
  }
  if (typeof certificateArn !== 'string' || !CLOUDFRONT_CERTIFICATE_ARN_PATTERN.test(certificateArn)) {
    throw invalid(keys.certificate, certificateArn, {
      en: `the ARN of an ACM certificate in us-east-1 (CloudFront's region) for ${domainName}`,
      fr: `l’ARN d’un certificat ACM de us-east-1 (la région de CloudFront) pour ${domainName}`,
    });
  }
  return { domainName, certificateArn, ...(hostedZone === undefined ? {} : { hostedZone }) };
}

/**
 * The staff site's own domain: the host of `staffBaseUrl`, served over https with the given certificate, or
 * one issued in the given hosted zone.
 */
function staffSiteDomain(
  certificateArn: unknown,
  hostedZoneId: unknown,
  zoneName: unknown,
  baseUrl: URL,
): Pick<ServiceContext, 'staffSiteDomain'> {
  const {
    staffSiteCertificateArn: certificate,
    staffSiteHostedZoneId: zoneId,
    staffSiteHostedZoneName: zoneNameKey,
  } = SERVICE_CONTEXT_KEYS;
  if (certificateArn === undefined && hostedZoneId === undefined && zoneName === undefined) return {};
  if (baseUrl.protocol !== 'https:' || baseUrl.port !== '' || baseUrl.pathname !== '/') {
    throw invalid(SERVICE_CONTEXT_KEYS.staffBaseUrl, baseUrl.toString(), {
      en: `an https URL of a whole host (https://console.example/) when '${certificate}' or '${zoneId}' is given`,
      fr: `l’adresse https d’un hôte entier (https://console.example/) quand '${certificate}' ou '${zoneId}' est donné`,
    });
  }
  const domain = siteDomain(
    { certificate, zoneId, zoneName: zoneNameKey },
    baseUrl.hostname,
    certificateArn,
    hostedZoneId,
    zoneName,
  );
  return domain === undefined ? {} : { staffSiteDomain: domain };
}

/** The citizen site's own domain: its name, with a certificate, a hosted zone or both; nothing without it. */
function parseCitizenSiteDomain(
  domainName: unknown,
  certificateArn: unknown,
  hostedZoneId: unknown,
  zoneName: unknown,
): SiteDomain | undefined {
  const {
    citizenSiteDomainName: nameKey,
    citizenSiteCertificateArn: certificate,
    citizenSiteHostedZoneId: zoneId,
    citizenSiteHostedZoneName: zoneNameKey,
  } = SERVICE_CONTEXT_KEYS;
  if (domainName === undefined) {
    const orphan = (
      [
        [certificate, certificateArn],
        [zoneId, hostedZoneId],
        [zoneNameKey, zoneName],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (orphan === undefined) return undefined;
    throw invalid(orphan[0], orphan[1], {
      en: `no value without '${nameKey}' (the domain the certificate and zone are for)`,
      fr: `aucune valeur sans '${nameKey}' (le domaine auquel servent le certificat et la zone)`,
    });
  }
  if (typeof domainName !== 'string' || !DOMAIN_PATTERN.test(domainName)) {
    throw invalid(nameKey, domainName, {
      en: 'a lowercase domain name such as demandes.organisme.gouv.qc.ca',
      fr: 'un nom de domaine en minuscules comme demandes.organisme.gouv.qc.ca',
    });
  }
  const domain = siteDomain(
    { certificate, zoneId, zoneName: zoneNameKey },
    domainName,
    certificateArn,
    hostedZoneId,
    zoneName,
  );
  if (domain !== undefined) return domain;
  throw invalid(nameKey, domainName, {
    en: `a domain given with '${certificate}' (an ACM certificate in us-east-1), or '${zoneId}' and '${zoneNameKey}' (a Route 53 zone the stacks issue one in), or both`,
    fr: `un domaine donné avec '${certificate}' (un certificat ACM de us-east-1), ou '${zoneId}' et '${zoneNameKey}' (une zone Route 53 où les piles en émettent un), ou les deux`,
  });
}

/** Both keys or neither: a domain without its certificate (or the reverse) cannot be deployed. */
function parseCitizenApiDomain(
  domainName: unknown,
  certificateArn: unknown,
): ServiceContext['citizenApiDomain'] {
  const { citizenApiDomainName: nameKey, citizenApiCertificateArn: certificateKey } = SERVICE_CONTEXT_KEYS;
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (typeof domainName !== 'string' || !DOMAIN_PATTERN.test(domainName)) {
    throw invalid(nameKey, domainName, {
      en: `a lowercase domain name such as api.demandes.organisme.gouv.qc.ca, given with '${certificateKey}'`,
      fr: `un nom de domaine en minuscules comme api.demandes.organisme.gouv.qc.ca, donné avec '${certificateKey}'`,
    });
  }
  if (typeof certificateArn !== 'string' || !CERTIFICATE_ARN_PATTERN.test(certificateArn)) {
    throw invalid(certificateKey, certificateArn, {
      en: `the ARN of an ACM certificate for '${nameKey}', in the stacks' region`,
      fr: `l’ARN d’un certificat ACM pour '${nameKey}', dans la région des piles`,
    });
  }
  return { domainName, certificateArn };
}
