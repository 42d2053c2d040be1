import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { WafLogging } from '../constructs/waf-logging';
import { CITIZEN_REQUESTS_ROUTE } from '../../../functions/form-intake/routes';
import type { Stage } from '../deployment-context';

/** CloudFront-scope web ACLs live in us-east-1, whatever region the rest of the stage is in. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

/**
 * Per-client limits of the citizen site, by IP address, over a five-minute window (`docs/automatic-replies.md`):
 * - past `challengeAbove` requests to the form (its pages and its submissions), a client must pass a silent
 *   browser challenge (WAF Challenge): a browser gets a token and goes on, a script without one is stopped.
 *   Counting the pages too lets a browser behind a busy shared address (an office, a mobile carrier) get its
 *   token when it loads the form, before it submits;
 * - past `blockAbove` submissions, the address is blocked (a person files a few requests a day; even a large
 *   office does not file hundreds in five minutes).
 * Each address is limited on its own, so one client's abuse never uses up anyone else's share; the API's own
 * throttle (`CITIZEN_REQUESTS_THROTTLE`) only protects the backend.
 */
export const FORM_RATE_LIMIT = {
  windowSeconds: 300,
  challengeAbove: 20,
  blockAbove: 300,
  /** How long a solved challenge holds: long enough to fill in the form at leisure. */
  challengeImmunitySeconds: 7200,
  path: CITIZEN_REQUESTS_ROUTE.path,
  pages: ['/', '/demande', '/en/', '/en/request'],
} as const;

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

function byteMatch(
  fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty,
  positionalConstraint: 'EXACTLY' | 'STARTS_WITH',
  searchString: string,
): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch,
      positionalConstraint,
      searchString,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}

/** A request for one of the form's pages (the path as the viewer asked for it). */
function pagePath(path: string): wafv2.CfnWebACL.StatementProperty {
  return byteMatch({ uriPath: {} }, 'EXACTLY', path);
}

/** A form submission: `POST /api/requests`. */
function formSubmissions(): wafv2.CfnWebACL.StatementProperty {
  return {
    andStatement: {
      statements: [
        byteMatch({ uriPath: {} }, 'STARTS_WITH', FORM_RATE_LIMIT.path),
        byteMatch({ method: {} }, 'EXACTLY', 'POST'),
      ],
    },
  };
}

/**
 * The WAF web ACL of the citizen CloudFront distribution, in us-east-1 (CLOUDFRONT scope requires it):
 * 1. a rate-based rule per IP address: past `FORM_RATE_LIMIT.challengeAbove` requests to the form's pages and
 *    submissions in five minutes, a WAF Challenge (a browser passes silently and keeps its token for two hours;
 *    a script is stopped);
 * 2. a rate-based rule per IP address: past `FORM_RATE_LIMIT.blockAbove` POSTs to `/api/requests` in five
 *    minutes, blocked;
 * 3. the AWS IP reputation list (addresses Amazon's threat intelligence knows as malicious: bots,
 *    reconnaissance, DDoS sources), as on the staff ACL;
 * 4. the AWS managed common rule set, except its 8 KB body-size rule, which counts instead of blocking: a
 *    request body may legitimately be long (50 000 characters), and the API validates and caps it;
 * 5. the AWS managed known-bad-inputs rule set.
 * Blocked, challenged and counted requests are logged, personal fields redacted (`WafLogging`).
 *
 * Its ARN reaches the citizen stack through an SSM parameter with a fixed name, read in us-east-1 at deploy
 * time: CDK's own cross-region references need an explicit region on both stacks, and Jalon's stacks stay
 * environment-agnostic so that `cdk synth` needs no account or region.
 */
export class CitizenWafStack extends Stack {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly webAclArnParameter: ssm.StringParameter;
  public readonly logging: WafLogging;

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
          name: 'ChallengeBusyFormClients',
          priority: 0,
          action: { challenge: {} },
          challengeConfig: {
            immunityTimeProperty: { immunityTime: FORM_RATE_LIMIT.challengeImmunitySeconds },
          },
          statement: {
            rateBasedStatement: {
              limit: FORM_RATE_LIMIT.challengeAbove,
              evaluationWindowSec: FORM_RATE_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                orStatement: {
                  statements: [...FORM_RATE_LIMIT.pages.map(pagePath), formSubmissions()],
                },
              },
            },
          },
          visibilityConfig: visibility('ChallengeBusyFormClients'),
        },
        {
          name: 'RateLimitFormSubmissions',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: FORM_RATE_LIMIT.blockAbove,
              evaluationWindowSec: FORM_RATE_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: formSubmissions(),
            },
          },
          visibilityConfig: visibility('RateLimitFormSubmissions'),
        },
        {
          name: 'AWSManagedRulesAmazonIpReputationList',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
          },
          visibilityConfig: visibility('AWSManagedRulesAmazonIpReputationList'),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 3,
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
          priority: 4,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          visibilityConfig: visibility('AWSManagedRulesKnownBadInputsRuleSet'),
        },
      ],
    });

    this.logging = new WafLogging(this, 'CitizenWebAclLogging', {
      stage,
      site: 'citizen',
      webAcl: this.webAcl,
    });

    this.webAclArnParameter = new ssm.StringParameter(this, 'CitizenWebAclArn', {
      parameterName: webAclArnParameterName(stage),
      description: `Jalon ${stage}: ARN of the citizen web ACL, read by the citizen stack in its own region.`,
      stringValue: this.webAcl.attrArn,
    });

    new CfnOutput(this, 'CitizenWebAclArnOutput', { value: this.webAcl.attrArn });
  }
}
