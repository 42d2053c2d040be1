import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import {
  CITIZEN_API_THROTTLE,
  CITIZEN_REQUESTS_ROUTE_KEY,
  CITIZEN_REQUESTS_THROTTLE,
} from '../../infra/aws/constructs/citizen-http-api';
import {
  CITIZEN_CONTENT_SECURITY_POLICY,
  API_PATH_PATTERN,
} from '../../infra/aws/constructs/citizen-distribution';
import type { Stage } from '../../infra/aws/deployment-context';
import { PLACEHOLDER_ENTRY } from '../../infra/aws/function-entries';
import {
  CLOUDFRONT_WAF_REGION,
  FORM_RATE_LIMIT,
  webAclArnParameterName,
} from '../../infra/aws/stacks/citizen-waf-stack';
import { tableName, TABLE_DEFINITIONS } from '../../shared/adapters/dynamodb/table-definitions';
import { CITIZEN_PAGES } from '../../web/citizen/site';
import {
  asArray,
  expectOpsAlertsTopic,
  flatResources,
  logicalIdOf,
  onlyResource,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const ARN_PREFIX = 'arn:<AWS::Partition>:';
const ACCOUNT_REGION = '<AWS::Region>:<AWS::AccountId>';
/** AWS managed CloudFront policies, by their fixed ids. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

interface WafRule {
  readonly Name: string;
  readonly Action?: Record<string, unknown>;
  readonly OverrideAction?: Record<string, unknown>;
  readonly Statement: Record<string, unknown>;
}

function webAcl(stage: Stage) {
  return onlyResource(synthStage(stage).citizenWafTemplate, 'AWS::WAFv2::WebACL');
}

function distributionConfig(stage: Stage): Record<string, unknown> {
  const [, distribution] = onlyResource(
    synthStage(stage).citizenIntakeTemplate,
    'AWS::CloudFront::Distribution',
  );
  return distribution.Properties['DistributionConfig'] as Record<string, unknown>;
}

describe.each(STAGES_UNDER_TEST)('citizen WAF stack, %s stage', (stage) => {
  it('is in us-east-1 (CLOUDFRONT scope), whatever the region of the other stacks', () => {
    const { stacks } = synthStage(stage);
    expect(stacks.citizenWaf.region).toBe(CLOUDFRONT_WAF_REGION);
    expect(webAcl(stage)[1].Properties['Scope']).toBe('CLOUDFRONT');
    expect(webAcl(stage)[1].Properties['DefaultAction']).toEqual({ Allow: {} });
  });

  it('challenges an IP address past 20 requests to the form (pages and submissions) in five minutes', () => {
    const rules = webAcl(stage)[1].Properties['Rules'] as (WafRule & Record<string, unknown>)[];
    const challenge = rules.find((rule) => rule.Name === 'ChallengeBusyFormClients');
    expect(challenge?.Action).toEqual({ Challenge: {} });
    expect(challenge?.['Priority']).toBe(0);
    expect(challenge?.['ChallengeConfig']).toEqual({
      ImmunityTimeProperty: { ImmunityTime: FORM_RATE_LIMIT.challengeImmunitySeconds },
    });
    const statement = challenge?.Statement['RateBasedStatement'] as Record<string, unknown>;
    expect(statement).toMatchObject({ Limit: 20, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    const scope = JSON.stringify(statement['ScopeDownStatement']);
    for (const page of CITIZEN_PAGES.filter((p) => p.page === 'form'))
      expect(scope).toContain(`"SearchString":"${page.path}"`);
    expect(scope).toContain('"SearchString":"/api/requests"');
    expect(scope).toContain('"SearchString":"POST"');
  });

  it('blocks an IP address posting to /api/requests more than 300 times in five minutes, after the challenge', () => {
    const rules = webAcl(stage)[1].Properties['Rules'] as (WafRule & Record<string, unknown>)[];
    const rate = rules.find((rule) => rule.Name === 'RateLimitFormSubmissions');
    expect(rate?.Action).toEqual({ Block: {} });
    expect(rate?.['Priority']).toBe(1);
    const statement = rate?.Statement['RateBasedStatement'] as Record<string, unknown>;
    expect(statement).toMatchObject({ Limit: 300, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expect(FORM_RATE_LIMIT.blockAbove).toBeGreaterThan(FORM_RATE_LIMIT.challengeAbove);
    expect(JSON.stringify(statement['ScopeDownStatement'])).toContain('"SearchString":"/api/requests"');
    expect(JSON.stringify(statement['ScopeDownStatement'])).toContain('"SearchString":"POST"');
  });

  it('leaves the whole API throttle far above what per-client limits let through, to protect the backend only', () => {
    // The shared route throttle must not be what stops citizens: 15 clients each just under the challenge
    // threshold, at their fastest, stay well under it.
    const perClientPerSecond = FORM_RATE_LIMIT.challengeAbove / FORM_RATE_LIMIT.windowSeconds;
    expect(15 * perClientPerSecond).toBeLessThan(CITIZEN_REQUESTS_THROTTLE.rateLimit / 10);
    expect(CITIZEN_REQUESTS_THROTTLE.rateLimit).toBeGreaterThanOrEqual(50);
    expect(CITIZEN_API_THROTTLE.rateLimit).toBeGreaterThanOrEqual(CITIZEN_REQUESTS_THROTTLE.rateLimit);
  });

  it('runs the AWS managed IP reputation, common and known-bad-inputs rule sets, the body-size rule only counting', () => {
    const rules = webAcl(stage)[1].Properties['Rules'] as WafRule[];
    const managed = rules.flatMap((rule) => {
      const group = rule.Statement['ManagedRuleGroupStatement'] as Record<string, unknown> | undefined;
      return group === undefined ? [] : [{ rule, group }];
    });
    expect(managed.map(({ group }) => `${String(group['VendorName'])}/${String(group['Name'])}`)).toEqual([
      'AWS/AWSManagedRulesAmazonIpReputationList',
      'AWS/AWSManagedRulesCommonRuleSet',
      'AWS/AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    for (const { rule } of managed) expect(rule.OverrideAction).toEqual({ None: {} });
    expect(managed[0]?.group['RuleActionOverrides']).toBeUndefined();
    expect(managed[1]?.group['RuleActionOverrides']).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('publishes the web ACL ARN in an SSM parameter with a fixed name', () => {
    const [aclId] = webAcl(stage);
    const [, parameter] = onlyResource(synthStage(stage).citizenWafTemplate, 'AWS::SSM::Parameter');
    expect(parameter.Properties['Name']).toBe(webAclArnParameterName(stage));
    expect(parameter.Properties['Value']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });
});

describe.each(STAGES_UNDER_TEST)('citizen intake stack, %s stage', (stage) => {
  const template = () => synthStage(stage).citizenIntakeTemplate;

  describe('WAF association', () => {
    it('protects the distribution with the web ACL ARN read from us-east-1 at deploy time', () => {
      const [readerId, reader] = onlyResource(template(), 'Custom::AWS');
      expect(distributionConfig(stage)['WebACLId']).toEqual({ 'Fn::GetAtt': [readerId, 'Parameter.Value'] });
      for (const phase of ['Create', 'Update']) {
        expect(JSON.parse(reader.Properties[phase] as string)).toMatchObject({
          service: 'SSM',
          action: 'getParameter',
          parameters: { Name: webAclArnParameterName(stage) },
          region: CLOUDFRONT_WAF_REGION,
        });
      }
    });

    it('lets the reader get that one parameter and nothing else', () => {
      const policies = Object.values(resourcesOfType(template(), 'AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy.Properties['PolicyDocument']).includes('ssm:'),
      );
      const statements = policies.flatMap((policy) => policyStatements(policy));
      expect(statements.flatMap((statement) => asArray(statement.Action))).toEqual(['ssm:GetParameter']);
      expect(statements.flatMap(flatResources)).toEqual([
        `${ARN_PREFIX}ssm:${CLOUDFRONT_WAF_REGION}:<AWS::AccountId>:parameter${webAclArnParameterName(stage)}`,
      ]);
    });

    it('deploys after the WAF and workflow stacks', () => {
      const { stacks } = synthStage(stage);
      expect(stacks.citizenIntake.dependencies).toEqual(
        expect.arrayContaining([stacks.citizenWaf, stacks.workflow, stacks.data]),
      );
    });
  });

  describe('CloudFront distribution', () => {
    it('serves the site bucket through origin access control (no OAI), index.html at the root', () => {
      const config = distributionConfig(stage);
      const [oacId, oac] = onlyResource(template(), 'AWS::CloudFront::OriginAccessControl');
      expect(oac.Properties['OriginAccessControlConfig']).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const origins = config['Origins'] as Record<string, unknown>[];
      const s3Origin = origins.find((origin) => origin['S3OriginConfig'] !== undefined);
      expect(s3Origin).toMatchObject({
        OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
      expect(resourcesOfType(template(), 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
      expect(config['DefaultRootObject']).toBe('index.html');
    });

    it('lets only this distribution read the site bucket', () => {
      const { stacks } = synthStage(stage);
      const bucketId = logicalIdOf(stacks.citizenIntake.citizenSite.siteBucket);
      const distributionId = logicalIdOf(stacks.citizenIntake.citizenSite.distribution);
      const policy = Object.values(resourcesOfType(template(), 'AWS::S3::BucketPolicy')).find(
        (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId }),
      )!;
      const allows = policyStatements(policy).filter((statement) => statement.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
      });
      expect(flattenCfnReference(allows[0]?.Condition?.['StringEquals']?.['AWS:SourceArn'])).toBe(
        `${ARN_PREFIX}cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`,
      );
    });

    it('sends /api/* to the HTTP API over TLS 1.2, uncached, with every viewer header but Host', () => {
      const { stacks } = synthStage(stage);
      const config = distributionConfig(stage);
      const [behavior] = config['CacheBehaviors'] as Record<string, unknown>[];
      expect(behavior).toMatchObject({
        PathPattern: API_PATH_PATTERN,
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      });
      expect(behavior?.['AllowedMethods']).toContain('POST');
      const origin = (config['Origins'] as Record<string, unknown>[]).find(
        (candidate) => candidate['Id'] === behavior?.['TargetOriginId'],
      );
      expect(origin?.['CustomOriginConfig']).toEqual({
        OriginProtocolPolicy: 'https-only',
        OriginSSLProtocols: ['TLSv1.2'],
      });
      expect(JSON.stringify(origin?.['DomainName'])).toContain(
        JSON.stringify({
          'Fn::GetAtt': [logicalIdOf(stacks.citizenIntake.citizenHttpApi.httpApi), 'ApiEndpoint'],
        }),
      );
    });

    it('redirects page requests to HTTPS and caches them', () => {
      const behavior = distributionConfig(stage)['DefaultCacheBehavior'] as Record<string, unknown>;
      expect(behavior['ViewerProtocolPolicy']).toBe('redirect-to-https');
      expect(behavior['AllowedMethods']).toEqual(['GET', 'HEAD']);
    });

    it('adds HSTS, a same-origin CSP, nosniff, a referrer policy and frame denial to every response', () => {
      const [policyId, policy] = onlyResource(template(), 'AWS::CloudFront::ResponseHeadersPolicy');
      const headers = (policy.Properties['ResponseHeadersPolicyConfig'] as Record<string, unknown>)[
        'SecurityHeadersConfig'
      ] as Record<string, Record<string, unknown>>;
      expect(headers['StrictTransportSecurity']).toMatchObject({
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      });
      expect(headers['ContentSecurityPolicy']?.['ContentSecurityPolicy']).toBe(
        CITIZEN_CONTENT_SECURITY_POLICY,
      );
      expect(CITIZEN_CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
      expect(CITIZEN_CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
      expect(CITIZEN_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(headers['ContentTypeOptions']).toEqual({ Override: true });
      expect(headers['ReferrerPolicy']).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
      expect(headers['FrameOptions']).toEqual({ FrameOption: 'DENY', Override: true });
      const config = distributionConfig(stage);
      const behaviors = [config['DefaultCacheBehavior'], ...(config['CacheBehaviors'] as unknown[])];
      for (const behavior of behaviors as Record<string, unknown>[]) {
        expect(behavior['ResponseHeadersPolicyId']).toEqual({ Ref: policyId });
      }
    });

    it('writes standard logs to the access-log bucket, without cookies', () => {
      const { stacks } = synthStage(stage);
      expect(distributionConfig(stage)['Logging']).toEqual({
        Bucket: { 'Fn::GetAtt': [logicalIdOf(stacks.citizenIntake.logBucket.bucket), 'RegionalDomainName'] },
        IncludeCookies: false,
        Prefix: 'cloudfront/',
      });
    });
  });

  describe('buckets', () => {
    it('block all public access and refuse requests without TLS', () => {
      const buckets = resourcesOfType(template(), 'AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(2);
      const policies = Object.values(resourcesOfType(template(), 'AWS::S3::BucketPolicy'));
      for (const [bucketId, bucket] of Object.entries(buckets)) {
        expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        const policy = policies.find(
          (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId }),
        );
        expect(policyStatements(policy!)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        );
      }
    });
  });

  describe('citizen HTTP API', () => {
    it('has the one public route POST /api/requests, to the form-intake Lambda', () => {
      const { stacks } = synthStage(stage);
      const [, route] = onlyResource(template(), 'AWS::ApiGatewayV2::Route');
      expect(route.Properties).toMatchObject({
        RouteKey: CITIZEN_REQUESTS_ROUTE_KEY,
        AuthorizationType: 'NONE',
      });
      const [, integration] = onlyResource(template(), 'AWS::ApiGatewayV2::Integration');
      expect(integration.Properties['IntegrationUri']).toEqual({
        'Fn::GetAtt': [logicalIdOf(stacks.citizenIntake.formIntake.function), 'Arn'],
      });
      expect(resourcesOfType(template(), 'AWS::ApiGatewayV2::Authorizer')).toEqual({});
    });

    it('throttles the stage, and the form route more tightly, and logs access without source IPs', () => {
      const [, apiStage] = onlyResource(template(), 'AWS::ApiGatewayV2::Stage');
      expect(apiStage.Properties['DefaultRouteSettings']).toEqual({
        ThrottlingRateLimit: CITIZEN_API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: CITIZEN_API_THROTTLE.burstLimit,
      });
      expect(apiStage.Properties['RouteSettings']).toEqual({
        [CITIZEN_REQUESTS_ROUTE_KEY]: {
          ThrottlingRateLimit: CITIZEN_REQUESTS_THROTTLE.rateLimit,
          ThrottlingBurstLimit: CITIZEN_REQUESTS_THROTTLE.burstLimit,
        },
      });
      const format = (apiStage.Properties['AccessLogSettings'] as { Format: string }).Format;
      expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId' });
      expect(format).not.toMatch(/sourceIp|userAgent/);
      // Route settings name the route, which must exist first.
      expect(apiStage.DependsOn).toEqual([onlyResource(template(), 'AWS::ApiGatewayV2::Route')[0]]);
    });
  });

  describe('form-intake Lambda', () => {
    function statements() {
      const { stacks } = synthStage(stage);
      return roleStatements(template(), logicalIdOf(stacks.citizenIntake.formIntake.role));
    }

    it('names the tables of its stage and the case-lifecycle state machine', () => {
      const { stacks } = synthStage(stage);
      const [, fn] = Object.entries(resourcesOfType(template(), 'AWS::Lambda::Function')).find(
        ([id]) => id === logicalIdOf(stacks.citizenIntake.formIntake.function),
      )!;
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject(
        Object.fromEntries(
          // Not the holding pen, the reports or the staff directory: the form never needs them.
          TABLE_DEFINITIONS.filter((d) => !['holding', 'reports', 'staff'].includes(d.id)).map((d) => [
            `${d.id.toUpperCase()}_TABLE_NAME`,
            tableName(stage, d),
          ]),
        ),
      );
      expect(flattenCfnReference(variables['STATE_MACHINE_ARN'])).toBe(
        `${ARN_PREFIX}states:${ACCOUNT_REGION}:stateMachine:jalon-${stage}-case-lifecycle`,
      );
    });

    it('may start executions of the case-lifecycle state machine only', () => {
      const states = statements().filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
      expect(states.flatMap((s) => asArray(s.Action))).toEqual(['states:StartExecution']);
      expect(states.flatMap(flatResources)).toEqual([
        `${ARN_PREFIX}states:${ACCOUNT_REGION}:stateMachine:jalon-${stage}-case-lifecycle`,
      ]);
    });

    it('has no S3, SES or wildcard-resource permissions beyond X-Ray', () => {
      const actions = statements().flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('ses:'))).toEqual([]);
      const wildcard = statements()
        .filter((s) => flatResources(s).includes('*'))
        .flatMap((s) => asArray(s.Action));
      expect(wildcard.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });
  });

  it('raises form-intake errors and API 5xx to the ops alerts topic', () => {
    const synth = synthStage(stage);
    const alarms = Object.values(resourcesOfType(template(), 'AWS::CloudWatch::Alarm'));
    expect(
      alarms.map((a) => `${String(a.Properties['Namespace'])}/${String(a.Properties['MetricName'])}`).sort(),
    ).toEqual(['AWS/ApiGateway/5xx', 'AWS/Lambda/Errors']);
    for (const alarm of alarms)
      expectOpsAlertsTopic(synth, (alarm.Properties['AlarmActions'] as unknown[])[0]);
  });
});

describe('citizen site content', () => {
  it('uploads the given sources to the site bucket and invalidates the distribution', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jalon-site-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Jalon</title>');
    const synth = synthStage(
      'dev',
      {},
      {
        citizenSite: [
          Source.asset(dir),
          Source.data('fr/index.html', '<!doctype html><title>Demande</title>'),
        ],
        formIntake: { entry: PLACEHOLDER_ENTRY, present: false },
      },
    );
    const { citizenSite } = synth.stacks.citizenIntake;
    const [, deployment] = onlyResource(synth.citizenIntakeTemplate, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(citizenSite.siteBucket) },
      DistributionId: { Ref: logicalIdOf(citizenSite.distribution) },
      DistributionPaths: ['/*'],
    });
    expect(deployment.Properties['SourceObjectKeys']).toHaveLength(2);
  });

  it('deploys no content when there is none (the bucket and distribution still exist)', () => {
    const synth = synthStage('dev', {}, { citizenSite: [] });
    const template: Template = synth.citizenIntakeTemplate;
    expect(resourcesOfType(template, 'Custom::CDKBucketDeployment')).toEqual({});
    expect(Object.keys(resourcesOfType(template, 'AWS::CloudFront::Distribution'))).toHaveLength(1);
  });
});
