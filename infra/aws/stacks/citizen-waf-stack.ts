import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { Stage } from '../deployment-context';

/** CloudFront-scope web ACLs live in us-east-1, whatever region the rest of the stage is in. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

/** Form submissions one IP address may make in five minutes before the WAF blocks it for a while. */
export const FORM_RATE_LIMIT = { limit: 100, windowSeconds: 300, path: '/api/requests' } as const;

/** The SSM parameter (in us-east-1) that hands the web ACL's ARN to the citizen stack. */
export function webAclArnParameterName(stage: Stage): string {
  return `/jalon/${stage}/citizen/web-acl-arn`;
}

export interface CitizenWafStackProps extends StackProps {
  readonly stage: Stage;
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/**
 * The WAF web ACL of the citizen CloudFront distribution, in us-east-1 (CLOUDFRONT scope requires it):
 * 1. a rate-based rule: more than `FORM_RATE_LIMIT.limit` POSTs to `/api/requests` in five minutes from one IP
 *    address are blocked (a person files a few requests a day; a script filing hundreds is not a person);
 * 2. the AWS managed common rule set, except its 8 KB body-size rule, which counts instead of blocking: a
 *    request body may legitimately be long (50 000 characters), and the API validates and caps it;
 * 3. the AWS managed known-bad-inputs rule set.
 *
 * Its ARN reaches the citizen stack through an SSM parameter with a fixed name, read in us-east-1 at deploy
 * time: CDK's own cross-region references need an explicit region on both stacks, and Jalon's stacks stay
 * environment-agnostic so that `cdk synth` needs no account or region.
 */
export class CitizenWafStack extends Stack {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly webAclArnParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: CitizenWafStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.webAcl = new wafv2.CfnWebACL(this, 'CitizenWebAcl', {
      name: `jalon-${stage}-citizen`,
      description: `Jalon ${stage}: protects the citizen form and its API.`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`jalon-${stage}-citizen`),
      rules: [
        {
          name: 'RateLimitFormSubmissions',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: FORM_RATE_LIMIT.limit,
              evaluationWindowSec: FORM_RATE_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        positionalConstraint: 'STARTS_WITH',
                        searchString: FORM_RATE_LIMIT.path,
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('RateLimitFormSubmissions'),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility('AWSManagedRulesCommonRuleSet'),
        },
        {
          name: 'AWSManagedRulesKnownBadInputsRuleSet',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          visibilityConfig: visibility('AWSManagedRulesKnownBadInputsRuleSet'),
        },
      ],
    });

    this.webAclArnParameter = new ssm.StringParameter(this, 'CitizenWebAclArn', {
      parameterName: webAclArnParameterName(stage),
      description: `Jalon ${stage}: ARN of the citizen web ACL, read by the citizen stack in its own region.`,
      stringValue: this.webAcl.attrArn,
    });

    new CfnOutput(this, 'CitizenWebAclArnOutput', { value: this.webAcl.attrArn });
  }
}
