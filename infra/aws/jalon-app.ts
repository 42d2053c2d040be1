import { Annotations, Tags, Validations, type App } from 'aws-cdk-lib';
import type { ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readBackupSettings } from './backup-settings';
import { readLedgerMirrorRetentionYears } from './ledger-mirror-settings';
import { readDeploymentContext, retainsData, type Stage } from './deployment-context';
import {
  citizenSiteSources,
  functionEntry,
  type FunctionEntry,
  type StaffSiteSources,
} from './function-entries';
import { readServiceContext, type ServiceContext } from './service-context';
import { CitizenIntakeStack } from './stacks/citizen-intake-stack';
import { CitizenWafStack, CLOUDFRONT_WAF_REGION } from './stacks/citizen-waf-stack';
import { DashboardStack } from './stacks/dashboard-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeCertificateStack } from './stacks/edge-certificate-stack';
import { issuesCertificate, type EdgeSite, type IssuedSiteDomain } from './constructs/site-domain';
import { EmailIntakeStack } from './stacks/email-intake-stack';
import { OpsStack } from './stacks/ops-stack';
import { StaffApiStack } from './stacks/staff-api-stack';
import { StaffWafStack } from './stacks/staff-waf-stack';
import { WorkflowStack } from './stacks/workflow-stack';

export interface JalonStacks {
  readonly stage: Stage;
  readonly service: ServiceContext;
  readonly data: DataStack;
  readonly ops: OpsStack;
  readonly workflow: WorkflowStack;
  readonly staffApi: StaffApiStack;
  readonly staffWaf: StaffWafStack;
  readonly citizenWaf: CitizenWafStack;
  readonly citizenIntake: CitizenIntakeStack;
  readonly emailIntake: EmailIntakeStack;
  readonly dashboard: DashboardStack;
  /** Only when a site's certificate is issued by the stacks (a hosted zone given, no certificate). */
  readonly edgeCertificates?: EdgeCertificateStack;
}

/** What the app builds from the repository's files; tests may substitute them. */
export interface JalonAppSources {
  readonly formIntake?: FunctionEntry;
  readonly emailIntake?: FunctionEntry;
  readonly citizenSite?: readonly ISource[];
  readonly staffSite?: StaffSiteSources;
}

/** Tags every Jalon resource and stack carries: cost allocation and access reviews filter on them. */
export function jalonTags(stage: Stage): Readonly<Record<string, string>> {
  return { application: 'jalon', stage };
}

/**
 * Adds every Jalon stack of one stage to `app`, tags everything, and registers the cdk-nag AWS Solutions
 * checks. Separate from `app.ts` so that tests build exactly what `cdk synth` builds.
 *
 * Stacks, in deployment order: `JalonData` (tables, letters bucket, data key) and `JalonOps` (alerts topic, key of the topic
 * and the log groups), then `JalonWorkflow` (case-lifecycle state machine and its task Lambda), then
 * `JalonCitizenIntake` (citizen site on CloudFront, citizen HTTP API, form-intake Lambda) and
 * `JalonEmailIntake` (SES receipt rule, raw-mail and attachments buckets, email-intake Lambda), which start the
 * workflow of the cases they register and so deploy after it, then `JalonStaffApi` (staff user pool, HTTP API,
 * staff-api Lambda, and the staff site on its own CloudFront distribution), which also starts workflows and
 * reads the mail storage the email stack names in SSM parameters for holding-pen triage, and last
 * `JalonDashboard` (the stage's CloudWatch dashboard, which reads metrics of all of them). `JalonCitizenWaf`
 * and `JalonStaffWaf` hold the citizen and staff web ACLs in us-east-1 (CloudFront's WAF region) and deploy
 * before `JalonCitizenIntake` and `JalonStaffApi`; so does `JalonEdgeCertificates` (us-east-1), only when a
 * site's domain comes with a hosted zone and no certificate. A function whose handler module is not in the repository yet is deployed as a
 * fail-closed placeholder, with a note in the synth output (see `functionEntry`).
 *
 * cdk-nag 3 is a policy-validation plugin, not an Aspect: it runs during synthesis, and any finding (error or
 * warning) not acknowledged with `Validations.of(construct).acknowledge({ id, reason })` fails the synth.
 * Acknowledgements are also written into the template metadata (`cdk_nag`) so that an auditor reading the
 * deployed template sees each one with its reason.
 *
 * @throws InvalidDeploymentContextError when the stage, account or region context is invalid, or when a
 *   service setting (sender, staff site, staff directory, sign-in domain, intake mail domain) is malformed or,
 *   outside dev, missing.
 */
export function addJalonStacks(app: App, sources: JalonAppSources = {}): JalonStacks {
  const { stage, env } = readDeploymentContext(app.node);
  const service = readServiceContext(app.node, stage);
  const tags = jalonTags(stage);
  // With @aws-cdk/core:explicitStackTags, Tags.of() no longer reaches the stack itself.
  const common = { env, tags };

  const data = new DataStack(app, 'JalonData', {
    ...common,
    stage,
    backup: readBackupSettings(app.node, stage),
    ledgerMirrorRetentionYears: readLedgerMirrorRetentionYears(app.node, stage),
    stackName: `jalon-${stage}-data`,
    description: `Jalon ${stage}: case, ledger and control tables, letters bucket and their KMS key.`,
    // Outside dev the stack cannot be deleted by mistake; its tables, bucket and key are retained anyway.
    terminationProtection: retainsData(stage),
  });

  const ops = new OpsStack(app, 'JalonOps', {
    ...common,
    stage,
    ...(service.opsAlertEmail ? { alertEmail: service.opsAlertEmail } : {}),
    stackName: `jalon-${stage}-ops`,
    description: `Jalon ${stage}: ops alerts topic and the key of the topic and log groups.`,
    terminationProtection: retainsData(stage),
  });

  const workflow = new WorkflowStack(app, 'JalonWorkflow', {
    ...common,
    stage,
    data,
    ops,
    service,
    stackName: `jalon-${stage}-workflow`,
    description: `Jalon ${stage}: case-lifecycle state machine, its task Lambda and their alarms.`,
    terminationProtection: retainsData(stage),
  });

  const citizenWaf = new CitizenWafStack(app, 'JalonCitizenWaf', {
    // CLOUDFRONT-scope web ACLs exist in us-east-1 only; the account follows the context when given.
    env: { ...(env.account ? { account: env.account } : {}), region: CLOUDFRONT_WAF_REGION },
    tags,
    stage,
    stackName: `jalon-${stage}-citizen-waf`,
    description: `Jalon ${stage}: WAF web ACL of the citizen CloudFront distribution (us-east-1).`,
    terminationProtection: retainsData(stage),
  });

  const edgeCertificates = addEdgeCertificates(app, { stage, service, tags, account: env.account });

  const formIntake = sources.formIntake ?? functionEntry('form-intake');
  const citizenIntake = new CitizenIntakeStack(app, 'JalonCitizenIntake', {
    ...common,
    stage,
    data,
    ops,
    workflow,
    waf: citizenWaf,
    service,
    formIntakeEntry: formIntake.entry,
    siteSources: sources.citizenSite ?? citizenSiteSources(),
    stackName: `jalon-${stage}-citizen-intake`,
    description: `Jalon ${stage}: citizen site (CloudFront), citizen HTTP API and the form-intake Lambda.`,
    terminationProtection: retainsData(stage),
  });
  notePlaceholder(citizenIntake, 'form-intake', formIntake);

  const emailIntakeEntry = sources.emailIntake ?? functionEntry('email-intake');
  const emailIntake = new EmailIntakeStack(app, 'JalonEmailIntake', {
    ...common,
    stage,
    data,
    ops,
    workflow,
    service,
    emailIntakeEntry: emailIntakeEntry.entry,
    stackName: `jalon-${stage}-email-intake`,
    description: `Jalon ${stage}: SES receipt rule, raw-mail and attachments buckets, email-intake Lambda.`,
    // The raw-mail and attachments buckets are evidence.
    terminationProtection: retainsData(stage),
  });
  notePlaceholder(emailIntake, 'email-intake', emailIntakeEntry);

  const staffWaf = new StaffWafStack(app, 'JalonStaffWaf', {
    env: { ...(env.account ? { account: env.account } : {}), region: CLOUDFRONT_WAF_REGION },
    tags,
    stage,
    stackName: `jalon-${stage}-staff-waf`,
    description: `Jalon ${stage}: WAF web ACL of the staff CloudFront distribution (us-east-1).`,
    terminationProtection: retainsData(stage),
  });

  const staffApi = new StaffApiStack(app, 'JalonStaffApi', {
    ...common,
    stage,
    data,
    ops,
    workflow,
    service,
    emailIntake,
    waf: staffWaf,
    ...(sources.staffSite !== undefined ? { staffSite: sources.staffSite } : {}),
    stackName: `jalon-${stage}-staff-api`,
    description: `Jalon ${stage}: staff user pool, staff HTTP API and its Lambdas, staff site (CloudFront).`,
    // The user pool holds every staff account.
    terminationProtection: retainsData(stage),
  });

  if (edgeCertificates?.certificates.citizen !== undefined) {
    citizenIntake.addStackDependency(edgeCertificates, 'the citizen distribution reads its certificate ARN');
  }
  if (edgeCertificates?.certificates.staff !== undefined) {
    staffApi.addStackDependency(edgeCertificates, 'the staff distribution reads its certificate ARN');
  }

  const dashboard = new DashboardStack(app, 'JalonDashboard', {
    ...common,
    stage,
    workflow,
    citizenIntake,
    emailIntake,
    staffApi,
    stackName: `jalon-${stage}-dashboard`,
    description: `Jalon ${stage}: the operations dashboard of the stage (CloudWatch).`,
  });

  // In the template too (not only propagated by CloudFormation), so the tests and cdk diff can see them.
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));

  return {
    stage,
    service,
    data,
    ops,
    workflow,
    staffApi,
    staffWaf,
    citizenWaf,
    citizenIntake,
    emailIntake,
    dashboard,
    ...(edgeCertificates === undefined ? {} : { edgeCertificates }),
  };
}

/**
 * `JalonEdgeCertificates` (us-east-1), when a site's domain comes with a hosted zone and no certificate: the
 * stacks then issue the certificate there, DNS-validated in the zone (see `EdgeCertificateStack`).
 */
function addEdgeCertificates(
  app: App,
  props: {
    readonly stage: Stage;
    readonly service: ServiceContext;
    readonly tags: Readonly<Record<string, string>>;
    readonly account: string | undefined;
  },
): EdgeCertificateStack | undefined {
  const { stage, service } = props;
  const candidates: [EdgeSite, ServiceContext['citizenSiteDomain']][] = [
    ['citizen', service.citizenSiteDomain],
    ['staff', service.staffSiteDomain],
  ];
  const sites: Partial<Record<EdgeSite, IssuedSiteDomain>> = {};
  for (const [site, domain] of candidates) if (issuesCertificate(domain)) sites[site] = domain;
  if (Object.keys(sites).length === 0) return undefined;
  return new EdgeCertificateStack(app, 'JalonEdgeCertificates', {
    env: { ...(props.account ? { account: props.account } : {}), region: CLOUDFRONT_WAF_REGION },
    tags: props.tags,
    stage,
    sites,
    stackName: `jalon-${stage}-edge-certificates`,
    description: `Jalon ${stage}: ACM certificates of the CloudFront sites' own domains (us-east-1).`,
    terminationProtection: retainsData(stage),
  });
}

function notePlaceholder(stack: CitizenIntakeStack | EmailIntakeStack, name: string, entry: FunctionEntry) {
  if (entry.present) return;
  // Info, not warning: warnings fail the synth, and the stacks must synthesize before every handler exists.
  Annotations.of(stack).addInfo(
    `functions/${name}/index.ts does not exist yet: the ${name} Lambda is a placeholder that fails every ` +
      'invocation. Do not deploy this stack until the handler is written.',
  );
}
