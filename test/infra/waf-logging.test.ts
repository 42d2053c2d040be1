import type { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { Stage } from '../../infra/aws/deployment-context';
import { logRetention } from '../../infra/aws/observability';
import { CLOUDFRONT_WAF_REGION } from '../../infra/aws/stacks/citizen-waf-stack';
import {
  asArray,
  onlyResource,
  policyStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type SynthesizedStage,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const SITES: readonly { site: 'citizen' | 'staff'; template: (synth: SynthesizedStage) => Template }[] = [
  { site: 'citizen', template: (synth) => synth.citizenWafTemplate },
  { site: 'staff', template: (synth) => synth.staffWafTemplate },
];

/** The log group's ARN without the `:*` suffix, in us-east-1 (the WAF stacks' explicit region). */
function wafLogGroupArn(stage: Stage, site: string): string {
  return `arn:aws:logs:${CLOUDFRONT_WAF_REGION}:<AWS::AccountId>:log-group:aws-waf-logs-jalon-${stage}-${site}`;
}

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

describe.each(STAGES_UNDER_TEST)('WAF logging, %s stage', (stage) => {
  describe.each(SITES)('$site web ACL', ({ site, template }) => {
    const wafTemplate = () => template(synthStage(stage));

    it('logs into an aws-waf-logs- group of the stage, with the retention of the other logs, KMS-encrypted', () => {
      const [, logGroup] = onlyResource(wafTemplate(), 'AWS::Logs::LogGroup');
      const [keyId, key] = onlyResource(wafTemplate(), 'AWS::KMS::Key');
      expect(logGroup.Properties['LogGroupName']).toBe(`aws-waf-logs-jalon-${stage}-${site}`);
      expect(logGroup.Properties['RetentionInDays']).toBe(logRetention(stage));
      expect(logGroup.Properties['KmsKeyId']).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(key.Properties['EnableKeyRotation']).toBe(true);
      expect(logGroup.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    });

    it('lets CloudWatch Logs use the key for that log group only', () => {
      const [, key] = onlyResource(wafTemplate(), 'AWS::KMS::Key');
      const logs = policyStatements(key, 'KeyPolicy').find((statement) =>
        flattenCfnReference((statement.Principal as { Service?: unknown } | undefined)?.Service).startsWith(
          'logs.',
        ),
      );
      expect(
        flattenCfnReference(logs?.Condition?.['ArnEquals']?.['kms:EncryptionContext:aws:logs:arn']),
      ).toBe(wafLogGroupArn(stage, site));
    });

    it('sends the web ACL logs to that group, the authorization and cookie headers and the query string redacted', () => {
      const [aclId] = onlyResource(wafTemplate(), 'AWS::WAFv2::WebACL');
      const [, configuration] = onlyResource(wafTemplate(), 'AWS::WAFv2::LoggingConfiguration');
      expect(configuration.Properties['ResourceArn']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      const destinations = asArray(configuration.Properties['LogDestinationConfigs']).map((arn) =>
        flattenCfnReference(arn),
      );
      // WAF refuses the `:*` suffix that a log group's ARN attribute carries.
      expect(destinations).toEqual([wafLogGroupArn(stage, site)]);
      expect(configuration.Properties['RedactedFields']).toEqual([
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { QueryString: {} },
      ]);
    });

    it('keeps only blocked, challenged and counted requests, never the plain allowed ones', () => {
      const [, configuration] = onlyResource(wafTemplate(), 'AWS::WAFv2::LoggingConfiguration');
      const filter = configuration.Properties['LoggingFilter'] as {
        DefaultBehavior: string;
        Filters: { Behavior: string; Conditions: { ActionCondition: { Action: string } }[] }[];
      };
      expect(filter.DefaultBehavior).toBe('DROP');
      const kept = filter.Filters.filter((f) => f.Behavior === 'KEEP').flatMap((f) =>
        f.Conditions.map((c) => c.ActionCondition.Action),
      );
      expect(kept).toEqual(expect.arrayContaining(['BLOCK', 'CHALLENGE', 'COUNT']));
      expect(kept).not.toContain('ALLOW');
    });
  });
});
