import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { WafLogging } from '../constructs/waf-logging';
import type { Stage } from '../deployment-context';

/** The SSM parameter (in us-east-1) that hands the staff web ACL's ARN to the staff stack. */
export function staffWebAclArnParameterName(stage: Stage): string {
  return `/jalon/${stage}/staff/web-acl-arn`;
}

/**
 * Per-address limit of the staff site over five minutes, all paths: far above a working office behind one
 * address (forty clerks at a page and its few API calls every ten seconds make about 6 000), far below a
 * password-spraying or scraping script. The staff API's own throttle (`STAFF_API_THROTTLE`) protects the
 * backend; this stops one address from using it all.
 */
export const STAFF_RATE_LIMIT = { windowSeconds: 300, blockAbove: 10_000 } as const;

export interface StaffWafStackProps extends StackProps {
  readonly stage: Stage;
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function managed(name: string, priority: number, overrides: string[] = []): wafv2.CfnWebACL.RuleProperty {
  return {
    name: `AWS-${name}`,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(overrides.length > 0
          ? { ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
          : {}),
      },
    },
    visibilityConfig: visibility(`AWS-${name}`),
  };
}

/**
 * The WAF web ACL of the staff site's CloudFront distribution, in us-east-1 (CLOUDFRONT scope requires it),
 * apart from the citizen one: the citizen ACL challenges busy clients of the form, which staff never use,
 * and the staff site needs limits of its own.
 * 1. a rate-based block per IP address past `STAFF_RATE_LIMIT.blockAbove` requests in five minutes;
 * 2. the AWS IP reputation list (known malicious addresses, before anything reaches the API);
 * 3. the AWS managed common rule set, its 8 KB body-size rule only counting: an answer or a note may be long,
 *    the API validates and caps it;
 * 4. the AWS managed known-bad-inputs rule set.
 * Blocked and counted requests are logged, personal fields redacted (`WafLogging`).
 * The ARN reaches the staff stack through an SSM parameter read in us-east-1 at deploy time, as for the
 * citizen ACL (`CitizenWafStack`).
 */
export class StaffWafStack extends Stack {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly webAclArnParameter: ssm.StringParameter;
  public readonly logging: WafLogging;

  constructor(scope: Construct, id: string, props: StaffWafStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.webAcl = new wafv2.CfnWebACL(this, 'StaffWebAcl', {
      name: `jalon-${stage}-staff`,
      description: `Jalon ${stage}: protects the staff and auditor pages and their APIs.`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`jalon-${stage}-staff`),
      rules: [
        {
          name: 'RateLimitStaffClients',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: STAFF_RATE_LIMIT.blockAbove,
              evaluationWindowSec: STAFF_RATE_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('RateLimitStaffClients'),
        },
        managed('AWSManagedRulesAmazonIpReputationList', 1),
        managed('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });

    this.logging = new WafLogging(this, 'StaffWebAclLogging', { stage, site: 'staff', webAcl: this.webAcl });

    this.webAclArnParameter = new ssm.StringParameter(this, 'StaffWebAclArn', {
      parameterName: staffWebAclArnParameterName(stage),
      description: `Jalon ${stage}: ARN of the staff web ACL, read by the staff stack in its own region.`,
      stringValue: this.webAcl.attrArn,
    });

    new CfnOutput(this, 'StaffWebAclArnOutput', { value: this.webAcl.attrArn });
  }
}
