import { STAFF_API_PATH_PATTERNS } from '../../infra/aws/constructs/staff-distribution';
import type { StaffApiStack } from '../../infra/aws/stacks/staff-api-stack';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';
import { AuditApiEnvSchema } from '../../shared/schemas/audit-api';
import { HoldingApiEnvSchema } from '../../shared/schemas/holding-api';
import { StaffApiEnvSchema } from '../../shared/schemas/staff-api';
import {
  logicalIdOf,
  onlyResource,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

beforeAll(() => {
  synthStage('dev');
}, SYNTH_TIMEOUT_MS);

interface Origin {
  readonly Id: string;
  readonly OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
}

function distributionConfig() {
  const [, distribution] = onlyResource(synthStage('dev').staffApiTemplate, 'AWS::CloudFront::Distribution');
  return distribution.Properties['DistributionConfig'] as {
    Origins: Origin[];
    CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
    DefaultCacheBehavior: { TargetOriginId: string };
  };
}

describe('staff API reachable through CloudFront only', () => {
  it('a generated secret, 64 letters and digits, is the value of the header', () => {
    const { staffApiTemplate: template, stacks } = synthStage('dev');
    const secretId = logicalIdOf(stacks.staffApi.originVerifySecret);
    const secret = resourcesOfType(template, 'AWS::SecretsManager::Secret')[secretId];
    expect(secretId).toMatch(/^StaffOriginVerifySecret/);
    expect(secret?.Properties['GenerateSecretString']).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it.each(STAFF_API_PATH_PATTERNS)(
    'CloudFront sends the header to %s, its value resolved from the secret at deployment',
    (pattern) => {
      const { stacks } = synthStage('dev');
      const config = distributionConfig();
      const behavior = config.CacheBehaviors.find((candidate) => candidate.PathPattern === pattern);
      const origin = config.Origins.find((candidate) => candidate.Id === behavior?.TargetOriginId);
      const headers = origin?.OriginCustomHeaders ?? [];

      expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
      // `{{resolve:secretsmanager:<secret ARN>:SecretString:::}}`: the template never holds the value.
      const value = JSON.stringify(headers[0]?.HeaderValue);
      expect(value).toContain('{{resolve:secretsmanager:');
      expect(value).toContain(`"Ref":"${logicalIdOf(stacks.staffApi.originVerifySecret)}"`);
    },
  );

  it('the pages origin (the bucket) gets no such header', () => {
    const config = distributionConfig();
    const pages = config.Origins.find((origin) => origin.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(pages?.OriginCustomHeaders).toBeUndefined();
  });

  it.each([
    ['staff', (s: StaffApiStack) => s.staffApiFunction, StaffApiEnvSchema],
    ['holding-pen', (s: StaffApiStack) => s.holdingApiFunction, HoldingApiEnvSchema],
    ['audit', (s: StaffApiStack) => s.auditApiFunction, AuditApiEnvSchema],
  ])(
    'the %s Lambda gets the secret ARN, the secrets extension, and read access to that secret only',
    (_name, pick, schema) => {
      const { staffApiTemplate: template, stacks } = synthStage('dev');
      const fn = pick(stacks.staffApi);
      const secretId = logicalIdOf(stacks.staffApi.originVerifySecret);
      const resource = resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(fn.function)];
      const variables = (resource?.Properties['Environment'] as { Variables: Record<string, unknown> })
        .Variables;

      expect(Object.keys(schema.shape)).toContain('ORIGIN_VERIFY_SECRET_ARN');
      expect(variables['ORIGIN_VERIFY_SECRET_ARN']).toEqual({ Ref: secretId });
      // The extension layer, looked up by region (the stacks are region-agnostic).
      expect(JSON.stringify(resource?.Properties['Layers'])).toMatch(/ParamsandsecretslayerMap.*arm64/);
      const secretStatements = roleStatements(template, logicalIdOf(fn.role)).filter((s) =>
        [s.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
      );
      expect(secretStatements).toHaveLength(1);
      expect(secretStatements[0]?.Resource).toEqual({ Ref: secretId });
    },
  );
});
