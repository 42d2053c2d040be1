import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  STAFF_API_PATH_PATTERNS,
  staffContentSecurityPolicy,
} from '../../infra/aws/constructs/staff-distribution';
import { STAFF_PATHS_FUNCTION_CODE } from '../../infra/aws/constructs/staff-paths';
import type { Stage } from '../../infra/aws/deployment-context';
import { addJalonStacks, type JalonStacks } from '../../infra/aws/jalon-app';
import { stageBlockKey } from '../../infra/aws/service-context';
import { STAFF_STATIC_FILES } from '../../infra/aws/function-entries';
import { CLOUDFRONT_WAF_REGION } from '../../infra/aws/stacks/citizen-waf-stack';
import { STAFF_RATE_LIMIT, staffWebAclArnParameterName } from '../../infra/aws/stacks/staff-waf-stack';
import { STAFF_SITE_OBJECTS } from '../../web/staff';
import {
  asArray,
  flatResources,
  logicalIdOf,
  newApp,
  onlyResource,
  policyStatements,
  resourcesOfType,
  serviceSettingsFixture,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type SynthesizedStage,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
/** AWS managed CloudFront policies, by their fixed ids. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
/** The staff scripts and stylesheet, which only the staff site may serve. */
const STAFF_ONLY_FILES = [
  'staff.js',
  'audit.js',
  'staff-common.js',
  'staff-auth.js',
  'staff-forms.js',
  'intake.js',
  'holding.js',
  'dashboard.js',
  'staff.css',
];

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

function staffDistributionConfig(stage: Stage): Record<string, unknown> {
  const [, distribution] = onlyResource(synthStage(stage).staffApiTemplate, 'AWS::CloudFront::Distribution');
  return distribution.Properties['DistributionConfig'] as Record<string, unknown>;
}

/** The files a stack's content deployment uploads, by object key, as staged in the cloud assembly. */
function deployedFiles(synth: SynthesizedStage, template: Template): Map<string, string> {
  const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
  const files = new Map<string, string>();
  for (const key of deployment.Properties['SourceObjectKeys'] as string[]) {
    const dir = path.join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const full = path.join(file.parentPath, file.name);
      files.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  }
  return files;
}

/** The domain name of the origin a behaviour targets. */
function originOf(config: Record<string, unknown>, behavior: Record<string, unknown> | undefined) {
  return (config['Origins'] as Record<string, unknown>[]).find(
    (origin) => origin['Id'] === behavior?.['TargetOriginId'],
  );
}

describe.each(STAGES_UNDER_TEST)('staff WAF stack, %s stage', (stage) => {
  it('holds a CLOUDFRONT web ACL in us-east-1 of its own, published by a fixed-name SSM parameter', () => {
    const synth = synthStage(stage);
    expect(synth.stacks.staffWaf.region).toBe(CLOUDFRONT_WAF_REGION);
    const [aclId, acl] = onlyResource(synth.staffWafTemplate, 'AWS::WAFv2::WebACL');
    expect(acl.Properties['Scope']).toBe('CLOUDFRONT');
    expect(acl.Properties['Name']).toBe(`jalon-${stage}-staff`);
    const [, parameter] = onlyResource(synth.staffWafTemplate, 'AWS::SSM::Parameter');
    expect(parameter.Properties['Name']).toBe(staffWebAclArnParameterName(stage));
    expect(parameter.Properties['Value']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('blocks an address past the rate limit and runs the IP reputation, common and bad-inputs rule sets', () => {
    const [, acl] = onlyResource(synthStage(stage).staffWafTemplate, 'AWS::WAFv2::WebACL');
    const rules = acl.Properties['Rules'] as Record<string, Record<string, unknown>>[];
    expect(rules[0]?.['Action']).toEqual({ Block: {} });
    expect(rules[0]?.['Statement']?.['RateBasedStatement']).toMatchObject({
      Limit: STAFF_RATE_LIMIT.blockAbove,
      AggregateKeyType: 'IP',
    });
    const managed = rules.flatMap((rule) => {
      const group = rule['Statement']?.['ManagedRuleGroupStatement'] as Record<string, unknown> | undefined;
      return group === undefined ? [] : [String(group['Name'])];
    });
    expect(managed).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
  });
});

describe.each(STAGES_UNDER_TEST)('staff site, %s stage', (stage) => {
  const staff = () => synthStage(stage).stacks.staffApi;
  const template = () => synthStage(stage).staffApiTemplate;

  describe('CloudFront distribution', () => {
    it.each(STAFF_API_PATH_PATTERNS)(
      'sends %s to the staff HTTP API over TLS 1.2, uncached, with the viewer headers (Authorization) but Host',
      (pattern) => {
        const config = staffDistributionConfig(stage);
        const behavior = (config['CacheBehaviors'] as Record<string, unknown>[]).find(
          (candidate) => candidate['PathPattern'] === pattern,
        );
        expect(behavior).toMatchObject({
          ViewerProtocolPolicy: 'https-only',
          CachePolicyId: CACHING_DISABLED,
          OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        });
        expect(behavior?.['AllowedMethods']).toEqual(expect.arrayContaining(['GET', 'POST']));
        const origin = originOf(config, behavior);
        expect(origin?.['CustomOriginConfig']).toEqual({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        });
        expect(JSON.stringify(origin?.['DomainName'])).toContain(
          JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(staff().staffHttpApi.httpApi), 'ApiEndpoint'] }),
        );
      },
    );

    it('has no other API behaviour: no /api/* catch-all, no /api/local, no citizen API', () => {
      const config = staffDistributionConfig(stage);
      const patterns = (config['CacheBehaviors'] as Record<string, unknown>[]).map((b) => b['PathPattern']);
      expect(patterns.sort()).toEqual([...STAFF_API_PATH_PATTERNS].sort());
      expect(JSON.stringify(config)).not.toContain('/api/local');
    });

    it('serves the pages from its private bucket through origin access control, with the paths function', () => {
      const config = staffDistributionConfig(stage);
      const behavior = config['DefaultCacheBehavior'] as Record<string, unknown>;
      expect(behavior['ViewerProtocolPolicy']).toBe('redirect-to-https');
      expect(behavior['AllowedMethods']).toEqual(['GET', 'HEAD']);
      const origin = originOf(config, behavior);
      expect(origin?.['S3OriginConfig']).toEqual({ OriginAccessIdentity: '' });
      expect(origin?.['OriginAccessControlId']).toBeDefined();
      const [functionId, fn] = onlyResource(template(), 'AWS::CloudFront::Function');
      expect(fn.Properties['FunctionCode']).toBe(STAFF_PATHS_FUNCTION_CODE);
      expect(behavior['FunctionAssociations']).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ]);
      const bucketId = logicalIdOf(staff().staffSite.siteBucket);
      const policy = Object.values(resourcesOfType(template(), 'AWS::S3::BucketPolicy')).find(
        (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId }),
      )!;
      const allows = policyStatements(policy).filter((statement) => statement.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' } });
    });

    it('is protected by the staff web ACL read from us-east-1, and logs without cookies', () => {
      const config = staffDistributionConfig(stage);
      const readers = Object.entries(resourcesOfType(template(), 'Custom::AWS'));
      const [readerId, reader] = readers.find(([, resource]) =>
        JSON.stringify(resource.Properties['Create']).includes(staffWebAclArnParameterName(stage)),
      )!;
      expect(config['WebACLId']).toEqual({ 'Fn::GetAtt': [readerId, 'Parameter.Value'] });
      expect(JSON.parse(reader.Properties['Create'] as string)).toMatchObject({
        region: CLOUDFRONT_WAF_REGION,
      });
      expect(config['Logging']).toMatchObject({ IncludeCookies: false, Prefix: 'staff-cloudfront/' });
      expect(synthStage(stage).stacks.staffApi.dependencies).toContain(synthStage(stage).stacks.staffWaf);
    });

    it('sends a CSP allowing fetches to itself and the sign-in domain only, and no referrer', () => {
      const [policyId, policy] = onlyResource(template(), 'AWS::CloudFront::ResponseHeadersPolicy');
      const headers = (policy.Properties['ResponseHeadersPolicyConfig'] as Record<string, unknown>)[
        'SecurityHeadersConfig'
      ] as Record<string, Record<string, unknown>>;
      const csp = JSON.stringify(headers['ContentSecurityPolicy']?.['ContentSecurityPolicy']);
      expect(csp).toContain("connect-src 'self' https://");
      expect(csp).toContain(logicalIdOf(staff().staffUserPool.domain));
      expect(csp).toContain('.auth.');
      expect(staffContentSecurityPolicy('https://x.example')).not.toMatch(/unsafe-|\*/);
      expect(headers['ReferrerPolicy']).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
      expect(headers['FrameOptions']).toEqual({ FrameOption: 'DENY', Override: true });
      const config = staffDistributionConfig(stage);
      for (const behavior of [config['DefaultCacheBehavior'], ...(config['CacheBehaviors'] as unknown[])]) {
        expect((behavior as Record<string, unknown>)['ResponseHeadersPolicyId']).toEqual({ Ref: policyId });
      }
    });
  });

  describe('staff pages client (Cognito)', () => {
    const client = () => onlyResource(template(), 'AWS::Cognito::UserPoolClient')[1].Properties;
    const distributionUrl = (suffix: string) => ({
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [logicalIdOf(staff().staffSite.distribution), 'DomainName'] },
          `/${suffix}`,
        ],
      ],
    });

    it('allows the authorization-code grant only: no implicit grant, no client credentials, no secret', () => {
      expect(client()['AllowedOAuthFlows']).toEqual(['code']);
      expect(client()['AllowedOAuthFlowsUserPoolClient']).toBe(true);
      expect(client()['GenerateSecret']).toBe(false);
      expect(client()['SupportedIdentityProviders']).toEqual(['COGNITO']);
      expect(client()['AllowedOAuthScopes']).toEqual(expect.arrayContaining(['openid']));
      expect(client()['ExplicitAuthFlows']).not.toContain('ALLOW_USER_PASSWORD_AUTH');
      expect(client()['ExplicitAuthFlows']).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    });

    it("redirects only to the site's callback pages (and the configured ones), signs out to its sign-in pages", () => {
      const { service } = synthStage(stage).stacks;
      expect(client()['CallbackURLs']).toEqual([
        distributionUrl('staff/auth/callback'),
        distributionUrl('en/staff/auth/callback'),
        ...service.staffCallbackUrls,
      ]);
      expect(client()['LogoutURLs']).toEqual([
        distributionUrl('staff/login'),
        distributionUrl('en/staff/login'),
        ...service.staffLogoutUrls,
      ]);
    });

    it('is the audience the staff HTTP API accepts tokens for', () => {
      const authorizer = onlyResource(template(), 'AWS::ApiGatewayV2::Authorizer')[1].Properties;
      expect((authorizer['JwtConfiguration'] as { Audience: unknown }).Audience).toEqual([
        { Ref: logicalIdOf(staff().staffUserPool.staffPagesClient) },
      ]);
    });
  });

  describe('content', () => {
    it('uploads every shell and the staff files to the staff bucket, and invalidates the distribution', () => {
      const synth = synthStage(stage);
      const [, deployment] = onlyResource(template(), 'Custom::CDKBucketDeployment');
      expect(deployment.Properties).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(staff().staffSite.siteBucket) },
        DistributionId: { Ref: logicalIdOf(staff().staffSite.distribution) },
        DistributionPaths: ['/*'],
      });
      const files = deployedFiles(synth, template());
      expect([...files.keys()].sort()).toEqual(
        [...STAFF_SITE_OBJECTS.map((object) => object.objectKey), ...STAFF_STATIC_FILES].sort(),
      );
    });

    it('deploys the intake and holding-pen pages in both languages with their scripts', () => {
      const files = deployedFiles(synthStage(stage), template());
      for (const key of [
        'staff/intake/index.html',
        'en/staff/intake/index.html',
        'staff/holding/index.html',
        'en/staff/holding/index.html',
      ]) {
        expect([key, files.has(key)]).toEqual([key, true]);
      }
      expect(files.get('en/staff/intake/index.html')).toContain('<script type="module" src="/intake.js">');
      expect(files.get('staff/holding/index.html')).toContain('<script type="module" src="/holding.js">');
      expect([...files.keys()]).toEqual(
        expect.arrayContaining(['intake.js', 'holding.js', 'staff-forms.js']),
      );
    });

    it('deploys the auditor dashboard in both languages with its script', () => {
      const files = deployedFiles(synthStage(stage), template());
      expect(files.get('audit/dashboard/index.html')).toContain('<script type="module" src="/dashboard.js">');
      expect(files.get('en/audit/dashboard/index.html')).toContain('<html lang="en">');
      expect([...files.keys()]).toContain('dashboard.js');
    });

    it('never references the local stack: no /api/local, no demo login, in any deployed file', () => {
      for (const [key, content] of deployedFiles(synthStage(stage), template())) {
        expect([key, content.includes('/api/local')]).toEqual([key, false]);
      }
    });

    it('configures every page for the Cognito sign-in, with deploy-time values for the client and addresses', () => {
      const files = deployedFiles(synthStage(stage), template());
      for (const object of STAFF_SITE_OBJECTS) {
        const html = files.get(object.objectKey) ?? '';
        const meta = /<meta name="jalon-auth" content="([^"]*)">/.exec(html)?.[1] ?? '';
        const config = JSON.parse(meta.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<
          string,
          string
        >;
        expect(config['auth']).toBe('cognito');
        // Markers the content deployment replaces with the client id and the distribution's domain.
        expect(config['clientId']).toMatch(/<<marker:0x[a-f0-9]+:\d+>>/);
        const prefix = object.language === 'en' ? 'en/' : '';
        expect(config['redirectUri']).toMatch(
          new RegExp(`^https://<<marker:[^>]+>>/${prefix}staff/auth/callback$`),
        );
        expect(config['logoutUri']).toMatch(new RegExp(`^https://<<marker:[^>]+>>/${prefix}staff/login$`));
      }
      const [, deployment] = onlyResource(template(), 'Custom::CDKBucketDeployment');
      const markers = JSON.stringify(deployment.Properties['SourceMarkers']);
      expect(markers).toContain(JSON.stringify({ Ref: logicalIdOf(staff().staffUserPool.staffPagesClient) }));
      expect(markers).toContain(
        JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(staff().staffSite.distribution), 'DomainName'] }),
      );
    });
  });
});

describe.each(STAGES_UNDER_TEST)('citizen site, %s stage', (stage) => {
  it('no longer serves the staff scripts, stylesheet or pages', () => {
    const synth = synthStage(stage);
    const files = deployedFiles(synth, synth.citizenIntakeTemplate);
    for (const file of STAFF_ONLY_FILES) expect([...files.keys()]).not.toContain(file);
    expect([...files.keys()].filter((key) => /(^|\/)(staff|audit)\//.test(key))).toEqual([]);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['citizen.css', 'form.js', 'index.html']));
  });

  it('sends only /api/* to the citizen API (the staff APIs are not behind it)', () => {
    const synth = synthStage(stage);
    const [, distribution] = onlyResource(synth.citizenIntakeTemplate, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties['DistributionConfig'] as Record<string, unknown>;
    expect(JSON.stringify(config)).not.toContain(logicalIdOf(synth.stacks.staffApi.staffHttpApi.httpApi));
  });
});

describe('the staff web ACL reader', () => {
  it('may get its one parameter and nothing else', () => {
    const template = synthStage('prod').staffApiTemplate;
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .flatMap((policy) => policyStatements(policy))
      .filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith('ssm:GetParameter')),
      )
      .filter((statement) => flatResources(statement).some((resource) => resource.includes('us-east-1')));
    expect(statements.flatMap((statement) => asArray(statement.Action))).toEqual(['ssm:GetParameter']);
    expect(statements.flatMap(flatResources)).toEqual([
      `arn:<AWS::Partition>:ssm:${CLOUDFRONT_WAF_REGION}:<AWS::AccountId>:parameter${staffWebAclArnParameterName('prod')}`,
    ]);
  });
});

describe('staff site on its own domain (staffSiteCertificateArn)', () => {
  const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/0f0e0d0c-1111-2222-3333-444455556666';
  let synth: { app: App; stacks: JalonStacks; template: Template };
  beforeAll(() => {
    const settings = { ...serviceSettingsFixture('prod'), staffSiteCertificateArn: CERTIFICATE };
    const app = newApp({ stage: 'prod', [stageBlockKey('prod')]: settings });
    const stacks = addJalonStacks(app);
    synth = { app, stacks, template: Template.fromStack(stacks.staffApi) };
  }, SYNTH_TIMEOUT_MS);
  const host = new URL(String(serviceSettingsFixture('prod')['staffBaseUrl'])).hostname;

  it('answers to the host of staffBaseUrl with the certificate, TLS 1.2 at least', () => {
    const [, distribution] = onlyResource(synth.template, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties['DistributionConfig'] as Record<string, unknown>;
    expect(config['Aliases']).toEqual([host]);
    expect(config['ViewerCertificate']).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('signs in from that domain: the client allows its pages, and only once each', () => {
    const [, client] = onlyResource(synth.template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties['CallbackURLs']).toEqual([
      `https://${host}/staff/auth/callback`,
      `https://${host}/en/staff/auth/callback`,
    ]);
    expect(client.Properties['LogoutURLs']).toEqual([
      `https://${host}/staff/login`,
      `https://${host}/en/staff/login`,
    ]);
  });

  it('needs no acknowledgement of the TLS finding, and cdk-nag finds nothing', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    expect(report.violations).toEqual([]);
    expect(JSON.stringify(synth.template.toJSON())).not.toContain('AwsSolutions-CFR4');
  });
});
