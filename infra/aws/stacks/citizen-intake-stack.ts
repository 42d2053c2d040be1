import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { FormIntakeEnv } from '../../../shared/schemas/form';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { stateMachineArn } from '../constructs/case-lifecycle';
import { CitizenDistribution } from '../constructs/citizen-distribution';
import { CitizenHttpApi } from '../constructs/citizen-http-api';
import { siteDistributionDomain } from '../constructs/site-domain';
import { JalonFunction } from '../constructs/jalon-function';
import {
  grantOriginVerify,
  originVerifyEnvironment,
  originVerifySecret,
  secretsExtension,
} from '../constructs/origin-verify-secret';
import { webAclArnReader } from '../constructs/web-acl-arn-reader';
import { grantLedgerAppend } from '../constructs/ledger-access';
import { tablesOf } from '../constructs/table-access';
import { retainsData, type Stage } from '../deployment-context';
import {
  acknowledgeFunctionTracing,
  acknowledgePublicFormRoute,
  acknowledgeTableAccess,
} from '../nag-acknowledgements';
import { jalonLogGroup, jalonLogGroupName, logRetention } from '../observability';
import type { ServiceContext } from '../service-context';
import { webAclArnParameterName, type CitizenWafStack } from './citizen-waf-stack';
import type { DataStack } from './data-stack';
import type { OpsStack } from './ops-stack';
import { POLICY_ID, type WorkflowStack } from './workflow-stack';

export interface CitizenIntakeStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly ops: OpsStack;
  /** The form starts the case-lifecycle workflow of each case it registers. */
  readonly workflow: WorkflowStack;
  /** The web ACL (us-east-1) the distribution is protected by. */
  readonly waf: CitizenWafStack;
  readonly service: ServiceContext;
  /** The form-intake Lambda's handler module (absolute path), normally `functions/form-intake/index.ts`. */
  readonly formIntakeEntry: string;
  /** The site's files (see `CitizenDistributionProps.siteSources`); empty uploads nothing. */
  readonly siteSources: readonly s3deploy.ISource[];
}

/**
 * What citizens reach: the CloudFront distribution of the citizen site (static pages from a private bucket,
 * `/api/*` to the citizen HTTP API), protected by the WAF web ACL of `CitizenWafStack`; the HTTP API with its
 * public `POST /api/requests` route; the form-intake Lambda that registers each submission (tables, reference
 * counter, workflow start); their alarms.
 *
 * The web ACL's ARN is read at deploy time from its SSM parameter in us-east-1 by a custom resource (see
 * `CitizenWafStack`); replacing the web ACL therefore needs this stack updated afterwards.
 *
 * The API answers only requests that came through the distribution (and so through the WAF): CloudFront adds
 * the origin-verify header, whose value is the `OriginVerifySecret`, and the form-intake Lambda checks it;
 * with a custom API domain in the context the `execute-api` endpoint is disabled too (see `CitizenHttpApi`).
 */
export class CitizenIntakeStack extends Stack {
  public readonly formIntake: JalonFunction;
  public readonly citizenHttpApi: CitizenHttpApi;
  public readonly citizenSite: CitizenDistribution;
  public readonly webAclArnReader: cr.AwsCustomResource;
  public readonly logBucket: AccessLogBucket;
  public readonly originVerifySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: CitizenIntakeStackProps) {
    super(scope, id, props);
    const { stage, data, ops, workflow, waf } = props;
    const retain = retainsData(stage);
    const tables = tablesOf(this, stage, data);
    this.addStackDependency(workflow, 'the form starts executions of the case-lifecycle state machine');
    this.addStackDependency(waf, 'the distribution is protected by the citizen web ACL');
    const caseLifecycleArn = stateMachineArn(this, workflow.stateMachineName);

    this.originVerifySecret = originVerifySecret(this, 'OriginVerifySecret', {
      description: `Jalon ${stage}: value of the origin-verify header CloudFront sends to the citizen API.`,
    });
    const formEnvironment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      CONTROL_TABLE_NAME: tables.control.tableName,
      STATE_MACHINE_ARN: caseLifecycleArn,
      POLICY_ID,
      ...originVerifyEnvironment(this.originVerifySecret),
    } satisfies Partial<Record<keyof FormIntakeEnv, string>>;

    this.formIntake = new JalonFunction(this, 'FormIntake', {
      functionName: `jalon-${stage}-form-intake`,
      description: `Jalon ${stage}: registers the requests citizens submit with the web form.`,
      entry: props.formIntakeEntry,
      environment: formEnvironment,
      // The function reads the origin-verify secret through the extension (no Secrets Manager SDK client).
      paramsAndSecrets: secretsExtension(),
      memorySize: 512,
      // Under the HTTP API's 30 s integration limit.
      timeout: Duration.seconds(10),
      logGroupName: jalonLogGroupName(stage, 'lambda/form-intake'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retain,
    });
    const formFunction = this.formIntake.function;
    const usedTables = [tables.cases, tables.control];
    for (const { table } of usedTables) table.grantReadWriteData(formFunction);
    grantLedgerAppend(formFunction, tables.ledger.table);
    formFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartCaseWorkflow',
        actions: ['states:StartExecution'],
        resources: [caseLifecycleArn],
      }),
    );
    grantOriginVerify(this.originVerifySecret, this.formIntake);
    acknowledgeTableAccess(this.formIntake.role, usedTables);
    acknowledgeFunctionTracing(this.formIntake.role);

    this.citizenHttpApi = new CitizenHttpApi(this, 'CitizenHttpApi', {
      apiName: `jalon-${stage}-citizen-api`,
      handler: formFunction,
      ...(props.service.citizenApiDomain !== undefined
        ? { customDomain: props.service.citizenApiDomain }
        : {}),
      accessLogGroupName: jalonLogGroupName(stage, 'http-api/citizen-access'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retain,
    });
    for (const route of this.citizenHttpApi.routes) acknowledgePublicFormRoute(route);

    const parameterName = webAclArnParameterName(stage);
    // The stack's parameter readers (web ACL, site certificate) share one provider and its log group.
    const readerLogs = {
      id: 'WebAclArnReaderLogs',
      logGroup: { stage, suffix: 'lambda/citizen-web-acl-reader', key: ops.opsKey, retain },
    };
    this.webAclArnReader = webAclArnReader(this, 'WebAclArnReader', {
      parameterName,
      logGroupId: readerLogs.id,
      logGroup: readerLogs.logGroup,
    });
    const customDomain = siteDistributionDomain(this, {
      stage,
      site: 'citizen',
      domain: props.service.citizenSiteDomain,
      readerLogs,
    });

    this.logBucket = new AccessLogBucket(this, 'AccessLogs', {
      expireAfter: Duration.days(logRetention(stage)),
      retain,
    });

    this.citizenSite = new CitizenDistribution(this, 'CitizenSite', {
      apiDomainName: this.citizenHttpApi.originDomainName,
      originVerifySecret: this.originVerifySecret,
      ...(customDomain === undefined ? {} : { customDomain }),
      webAclArn: this.webAclArnReader.getResponseField('Parameter.Value'),
      logBucket: this.logBucket.bucket,
      siteSources: props.siteSources,
      deploymentLogGroup: jalonLogGroup(this, 'SiteDeploymentLogs', {
        stage,
        suffix: 'lambda/citizen-site-deployment',
        key: ops.opsKey,
        retain,
      }),
      retain,
    });

    this.addAlarms(ops);

    new CfnOutput(this, 'CitizenSiteUrl', {
      value: `https://${customDomain?.domainName ?? this.citizenSite.distribution.distributionDomainName}/`,
    });
    new CfnOutput(this, 'CitizenSiteDistributionDomain', {
      description: 'The target of a CNAME of the citizen domain made by hand (without a hosted zone).',
      value: this.citizenSite.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'CitizenApiOrigin', { value: this.citizenHttpApi.originDomainName });
    if (this.citizenHttpApi.domainName !== undefined) {
      new CfnOutput(this, 'CitizenApiDomainTarget', {
        description: 'The CNAME target of the citizen API custom domain (DNS record made out of band).',
        value: this.citizenHttpApi.domainName.regionalDomainName,
      });
    }
    new CfnOutput(this, 'CitizenSiteBucketName', { value: this.citizenSite.siteBucket.bucketName });
  }

  private addAlarms(ops: OpsStack): void {
    const period = Duration.minutes(5);
    ops.alarm(this, 'FormIntakeFunctionErrors', {
      description: 'The form-intake Lambda crashed or timed out: citizens may be unable to submit requests.',
      metric: this.formIntake.function.metricErrors({ period, statistic: 'Sum' }),
    });
    ops.alarm(this, 'CitizenApiServerErrors', {
      description: 'The citizen API answers 5xx: see the form-intake log group for the failing requests.',
      metric: this.citizenHttpApi.httpApi.metricServerError({ period, statistic: 'Sum' }),
      threshold: 5,
    });
  }
}
