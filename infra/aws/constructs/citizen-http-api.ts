import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The public route of the citizen form: no authorizer (anyone may write to the organization). */
export const CITIZEN_REQUESTS_ROUTE = { method: apigwv2.HttpMethod.POST, path: '/api/requests' } as const;

/** Route key of the form submission route, as API Gateway names it in route settings. */
export const CITIZEN_REQUESTS_ROUTE_KEY = `${CITIZEN_REQUESTS_ROUTE.method} ${CITIZEN_REQUESTS_ROUTE.path}`;

/**
 * Steady rate and burst of the whole citizen API, and tighter ones on the form submission. Citizens submit a
 * handful of requests per hour; the limits cap what a flood can cost (Lambda, DynamoDB, reference numbers)
 * once past the WAF's per-IP rate rule, including on the execute-api endpoint, which the WAF does not cover.
 */
export const CITIZEN_API_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;
export const CITIZEN_REQUESTS_THROTTLE = { rateLimit: 5, burstLimit: 10 } as const;

/** One JSON line per request, without source IP, user agent or path values (see the staff API's log). */
const ACCESS_LOG_FIELDS = {
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

export interface CitizenHttpApiProps {
  /** `jalon-<stage>-citizen-api`. */
  readonly apiName: string;
  /** The form-intake Lambda. */
  readonly handler: lambda.IFunction;
  readonly accessLogGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * The citizen HTTP API (API Gateway v2): `POST /api/requests` to the form-intake Lambda, public by design.
 * It is meant to be reached through the citizen CloudFront distribution (same origin as the form, so no CORS
 * is configured: a browser on another origin cannot post to it), which puts the WAF in front of it. Stage and
 * route throttling, JSON access logs in a KMS-encrypted log group.
 */
export class CitizenHttpApi extends Construct {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  /** The form submission route (no authorizer). */
  public readonly routes: apigwv2.HttpRoute[];

  constructor(scope: Construct, id: string, props: CitizenHttpApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'Jalon citizen API: submissions of the public request form (behind CloudFront and WAF).',
      createDefaultStage: false,
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: props.accessLogGroupName,
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: CITIZEN_API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // Per-route throttling has no L2 property yet. `RouteSettings` is raw JSON to CloudFormation, so its keys
    // are written as the API expects them (PascalCase), not converted by CDK.
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = {
      [CITIZEN_REQUESTS_ROUTE_KEY]: {
        ThrottlingRateLimit: CITIZEN_REQUESTS_THROTTLE.rateLimit,
        ThrottlingBurstLimit: CITIZEN_REQUESTS_THROTTLE.burstLimit,
      },
    };

    this.routes = this.httpApi.addRoutes({
      path: CITIZEN_REQUESTS_ROUTE.path,
      methods: [CITIZEN_REQUESTS_ROUTE.method],
      integration: new HttpLambdaIntegration('FormIntakeIntegration', props.handler),
    });
    // Route settings name a route that must exist before the stage is updated.
    for (const route of this.routes) {
      cfnStage.addResourceDependency(route.node.defaultChild as apigwv2.CfnRoute);
    }
  }
}
