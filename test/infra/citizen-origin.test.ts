import { runInNewContext } from 'node:vm';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';
import { CITIZEN_PATHS_FUNCTION_CODE } from '../../infra/aws/constructs/citizen-paths';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import { FormIntakeEnvSchema } from '../../shared/schemas/form';
import { CITIZEN_PAGES } from '../../web/citizen/site';
import {
  logicalIdOf,
  newApp,
  onlyResource,
  resourcesOfType,
  roleStatements,
  stageContext,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

const API_DOMAIN = 'api.demandes.sct.example.gouv.qc.ca';
const CERTIFICATE_ARN =
  'arn:aws:acm:ca-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100';

/** Prod with a custom API domain in its context, synthesized once. */
let withDomain: { template: Template; app: ReturnType<typeof newApp> } | undefined;
function prodWithDomain() {
  if (withDomain !== undefined) return withDomain;
  const app = newApp({
    ...stageContext('prod'),
    citizenApiDomainName: API_DOMAIN,
    citizenApiCertificateArn: CERTIFICATE_ARN,
  });
  const stacks = addJalonStacks(app);
  withDomain = { template: Template.fromStack(stacks.citizenIntake), app };
  return withDomain;
}

beforeAll(() => {
  synthStage('dev');
  prodWithDomain();
}, SYNTH_TIMEOUT_MS);

interface Origin {
  readonly Id: string;
  readonly DomainName: unknown;
  readonly OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  readonly CustomOriginConfig?: Record<string, unknown>;
  readonly S3OriginConfig?: unknown;
}

function distributionConfig(template: Template) {
  const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
  return distribution.Properties['DistributionConfig'] as {
    Origins: Origin[];
    DefaultCacheBehavior: { FunctionAssociations?: { EventType: string; FunctionARN: unknown }[] };
  };
}

function apiOrigin(template: Template): Origin {
  const origin = distributionConfig(template).Origins.find((o) => o.CustomOriginConfig !== undefined);
  if (origin === undefined) throw new Error('no API origin');
  return origin;
}

describe('citizen API reachable through CloudFront only', () => {
  it('CloudFront sends the origin-verify header, its value resolved from the secret at deployment', () => {
    const { citizenIntakeTemplate: template, stacks } = synthStage('dev');
    const secretId = logicalIdOf(stacks.citizenIntake.originVerifySecret);

    const headers = apiOrigin(template).OriginCustomHeaders ?? [];
    expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
    // `{{resolve:secretsmanager:<secret ARN>:SecretString:::}}`: the template never holds the value.
    expect(JSON.stringify(headers[0]?.HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(headers[0]?.HeaderValue)).toContain(`"Ref":"${secretId}"`);
    const [, secret] = onlyResource(template, 'AWS::SecretsManager::Secret');
    expect(secret.Properties['GenerateSecretString']).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it('the form-intake Lambda gets the secret ARN, the secrets extension, and read access to that secret only', () => {
    const { citizenIntakeTemplate: template, stacks } = synthStage('dev');
    const { formIntake, originVerifySecret } = stacks.citizenIntake;
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(formIntake.function)];
    const variables = (fn?.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;

    expect(variables['ORIGIN_VERIFY_SECRET_ARN']).toEqual({ Ref: logicalIdOf(originVerifySecret) });
    expect(Object.keys(FormIntakeEnvSchema.shape)).toContain('ORIGIN_VERIFY_SECRET_ARN');
    // The extension layer of the function's architecture, looked up by region (the stacks are region-agnostic).
    const [mapName, , layerKey] = (
      fn?.Properties['Layers'] as { 'Fn::FindInMap': [string, unknown, string] }[]
    )[0]!['Fn::FindInMap'];
    const layers = (template.toJSON() as { Mappings: Record<string, Record<string, Record<string, string>>> })
      .Mappings[mapName];
    expect(layerKey).toMatch(/arm64$/);
    expect(layers?.['ca-central-1']?.[layerKey]).toMatch(
      /^arn:aws:lambda:ca-central-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
    const secretStatements = roleStatements(template, logicalIdOf(formIntake.role)).filter((s) =>
      [s.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(secretStatements[0]?.Resource).toEqual({ Ref: logicalIdOf(originVerifySecret) });
  });

  it('without a custom domain, CloudFront reaches the execute-api host (the header check guards it)', () => {
    const { citizenIntakeTemplate: template } = synthStage('dev');
    const [, api] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties['DisableExecuteApiEndpoint']).toBe(false);
    expect(JSON.stringify(apiOrigin(template).DomainName)).toContain('ApiEndpoint');
    expect(resourcesOfType(template, 'AWS::ApiGatewayV2::DomainName')).toEqual({});
  });

  it('with a custom domain, the execute-api endpoint is disabled and CloudFront uses the domain (TLS 1.2)', () => {
    const { template } = prodWithDomain();
    const [, api] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
    const [domainId, domain] = onlyResource(template, 'AWS::ApiGatewayV2::DomainName');
    const [, mapping] = onlyResource(template, 'AWS::ApiGatewayV2::ApiMapping');

    expect(api.Properties['DisableExecuteApiEndpoint']).toBe(true);
    expect(domain.Properties).toMatchObject({
      DomainName: API_DOMAIN,
      DomainNameConfigurations: [
        { CertificateArn: CERTIFICATE_ARN, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
    });
    expect(mapping.Properties).toMatchObject({ DomainName: { Ref: domainId }, Stage: '$default' });
    expect(apiOrigin(template).DomainName).toBe(API_DOMAIN);
    expect(apiOrigin(template).OriginCustomHeaders?.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
  });

  it('with a custom domain, cdk-nag finds nothing unacknowledged', () => {
    const { app } = prodWithDomain();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('citizen site paths function', () => {
  it('runs on viewer requests of the site behaviour, with the tested code', () => {
    const { citizenIntakeTemplate: template, stacks } = synthStage('dev');
    const [functionId, fn] = onlyResource(template, 'AWS::CloudFront::Function');
    expect(functionId).toBe(logicalIdOf(stacks.citizenIntake.citizenSite.pathsFunction));
    expect(fn.Properties['FunctionConfig']).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(fn.Properties['AutoPublish']).toBe(true);
    expect(distributionConfig(template).DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);

    // The code in the template maps every form address to the object its page is uploaded as.
    const code = fn.Properties['FunctionCode'] as string;
    expect(code).toBe(CITIZEN_PATHS_FUNCTION_CODE);
    for (const page of CITIZEN_PAGES) {
      const result = runInNewContext(`${code}\nhandler(event);`, {
        event: { request: { uri: page.path, headers: {} } },
      }) as { uri: string };
      expect(result.uri).toBe(`/${page.objectKey}`);
    }
  });
});
