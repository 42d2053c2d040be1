import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * The access-log fields every Jalon HTTP API writes, one JSON line per request: enough to trace a request end
 * to end (request id, route, status, latencies, integration errors). No source IP, user agent, query string
 * or path values: the access log must not become a second record of who looked at which case from where (the
 * ledger records actions; complaint reads are logged there). An API appends its own fields after these.
 */
export const HTTP_API_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
} as const;

/** Where and how long an HTTP API keeps its access log. */
export interface HttpApiAccessLogProps {
  readonly accessLogGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

export interface LoggedDefaultStageProps extends HttpApiAccessLogProps {
  readonly httpApi: apigwv2.IHttpApi;
  /** Steady rate and burst of every route of the stage. */
  readonly throttle: apigwv2.ThrottleSettings;
  /** The access-log line, as `$context` variables by JSON key (see `HTTP_API_ACCESS_LOG_FIELDS`). */
  readonly accessLogFields: Readonly<Record<string, string>>;
}

/**
 * The `$default` stage of an HTTP API created with `createDefaultStage: false`: auto-deployed, throttled, and
 * writing JSON access logs into a KMS-encrypted log group (kept on stages that retain data).
 *
 * The log group (`AccessLogs`) and the stage (`DefaultStage`) are children of `scope`, the API's own
 * construct, so their logical ids are those of the API that owns them.
 */
export function addLoggedDefaultStage(
  scope: Construct,
  props: LoggedDefaultStageProps,
): { readonly stage: apigwv2.HttpStage; readonly accessLogGroup: logs.LogGroup } {
  const accessLogGroup = new logs.LogGroup(scope, 'AccessLogs', {
    logGroupName: props.accessLogGroupName,
    retention: props.logRetention,
    encryptionKey: props.logKey,
    removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const stage = new apigwv2.HttpStage(scope, 'DefaultStage', {
    httpApi: props.httpApi,
    stageName: '$default',
    autoDeploy: true,
    throttle: props.throttle,
    accessLogSettings: {
      destination: new apigwv2.LogGroupLogDestination(accessLogGroup),
      format: AccessLogFormat.custom(JSON.stringify(props.accessLogFields)),
    },
  });
  return { stage, accessLogGroup };
}
