import type { Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acknowledgeCustomResourceProvider } from '../nag-acknowledgements';
import { jalonLogGroup, type JalonLogGroupProps } from '../observability';
import { CLOUDFRONT_WAF_REGION } from '../stacks/citizen-waf-stack';

/**
 * Reads, at deploy time, the ARN of a CloudFront web ACL (or of a CloudFront certificate, see
 * `siteDistributionDomain`) that a stack in us-east-1 published as an SSM parameter (CloudFront web ACLs and
 * certificates live there, a distribution elsewhere cannot reference them across regions). A custom resource
 * calls `ssm:GetParameter` on that one parameter only; its provider logs to `logGroup`. The ARN is
 * `reader.getResponseField('Parameter.Value')`; replacing the web ACL needs the reading stack updated
 * afterwards. The readers of one stack share one provider function: give them the same `logGroupId`, and the
 * log group is made once.
 */
export function webAclArnReader(
  stack: Stack,
  id: string,
  props: {
    readonly parameterName: string;
    readonly logGroupId: string;
    readonly logGroup: JalonLogGroupProps;
  },
): cr.AwsCustomResource {
  const reader = new cr.AwsCustomResource(stack, id, {
    onUpdate: {
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: props.parameterName },
      region: CLOUDFRONT_WAF_REGION,
      physicalResourceId: cr.PhysicalResourceId.of(props.parameterName),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
      resources: [
        stack.formatArn({
          service: 'ssm',
          region: CLOUDFRONT_WAF_REGION,
          resource: 'parameter',
          resourceName: props.parameterName.slice(1),
        }),
      ],
    }),
    installLatestAwsSdk: false,
    logGroup:
      (stack.node.tryFindChild(props.logGroupId) as logs.ILogGroup | undefined) ??
      jalonLogGroup(stack, props.logGroupId, props.logGroup),
  });
  acknowledgeCustomResourceProvider(stack);
  return reader;
}
