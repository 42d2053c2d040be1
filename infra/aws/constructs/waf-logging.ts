import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { retainsData, type Stage } from '../deployment-context';
import { logRetention } from '../observability';

/**
 * Request parts WAF must not write to its logs: the `authorization` header (a staff member's bearer token),
 * the `cookie` header (session and WAF tokens) and the query string (a case reference or an address may be
 * in it). WAF replaces each with `REDACTED` before the record leaves it.
 */
export const WAF_REDACTED_FIELDS: readonly wafv2.CfnLoggingConfiguration.FieldToMatchProperty[] = [
  { singleHeader: { Name: 'authorization' } },
  { singleHeader: { Name: 'cookie' } },
  { queryString: {} },
];

/**
 * Rule outcomes worth a log record: a request blocked or challenged, or matched by a rule that only counts
 * (the common rule set's body-size rule). Plain allowed requests are dropped: they are the citizens' and
 * staff's ordinary traffic, already in the CloudFront and API access logs, and logging them would keep every
 * visitor's address for a year for nothing.
 */
export const WAF_LOGGED_ACTIONS = ['BLOCK', 'CHALLENGE', 'CAPTCHA', 'COUNT', 'EXCLUDED_AS_COUNT'] as const;

/** `aws-waf-logs-jalon-<stage>-<site>`: WAF delivers to CloudWatch Logs only under the `aws-waf-logs-` prefix. */
export function wafLogGroupName(stage: Stage, site: 'citizen' | 'staff'): string {
  return `aws-waf-logs-jalon-${stage}-${site}`;
}

export interface WafLoggingProps {
  readonly stage: Stage;
  readonly site: 'citizen' | 'staff';
  readonly webAcl: wafv2.CfnWebACL;
}

/**
 * The logs of one web ACL: a CloudWatch Logs group in the web ACL's region (us-east-1), encrypted with a key
 * of its own (the ops key lives in the stage's region, and a KMS key serves its own region only), kept as long
 * as the stage's other logs; personal fields redacted and only non-allowed outcomes kept.
 */
export class WafLogging extends Construct {
  public readonly logGroup: logs.LogGroup;
  public readonly key: kms.Key;
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WafLoggingProps) {
    super(scope, id);
    const { stage, site, webAcl } = props;
    const stack = Stack.of(this);
    const logGroupName = wafLogGroupName(stage, site);
    const retain = retainsData(stage);

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/jalon-${stage}-${site}-waf-logs`,
      description: `Jalon ${stage}: encrypts the ${site} web ACL's log group.`,
      enableKeyRotation: true,
      // Deleting the key would make the retained logs unreadable.
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: retain ? Duration.days(30) : Duration.days(7),
    });
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // CloudWatch Logs uses a customer-managed key only if the key policy lets the regional service use it;
    // the encryption-context condition limits that to this one log group.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForTheWafLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      retention: logRetention(stage),
      encryptionKey: this.key,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // WAF wants the log group's ARN without the `:*` that `LogGroup.logGroupArn` ends with.
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Configuration', {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: [...WAF_REDACTED_FIELDS],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: WAF_LOGGED_ACTIONS.map((action) => ({ ActionCondition: { Action: action } })),
          },
        ],
      },
    });
    this.loggingConfiguration.node.addDependency(this.logGroup);
  }
}
