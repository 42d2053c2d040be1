import * as path from 'node:path';
import { ArnFormat, CfnOutput, Duration, Fn, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { AuditApiEnv } from '../../../shared/schemas/audit-api';
import type { HoldingApiEnv } from '../../../shared/schemas/holding-api';
import type { StaffApiEnv } from '../../../shared/schemas/staff-api';
import { AUDIT_API_ROUTES } from '../../../functions/audit-api/routes';
import { deployedRoutes } from '../../../shared/http/routes';
import { HOLDING_API_ROUTES } from '../../../functions/holding-api/routes';
import { cognitoAuthConfig, staffAuthUrls } from '../../../web/staff/auth-config';
import { webAclArnReader } from '../constructs/web-acl-arn-reader';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { stateMachineArn } from '../constructs/case-lifecycle';
import { siteDistributionDomain, type DistributionDomain } from '../constructs/site-domain';
import { StaffDistribution } from '../constructs/staff-distribution';
import { functionEntry, staffSiteSources, type StaffSiteSources } from '../function-entries';
import { JalonFunction } from '../constructs/jalon-function';
import {
  grantOriginVerify,
  originVerifyEnvironment,
  originVerifySecret,
  secretsExtension,
} from '../constructs/origin-verify-secret';
import { grantLetterAccess, lettersBucketOf } from '../constructs/letters-access';
import { ReportAggregates } from '../constructs/report-aggregates';
import { ExecutionArchive, executionsArnOf } from '../constructs/execution-archive';
import {
  grantMirrorObjects,
  LedgerMirror,
  ledgerMirrorBucketName,
  ledgerMirrorBucketOf,
} from '../constructs/ledger-mirror';
import { EXECUTION_ARCHIVE_PREFIX } from '../../../shared/domain/audit/execution-archive';
import { ReportReplay } from '../constructs/report-replay';
import { LedgerMirrorBackfill } from '../constructs/ledger-mirror-backfill';
import { LedgerVerification } from '../constructs/ledger-verification';
import { ReportReplayStarts } from '../constructs/report-replay-starts';
import { StaffHttpApi } from '../constructs/staff-http-api';
import { StaffUserPool } from '../constructs/staff-user-pool';
import { grantLedgerAppend } from '../constructs/ledger-access';
import { grantStaffDirectoryRead } from '../constructs/staff-directory-access';
import { tablesOf } from '../constructs/table-access';
import { retainsData, type Stage } from '../deployment-context';
import {
  acknowledgeAuditExecutionReads,
  acknowledgeJobExecutionReads,
  acknowledgeFunctionTracing,
  acknowledgeAttachmentDownloads,
  acknowledgeHoldingTriageAccess,
  acknowledgeLedgerMirrorAccess,
  acknowledgeTableAccess,
} from '../nag-acknowledgements';
import { jalonLogGroup, jalonLogGroupName, logRetention, stateMachineLogGroupPrefix } from '../observability';
import type { ServiceContext } from '../service-context';
import { mailConfigurationSetArn, mailConfigurationSetName } from '../constructs/mail-events';
import { sesIdentityArns } from '../ses-identity';
import type { DataStack } from './data-stack';
import { mailStorageParameterNames, RAW_MAIL_PREFIX, type EmailIntakeStack } from './email-intake-stack';
import type { OpsStack } from './ops-stack';
import { staffWebAclArnParameterName, type StaffWafStack } from './staff-waf-stack';
import type { WorkflowStack } from './workflow-stack';
import { PDF_RENDERER_PACKAGE } from '../../../shared/adapters/pdf/pdfkit-letter-renderer';
import { CASE_INDEXES, REPORT_INDEXES } from '../../../shared/adapters/dynamodb/table-definitions';

export interface StaffApiStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly ops: OpsStack;
  /** Staff intake starts the case-lifecycle workflow of each case it registers. */
  readonly workflow: WorkflowStack;
  readonly service: ServiceContext;
  /**
   * Holding-pen triage reads held messages and stores their attachments: the email stack publishes its bucket
   * names and mail key ARN as SSM parameters (`mailStorageParameterNames`), and this stack deploys after it.
   */
  readonly emailIntake: EmailIntakeStack;
  /** The web ACL (us-east-1) the staff distribution is protected by. */
  readonly waf: StaffWafStack;
  /** The staff site's files for a sign-in configuration (default `staffSiteSources`); empty uploads nothing. */
  readonly staffSite?: StaffSiteSources;
}

/**
 * The email stack's mail storage as the staff stack sees it. Handed over by SSM parameters (read at deploy
 * time) rather than construct references: a cross-stack reference only becomes a template value when the app
 * is synthesized, after the cdk-nag acknowledgements of the wildcard object ARNs are written, so these could
 * not name the resources they accept; a parameter reference is fixed when the statement is built. The email
 * stack only publishes names; it never names the staff role (every grant is on the role, principal side, the
 * key policy delegating to IAM), so no dependency cycle can form. The buckets are retained evidence whose
 * names never change, so a value read at deploy time cannot go stale.
 */
interface StaffMailAccess {
  readonly rawMail: s3.IBucket;
  readonly attachments: s3.IBucket;
  readonly mailKeyArn: string;
}

/**
 * What staff use: the Cognito user pool of staff accounts (roles as groups) and the JWT-authorized HTTP API
 * in front of the staff-api Lambda (list and read cases, acknowledge, answer, extend, reassign, close, and
 * register what staff received by mail, phone or in person).
 * Staff commands only write the ledger and mail the requester; the workflow notices them at its next
 * checkpoint. Staff intake also allocates the case reference (control table) and starts the case's
 * execution, by the state machine's fixed-name ARN: no cross-stack output, only a deployment-order
 * dependency on the workflow stack. Holding-pen triage reads held messages from the raw-mail bucket and keeps
 * their attachments, with the mail storage the email stack names in SSM parameters (see `StaffMailAccess`).
 *
 * The staff and auditor pages are served by a CloudFront distribution of their own (`StaffDistribution`,
 * `docs/staff-console-in-aws.md`), which also sends `/api/staff/*` and `/api/audit/*` to the HTTP API; the
 * pages sign in through the user pool's hosted UI (authorization code + PKCE) with the staff pages client,
 * whose callback and sign-out addresses are the distribution's pages. The distribution's web ACL
 * (`StaffWafStack`, us-east-1) is read from SSM at deploy time, as the citizen stack reads its own.
 */
export class StaffApiStack extends Stack {
  public readonly staffUserPool: StaffUserPool;
  public readonly staffApiFunction: JalonFunction;
  public readonly staffHttpApi: StaffHttpApi;
  public readonly auditApiFunction: JalonFunction;
  /** The full replay of the ledger against the report aggregates (state machine and step Lambda). */
  public readonly reportReplay: ReportReplay;
  /** The ledger verification job and the daily signed digest (`docs/ledger-verification.md`). */
  public readonly ledgerVerification: LedgerVerification;
  /** The report aggregates' stream consumer and its failure queue (stream positions only). */
  public readonly reportAggregates: ReportAggregates;
  /** The ledger stream's consumer that copies every event into the mirror bucket. */
  public readonly ledgerMirror: LedgerMirror;
  /** The closed case-lifecycle executions' histories, copied into the mirror bucket. */
  public readonly executionArchive: ExecutionArchive;
  /** The one-off back-fill of the mirror bucket: events and closed executions from before the mirror. */
  public readonly ledgerMirrorBackfill: LedgerMirrorBackfill;
  /** The replay started after a deployment and after the stream consumer's failures. */
  public readonly reportReplayStarts: ReportReplayStarts;
  /** Holding-pen triage (`/api/staff/holding…`): a function of its own, the only one that parses MIME. */
  public readonly holdingApiFunction: JalonFunction;
  public readonly staffSite: StaffDistribution;
  /**
   * The value of the `x-origin-verify` header the staff distribution sends to the staff HTTP API; the staff,
   * holding-pen and audit Lambdas refuse a request without it (`jwtApiHandler`): no way around the staff WAF.
   */
  public readonly originVerifySecret: secretsmanager.Secret;
  public readonly logBucket: AccessLogBucket;
  /** `https://<distribution domain>/`: where the staff and auditor pages are served. */
  public readonly staffSiteUrl: string;

  constructor(scope: Construct, id: string, props: StaffApiStackProps) {
    super(scope, id, props);
    const { stage, data, ops, workflow, service } = props;
    const tables = tablesOf(this, stage, data);
    this.addStackDependency(workflow, 'staff intake starts executions of the case-lifecycle state machine');
    const caseLifecycleArn = stateMachineArn(this, workflow.stateMachineName);
    this.addStackDependency(
      props.emailIntake,
      'holding-pen triage reads the mail storage the email stack names',
    );
    const mail = this.mailAccess(stage);
    const letters = lettersBucketOf(this, stage, data);

    this.addStackDependency(props.waf, 'the staff distribution is protected by the staff web ACL');
    this.originVerifySecret = originVerifySecret(this, 'StaffOriginVerifySecret', {
      description: `Jalon ${stage}: value of the origin-verify header CloudFront sends to the staff API.`,
    });

    // The pages' own addresses are on the distribution, which needs the API, whose authorizer needs the
    // client: the client's redirect lists are filled once the distribution exists (a deploy-time value).
    const site: { authUrls?: ReturnType<typeof staffAuthUrls> } = {};
    const allowed = (kind: 'callbackUrls' | 'logoutUrls', configured: readonly string[]) =>
      Lazy.list({
        produce: () => {
          if (site.authUrls === undefined) throw new Error('The staff distribution was not built.');
          return [...new Set([...site.authUrls[kind], ...configured])];
        },
      });
    this.staffUserPool = new StaffUserPool(this, 'StaffUserPool', {
      userPoolName: `jalon-${stage}-staff`,
      domainPrefix: service.authDomainPrefix,
      callbackUrls: allowed('callbackUrls', service.staffCallbackUrls),
      logoutUrls: allowed('logoutUrls', service.staffLogoutUrls),
      retain: retainsData(stage),
    });

    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      CONTROL_TABLE_NAME: tables.control.tableName,
      STATE_MACHINE_ARN: caseLifecycleArn,
      SENDER_ADDRESS: service.senderAddress,
      SES_CONFIGURATION_SET: mailConfigurationSetName(stage),
      INTAKE_MAIL_DOMAIN: service.intakeMailDomain,
      ATTACHMENTS_BUCKET_NAME: mail.attachments.bucketName,
      LETTERS_BUCKET_NAME: letters.bucketName,
      STAFF_TABLE_NAME: tables.staff.tableName,
      ...originVerifyEnvironment(this.originVerifySecret),
    } satisfies Partial<Record<keyof StaffApiEnv, string>>;

    this.staffApiFunction = new JalonFunction(this, 'StaffApi', {
      functionName: `jalon-${stage}-staff-api`,
      description: `Jalon ${stage}: staff API (case lists, case details, staff commands).`,
      entry: path.join(__dirname, '..', '..', '..', 'functions', 'staff-api', 'index.ts'),
      environment,
      memorySize: 512,
      // Under the HTTP API's 30 s integration limit, so the client gets the function's own error.
      timeout: Duration.seconds(10),
      logGroupName: jalonLogGroupName(stage, 'lambda/staff-api'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
      // Letters are rendered with pdfkit, which must be installed beside the bundle (`docs/letters.md`).
      nodeModules: [PDF_RENDERER_PACKAGE],
      paramsAndSecrets: secretsExtension(),
    });
    const staffFunction = this.staffApiFunction.function;
    grantOriginVerify(this.originVerifySecret, this.staffApiFunction);

    // The tables its environment names: cases, the ledger (append only), control for the reference counters
    // of intake and the cases' reply addresses.
    const usedTables = [tables.cases, tables.control];
    for (const { table } of usedTables) table.grantReadWriteData(staffFunction);
    grantLedgerAppend(staffFunction, tables.ledger.table);
    // Notification addresses, who a case may be assigned to, display names: the staff directory, read only.
    grantStaffDirectoryRead(staffFunction, tables.staff.table);
    staffFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartCaseWorkflow',
        actions: ['states:StartExecution'],
        resources: [caseLifecycleArn],
      }),
    );
    staffFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendAsTheOrganization',
        actions: ['ses:SendEmail'],
        resources: [...sesIdentityArns(this, service), mailConfigurationSetArn(this, stage)],
      }),
    );
    this.grantAttachmentDownloads(staffFunction, mail);
    // Staff letters (acknowledge, answer, extend) are written here and every letter is served from here.
    grantLetterAccess(this.staffApiFunction, letters, 'read-write');
    acknowledgeTableAccess(this.staffApiFunction.role, usedTables);
    acknowledgeFunctionTracing(this.staffApiFunction.role);
    acknowledgeAttachmentDownloads(this.staffApiFunction.role, mail.attachments);

    this.staffHttpApi = new StaffHttpApi(this, 'StaffHttpApi', {
      apiName: `jalon-${stage}-staff-api`,
      handler: staffFunction,
      userPool: this.staffUserPool.userPool,
      userPoolClients: [this.staffUserPool.staffPagesClient],
      allowedOrigin: service.staffOrigin,
      accessLogGroupName: jalonLogGroupName(stage, 'http-api/staff-access'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
    });

    // The full replay of the ledger against the report aggregates, which the audit API starts and reads.
    this.reportReplay = new ReportReplay(this, 'ReportReplay', {
      stage,
      entry: functionEntry('report-replay').entry,
      tables: { cases: data.tables.cases, ledger: data.tables.ledger, reports: data.tables.reports },
      dataKey: data.dataKey,
      functionLogGroupName: jalonLogGroupName(stage, 'lambda/report-replay'),
      stateMachineLogGroupName: `${stateMachineLogGroupPrefix(stage)}report-replay`,
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retainLogs: retainsData(stage),
    });
    this.ledgerVerification = new LedgerVerification(this, 'LedgerVerification', {
      stage,
      entries: {
        verification: functionEntry('ledger-verification').entry,
        digest: functionEntry('ledger-digest').entry,
      },
      tables: { cases: data.tables.cases, ledger: data.tables.ledger, reports: data.tables.reports },
      dataKey: data.dataKey,
      // The mirror bucket (Object Lock, compliance mode) by its name: the stream consumer's stack owns it.
      mirrorBucket: s3.Bucket.fromBucketName(
        this,
        'LedgerMirrorBucket',
        ledgerMirrorBucketName(stage, this.account, this.region),
      ),
      logGroupNames: {
        verification: jalonLogGroupName(stage, 'lambda/ledger-verification'),
        digest: jalonLogGroupName(stage, 'lambda/ledger-digest'),
        stateMachine: `${stateMachineLogGroupPrefix(stage)}ledger-verification`,
      },
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retain: retainsData(stage),
    });
    this.auditApiFunction = this.addAuditApi(
      props,
      tables,
      caseLifecycleArn,
      this.reportReplay,
      this.ledgerVerification,
    );
    this.holdingApiFunction = this.addHoldingApi(props, tables, caseLifecycleArn, mail);
    // The report aggregates, kept from the ledger stream beside the audit API that will read them.
    this.reportAggregates = new ReportAggregates(this, 'ReportAggregates', {
      stage,
      entry: functionEntry('report-aggregates').entry,
      tables: { cases: data.tables.cases, ledger: data.tables.ledger, reports: data.tables.reports },
      dataKey: data.dataKey,
      logGroupName: jalonLogGroupName(stage, 'lambda/report-aggregates'),
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retainLogs: retainsData(stage),
    });
    // The WORM copy of every ledger event, the stream's second consumer (`docs/ledger-mirror.md`).
    this.ledgerMirror = new LedgerMirror(this, 'LedgerMirror', {
      stage,
      entry: functionEntry('ledger-mirror').entry,
      ledger: data.tables.ledger,
      dataKey: data.dataKey,
      logGroupName: jalonLogGroupName(stage, 'lambda/ledger-mirror'),
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retainLogs: retainsData(stage),
    });
    this.executionArchive = new ExecutionArchive(this, 'ExecutionArchive', {
      stage,
      entry: functionEntry('execution-archive').entry,
      stateMachineArn: caseLifecycleArn,
      stateMachineName: props.workflow.stateMachineName,
      dataKey: data.dataKey,
      logGroupName: jalonLogGroupName(stage, 'lambda/execution-archive'),
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retainLogs: retainsData(stage),
    });
    this.ledgerMirrorBackfill = new LedgerMirrorBackfill(this, 'LedgerMirrorBackfill', {
      stage,
      entry: functionEntry('ledger-mirror-backfill').entry,
      tables: { ledger: data.tables.ledger, reports: data.tables.reports },
      dataKey: data.dataKey,
      caseLifecycle: { arn: caseLifecycleArn, name: props.workflow.stateMachineName },
      logGroupNames: {
        task: jalonLogGroupName(stage, 'lambda/ledger-mirror-backfill'),
        stateMachine: `${stateMachineLogGroupPrefix(stage)}ledger-mirror-backfill`,
      },
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retain: retainsData(stage),
    });
    props.ops.alarm(this, 'ExecutionArchiveDeadLetters', {
      description:
        'A closed case-lifecycle execution could not be archived for a day (see the execution-archive logs; ' +
        'the event is in its dead-letter queue): archive it before Step Functions forgets it, 90 days after ' +
        'it closed, or its steps leave the audit timeline.',
      metric: this.executionArchive.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    });
    props.ops.alarm(this, 'LedgerMirrorFailures', {
      description:
        'Ledger events could not be copied into the WORM mirror after the stream retries (see the ' +
        'ledger-mirror logs and its failures queue, which holds their stream positions): until they are ' +
        'mirrored again, an edit of those events could go unnoticed.',
      metric: this.ledgerMirror.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    });
    props.ops.alarm(this, 'LedgerItemTampered', {
      description:
        'A ledger item was changed or deleted after it was written (the ledger is append-only): the ledger ' +
        'mirror kept a tamper record under ledger-conflicts/ in its bucket (case id and seq in the ' +
        'ledger-mirror logs). Treat it as an incident: the mirror holds the event as first written.',
      metric: this.ledgerMirror.metricTampered(Duration.minutes(5)),
    });
    // A replay after each deployment that changes the aggregates' code, and after the stream's failures.
    this.reportReplayStarts = new ReportReplayStarts(this, 'ReportReplayStarts', {
      stage,
      entry: functionEntry('report-replay-start').entry,
      replay: this.reportReplay,
      aggregates: this.reportAggregates,
      logGroupName: jalonLogGroupName(stage, 'lambda/report-replay-start'),
      logRetention: logRetention(stage),
      logKey: props.ops.opsKey,
      retainLogs: retainsData(stage),
    });

    this.logBucket = new AccessLogBucket(this, 'AccessLogs', {
      expireAfter: Duration.days(logRetention(stage)),
      retain: retainsData(stage),
    });
    const signInOrigin = this.staffUserPool.domain.baseUrl();
    const clientId = this.staffUserPool.staffPagesClient.userPoolClientId;
    const sources = props.staffSite ?? staffSiteSources;
    this.staffSite = new StaffDistribution(this, 'StaffSite', {
      // `https://<api-id>.execute-api.<region>.amazonaws.com` → the host name.
      apiDomainName: Fn.select(2, Fn.split('/', this.staffHttpApi.httpApi.apiEndpoint)),
      originVerifySecret: this.originVerifySecret,
      signInOrigin,
      webAclArn: this.staffWebAclArn(stage, ops),
      ...this.siteDomain(stage, ops, service),
      logBucket: this.logBucket.bucket,
      siteSources: (distribution) => {
        const siteUrl = this.siteUrlOf(distribution, service);
        return sources((language) =>
          cognitoAuthConfig({ domain: signInOrigin, clientId, siteUrl }, language),
        );
      },
      deploymentLogGroup: jalonLogGroup(this, 'StaffSiteDeploymentLogs', {
        stage,
        suffix: 'lambda/staff-site-deployment',
        key: ops.opsKey,
        retain: retainsData(stage),
      }),
      retain: retainsData(stage),
    });
    this.staffSiteUrl = this.siteUrlOf(this.staffSite.distribution, service);
    site.authUrls = staffAuthUrls(this.staffSiteUrl);

    this.addAlarms(ops);

    new CfnOutput(this, 'StaffApiEndpoint', { value: this.staffHttpApi.httpApi.apiEndpoint });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.staffUserPool.userPool.userPoolId });
    new CfnOutput(this, 'StaffPagesClientId', {
      value: this.staffUserPool.staffPagesClient.userPoolClientId,
    });
    new CfnOutput(this, 'StaffSignInDomain', { value: this.staffUserPool.domain.baseUrl() });
    new CfnOutput(this, 'StaffSiteUrl', { value: this.staffSiteUrl });
    new CfnOutput(this, 'LedgerMirrorBackfillStateMachineArn', {
      description: 'npx jalon ledger backfill --state-machine <this> (docs/deploy.md, step 11).',
      value: this.ledgerMirrorBackfill.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'LedgerMirrorBackfillOperatorPolicyArn', {
      description:
        'Attach to the role or group of the operator who runs the back-fill (docs/deploy.md, step 11).',
      value: this.ledgerMirrorBackfill.operatorPolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'StaffSiteDistributionDomain', {
      description: 'The target of a CNAME of the staff domain made by hand (without a hosted zone).',
      value: this.staffSite.distribution.distributionDomainName,
    });
  }

  /** Where the pages are served: `staffBaseUrl` when the site has that domain, else the distribution's address. */
  private siteUrlOf(
    distribution: { readonly distributionDomainName: string },
    service: ServiceContext,
  ): string {
    return service.staffSiteDomain !== undefined
      ? service.staffBaseUrl
      : `https://${distribution.distributionDomainName}/`;
  }

  /** The staff site's domain and certificate, when it has one (see `siteDistributionDomain`). */
  private siteDomain(
    stage: Stage,
    ops: OpsStack,
    service: ServiceContext,
  ): { customDomain?: DistributionDomain } {
    const customDomain = siteDistributionDomain(this, {
      stage,
      site: 'staff',
      domain: service.staffSiteDomain,
      // The stack's parameter readers share one provider, which logs where the web ACL reader's says.
      readerLogs: {
        id: 'StaffWebAclReaderLogs',
        logGroup: {
          stage,
          suffix: 'lambda/staff-web-acl-reader',
          key: ops.opsKey,
          retain: retainsData(stage),
        },
      },
    });
    return customDomain === undefined ? {} : { customDomain };
  }

  /**
   * The staff web ACL's ARN, read at deploy time from its SSM parameter in us-east-1 (see `StaffWafStack`);
   * replacing the web ACL therefore needs this stack updated afterwards.
   */
  private staffWebAclArn(stage: Stage, ops: OpsStack): string {
    const parameterName = staffWebAclArnParameterName(stage);
    const reader = webAclArnReader(this, 'StaffWebAclArnReader', {
      parameterName,
      logGroupId: 'StaffWebAclReaderLogs',
      logGroup: { stage, suffix: 'lambda/staff-web-acl-reader', key: ops.opsKey, retain: retainsData(stage) },
    });
    return reader.getResponseField('Parameter.Value');
  }

  /** The raw-mail and attachments buckets and the mail key, from the parameters the email stack publishes. */
  private mailAccess(stage: Stage): StaffMailAccess {
    const names = mailStorageParameterNames(stage);
    const read = (name: string) => ssm.StringParameter.valueForStringParameter(this, name);
    return {
      rawMail: s3.Bucket.fromBucketName(this, 'RawMailBucket', read(names.rawMailBucketName)),
      attachments: s3.Bucket.fromBucketName(this, 'AttachmentsBucket', read(names.attachmentsBucketName)),
      mailKeyArn: read(names.mailKeyArn),
    };
  }

  /**
   * What holding-pen triage does with the mail storage, and nothing more: `GetObject` of a held message under
   * `RAW_MAIL_PREFIX` (never a version, a write or a delete: the raw mail is evidence); `HeadObject` then
   * `PutObject` of the attachments it keeps for a case (`HeadObject` needs `s3:GetObject`, and without it a
   * missing object answers 403 instead of 404); `kms:Decrypt` to read both, `kms:GenerateDataKey` for the
   * attachments' data keys, on the mail key only. Explicit statements on the role rather than `grantRead` /
   * `grantPut` (which add `s3:GetBucket*`, `s3:List*`, `s3:PutObjectRetention`) or `key.grantDecrypt` (which
   * would edit the key policy in the email stack and make it depend on this one).
   */
  private grantHoldingTriage(fn: iam.IGrantable, mail: StaffMailAccess): void {
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadHeldRawMail',
        actions: ['s3:GetObject'],
        resources: [mail.rawMail.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'KeepHeldAttachments',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [mail.attachments.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'UseMailKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [mail.mailKeyArn],
      }),
    ];
    for (const statement of statements) fn.grantPrincipal.addToPrincipalPolicy(statement);
  }

  /**
   * What download links need (they are signed with the staff API's role, `docs/staff-console-in-aws.md`):
   * `GetObject` of the attachments and `kms:Decrypt` on the mail key; no write, no raw mail.
   */
  private grantAttachmentDownloads(fn: iam.IGrantable, mail: StaffMailAccess): void {
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadAttachments',
        actions: ['s3:GetObject'],
        resources: [mail.attachments.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptWithMailKey',
        actions: ['kms:Decrypt'],
        resources: [mail.mailKeyArn],
      }),
    ];
    for (const statement of statements) fn.grantPrincipal.addToPrincipalPolicy(statement);
  }

  /**
   * The holding-pen API (`HOLDING_API_ROUTES`) on the staff HTTP API: a function of its own so that only it
   * bundles the MIME parser (the staff API's bundle is about 1 MiB smaller). Its role: the case tables and
   * the reference counters (a held message may become a case, which starts the workflow), the holding
   * table, and the mail storage as `grantHoldingTriage` says. No SES, no letters.
   */
  private addHoldingApi(
    props: StaffApiStackProps,
    tables: ReturnType<typeof tablesOf>,
    caseLifecycleArn: string,
    mail: StaffMailAccess,
  ): JalonFunction {
    const { stage, ops } = props;
    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      CONTROL_TABLE_NAME: tables.control.tableName,
      HOLDING_TABLE_NAME: tables.holding.tableName,
      STATE_MACHINE_ARN: caseLifecycleArn,
      RAW_MAIL_BUCKET_NAME: mail.rawMail.bucketName,
      ATTACHMENTS_BUCKET_NAME: mail.attachments.bucketName,
      STAFF_TABLE_NAME: tables.staff.tableName,
      ...originVerifyEnvironment(this.originVerifySecret),
    } satisfies Record<Exclude<keyof HoldingApiEnv, 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'>, string>;
    const holding = new JalonFunction(this, 'HoldingApi', {
      functionName: `jalon-${stage}-holding-api`,
      description: `Jalon ${stage}: holding-pen API (held email: read, attach, register, dismiss).`,
      entry: functionEntry('holding-api').entry,
      environment,
      memorySize: 512,
      // Under the HTTP API's 30 s integration limit, so the client gets the function's own error.
      timeout: Duration.seconds(10),
      logGroupName: jalonLogGroupName(stage, 'lambda/holding-api'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
      paramsAndSecrets: secretsExtension(),
    });
    const fn = holding.function;
    grantOriginVerify(this.originVerifySecret, holding);
    // The holding pen: read, and the conditional triage update (the code never deletes).
    const usedTables = [tables.cases, tables.control, tables.holding];
    for (const { table } of usedTables) table.grantReadWriteData(fn);
    grantLedgerAppend(fn, tables.ledger.table);
    // Who triaged an item, by name: the staff directory, read only.
    grantStaffDirectoryRead(fn, tables.staff.table);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartCaseWorkflow',
        actions: ['states:StartExecution'],
        resources: [caseLifecycleArn],
      }),
    );
    this.grantHoldingTriage(fn, mail);
    acknowledgeTableAccess(holding.role, usedTables);
    acknowledgeFunctionTracing(holding.role);
    acknowledgeHoldingTriageAccess(holding.role, mail.rawMail, mail.attachments);
    this.staffHttpApi.addFunctionRoutes('HoldingApi', HOLDING_API_ROUTES, fn);
    return holding;
  }

  /**
   * The auditor API (timeline of a case, whole-ledger verification) on the staff HTTP API. Its role reads the
   * ledger and case tables and the case-lifecycle executions, and writes only what a confidential read must
   * leave behind: a new ledger event (PutItem, which the ledger adapter conditions on a free seq: no update or
   * delete of ledger items) and the case projection it refreshes (UpdateItem on the cases table); it reads
   * and writes the access journal's items of the control table (keys `access-list#…` only). It reads the
   * report aggregates (the reports table and its two indexes) and starts or lists the report-replay state
   * machine's executions (that machine only), and the staff directory's members (display names). No other index
   * or table, no SES, no other StartExecution.
   */
  private addAuditApi(
    props: StaffApiStackProps,
    tables: ReturnType<typeof tablesOf>,
    caseLifecycleArn: string,
    reportReplay: ReportReplay,
    ledgerVerification: LedgerVerification,
  ): JalonFunction {
    const { stage, ops, data, workflow } = props;
    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      STATE_MACHINE_ARN: caseLifecycleArn,
      CONTROL_TABLE_NAME: tables.control.tableName,
      STAFF_TABLE_NAME: tables.staff.tableName,
      REPORTS_TABLE_NAME: tables.reports.tableName,
      REPORT_REPLAY_STATE_MACHINE_ARN: reportReplay.stateMachine.stateMachineArn,
      LEDGER_VERIFICATION_STATE_MACHINE_ARN: ledgerVerification.stateMachine.stateMachineArn,
      LEDGER_MIRROR_BUCKET: ledgerMirrorBucketName(stage, this.account, this.region),
      ...originVerifyEnvironment(this.originVerifySecret),
    } satisfies Record<Exclude<keyof AuditApiEnv, 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'>, string>;
    const audit = new JalonFunction(this, 'AuditApi', {
      functionName: `jalon-${stage}-audit-api`,
      description: `Jalon ${stage}: audit API (case timelines, ledger verification, reports).`,
      entry: functionEntry('audit-api').entry,
      environment,
      memorySize: 1024,
      // Under the HTTP API's 30 s integration limit; the ledger scan is the long one.
      timeout: Duration.seconds(28),
      logGroupName: jalonLogGroupName(stage, 'lambda/audit-api'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
      paramsAndSecrets: secretsExtension(),
    });
    const fn = audit.function;
    grantOriginVerify(this.originVerifySecret, audit);
    grantLedgerAppend(fn, tables.ledger.table, { listCases: true });
    // The staff's display names in timelines: the staff directory, read only.
    grantStaffDirectoryRead(fn, tables.staff.table);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndRefreshCases',
        // BatchWriteItem: a projection repair writes the case's search terms first (docs/case-search.md).
        actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [tables.cases.table.tableArn],
      }),
    );
    // A timeline asked for by reference (`/api/audit/cases/SCT-2026-000123/timeline`).
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FindCaseByReference',
        actions: ['dynamodb:Query'],
        resources: [`${tables.cases.table.tableArn}/index/${CASE_INDEXES.byReference}`],
      }),
    );
    // The access journal only: its items' keys start with `access-list#`; the rest of the control table
    // (reply tokens, which name requesters' addresses) stays out of reach.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndRecordAccessJournal',
        // UpdateItem (the day's counter) and PutItem (a record): the service-statement report lists confidential
        // cases' references to an auditor, which is journaled like a work-list view.
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
        resources: [tables.control.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['access-list#*'] } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [data.dataKey.keyArn],
      }),
    );
    // The report reads the aggregates (a period by its indexes or by day summaries, cases by key) and the
    // latest replay result, and saves the summary of a settled day it had to read whole: `#day#` items only.
    const reports = tables.reports.table.tableArn;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadReportAggregates',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [reports],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'QueryReportAggregates',
        actions: ['dynamodb:Query'],
        resources: [
          `${reports}/index/${REPORT_INDEXES.byReceivedDay}`,
          `${reports}/index/${REPORT_INDEXES.bySettledMonth}`,
        ],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SaveReportDaySummaries',
        actions: ['dynamodb:UpdateItem'],
        resources: [reports],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#day#*'] } },
      }),
    );
    // `POST /api/audit/reports/replay`: the run in progress, or a new one; that state machine only.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartReportReplay',
        actions: ['states:StartExecution', 'states:ListExecutions'],
        resources: [reportReplay.stateMachine.stateMachineArn],
      }),
    );
    // `POST /api/audit/ledger/verifications`: the run in progress, or a new one; `GET …/latest` reads the two
    // `#ledger-verification-*` items (GetItem on the reports table, above).
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartLedgerVerification',
        actions: ['states:StartExecution', 'states:ListExecutions'],
        resources: [ledgerVerification.stateMachine.stateMachineArn],
      }),
    );
    // `GET …/latest`: a run stored as running whose execution has ended without storing its end is answered
    // failed (`settleLatestRun`).
    const verificationRuns = executionsArnOf(this, ledgerVerification.stateMachineName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FollowLedgerVerification',
        actions: ['states:DescribeExecution'],
        resources: [verificationRuns],
      }),
    );
    acknowledgeJobExecutionReads(
      audit.role,
      verificationRuns,
      'states:DescribeExecution on the executions of the ledger-verification state machine only (one per run, ' +
        'named by a random UUID), to tell a run that ended without storing its end; no other machine, no write.',
    );
    const executions = this.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${workflow.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCaseExecutions',
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [executions],
      }),
    );
    acknowledgeAuditExecutionReads(audit.role, executions);
    // The histories of the executions Step Functions has forgotten (archived when they closed).
    const archived = grantMirrorObjects(fn, {
      bucket: ledgerMirrorBucketOf(audit, stage),
      prefixes: [EXECUTION_ARCHIVE_PREFIX],
      dataKey: data.dataKey,
      write: false,
      sid: 'ReadArchivedExecutions',
    });
    acknowledgeLedgerMirrorAccess(
      audit.role,
      archived,
      'The archived histories of closed case-lifecycle executions (executions/v1/<name>.json), GetObject only',
    );
    acknowledgeFunctionTracing(audit.role);
    this.staffHttpApi.addFunctionRoutes('AuditApi', deployedRoutes(AUDIT_API_ROUTES), fn);
    return audit;
  }

  /**
   * The handler turns unexpected errors into 500 responses rather than failing, so the Lambda `Errors`
   * metric only sees crashes and timeouts; the API's 5xx count catches the rest.
   */
  private addAlarms(ops: OpsStack): void {
    const period = Duration.minutes(5);
    ops.alarm(this, 'StaffApiFunctionErrors', {
      description: 'The staff-api Lambda crashed or timed out: staff may be unable to work on cases.',
      metric: this.staffApiFunction.function.metricErrors({ period, statistic: 'Sum' }),
    });
    ops.alarm(this, 'StaffApiServerErrors', {
      description: 'The staff API answers 5xx: see the staff-api log group for the failing requests.',
      metric: this.staffHttpApi.httpApi.metricServerError({ period, statistic: 'Sum' }),
      threshold: 5,
    });
    ops.alarm(this, 'AuditApiFunctionErrors', {
      description:
        'The audit-api Lambda crashed or timed out (a ledger scan too long for its timeout?): auditors may be ' +
        'unable to verify the ledger or read timelines.',
      metric: this.auditApiFunction.function.metricErrors({ period, statistic: 'Sum' }),
    });
    // A verification run that ends otherwise than succeeded leaves no result: the last one stands, stale.
    const verification = this.ledgerVerification.stateMachine;
    const verificationEndings = [
      { id: 'LedgerVerificationFailed', metric: verification.metricFailed({ period, statistic: 'Sum' }) },
      { id: 'LedgerVerificationAborted', metric: verification.metricAborted({ period, statistic: 'Sum' }) },
      { id: 'LedgerVerificationTimedOut', metric: verification.metricTimedOut({ period, statistic: 'Sum' }) },
    ];
    for (const { id, metric } of verificationEndings) {
      ops.alarm(this, id, {
        description:
          'A ledger verification run did not finish: GET /api/audit/ledger/verifications/latest shows its error ' +
          'and progress; the ledger-verification log group shows the step. Start another once fixed.',
        metric,
      });
    }
    // A back-fill that ends otherwise than succeeded has not written everything the mirror lacks.
    const backfill = this.ledgerMirrorBackfill.stateMachine;
    const backfillEndings = [
      { id: 'LedgerMirrorBackfillFailed', metric: backfill.metricFailed({ period, statistic: 'Sum' }) },
      { id: 'LedgerMirrorBackfillAborted', metric: backfill.metricAborted({ period, statistic: 'Sum' }) },
      { id: 'LedgerMirrorBackfillTimedOut', metric: backfill.metricTimedOut({ period, statistic: 'Sum' }) },
    ];
    for (const { id, metric } of backfillEndings) {
      ops.alarm(this, id, {
        description:
          'A ledger mirror back-fill did not finish: its error and progress are in the reports table ' +
          '(#ledger-mirror-backfill-latest) and the ledger-mirror-backfill log group. Run it again once fixed ' +
          '(npx jalon ledger backfill); it writes only what is still missing.',
        metric,
      });
    }
    ops.alarm(this, 'LedgerDigestErrors', {
      description:
        "The daily ledger digest failed: no signed digest of the case heads for today (a second run the same day is refused by the bucket's lock).",
      metric: this.ledgerVerification.digest.function.metricErrors({ period, statistic: 'Sum' }),
    });
    // Failed, stopped by hand or timed out: in each case the report keeps stating the previous replay.
    const replay = this.reportReplay.stateMachine;
    const replayEndings = [
      { id: 'ReportReplayFailed', metric: replay.metricFailed({ period, statistic: 'Sum' }), how: 'failed' },
      {
        id: 'ReportReplayAborted',
        metric: replay.metricAborted({ period, statistic: 'Sum' }),
        how: 'was stopped',
      },
      {
        id: 'ReportReplayTimedOut',
        metric: replay.metricTimedOut({ period, statistic: 'Sum' }),
        how: 'timed out',
      },
    ];
    for (const { id, metric, how } of replayEndings) {
      ops.alarm(this, id, {
        description:
          `A full replay of the ledger against the report aggregates ${how} (see the report-replay state ` +
          'machine and Lambda logs): the report keeps stating the previous replay. The replay is idempotent: ' +
          'fix the cause and start it again (POST /api/audit/reports/replay, auditors).',
        metric,
      });
    }
    // A failure waits while a replay that started before it runs (it comes back every 15 minutes); one older
    // than 6 hours means no replay could start or cover it (see the report-replay-start logs).
    ops.alarm(this, 'ReportAggregateFailuresWaiting', {
      description:
        'Report aggregates the ledger stream could not update have waited over 6 hours for a replay (see the ' +
        'report-replay-start and report-aggregates logs): the report may differ from the ledger until one runs.',
      metric: this.reportAggregates.failureQueue.metricApproximateAgeOfOldestMessage({
        period,
        statistic: 'Maximum',
      }),
      threshold: Duration.hours(6).toSeconds(),
    });
  }
}
