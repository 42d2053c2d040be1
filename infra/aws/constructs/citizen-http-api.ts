import { Fn } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  addLoggedDefaultStage,
  HTTP_API_ACCESS_LOG_FIELDS,
  type HttpApiAccessLogProps,
} from './http-api-base';
import { CITIZEN_API_ROUTES, CITIZEN_REQUESTS_ROUTE } from '../../../functions/form-intake/routes';
import { routeKey } from '../../../shared/http/routes';

/** Route key of the form submission route (no authorizer: anyone may write), as route settings name it. */
export const CITIZEN_REQUESTS_ROUTE_KEY = routeKey(CITIZEN_REQUESTS_ROUTE);

/**
 * Steady rate and burst of the whole citizen API, and of the form submission. These limits are shared by every
 * client, so they only protect the backend (Lambda concurrency, DynamoDB, reference numbers) and sit well
 * above what citizens send together: per-client limits are the WAF's rate rules, by IP address
 * (`FORM_RATE_LIMIT`), so that a few abusive addresses cannot use up everyone's share (at 5 requests a
 * second, 15 addresses under the WAF's block threshold locked every citizen out).
 */
export const CITIZEN_API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;
export const CITIZEN_REQUESTS_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface CitizenHttpApiProps extends HttpApiAccessLogProps {
  /** `jalon-<stage>-citizen-api`. */
  readonly apiName: string;
  /** The form-intake Lambda. */
  readonly handler: lambda.IFunction;
  /** A custom domain (see `ServiceContext.citizenApiDomain`): then the `execute-api` endpoint is disabled. */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/**
 * The citizen HTTP API (API Gateway v2): `POST /api/requests` to the form-intake Lambda, public by design.
 * It is meant to be reached through the citizen CloudFront distribution only (same origin as the form, so no
 * CORS is configured: a browser on another origin cannot post to it), which puts the WAF in front of it.
 *
 * Closing the way around CloudFront. HTTP APIs cannot have a WAF web ACL or a resource policy, nor be
 * private, so the WAF of the distribution does not protect a client that calls the API's own endpoint. Two
 * layers, as AWS's own guidance for HTTP APIs behind CloudFront does it (a secret custom origin header that
 * CloudFront adds and the API side checks, AWS Networking & Content Delivery blog, "Restricting access on
 * HTTP API Gateway Endpoint with Lambda Authorizer"; AWS Security blog, "How to enhance Amazon CloudFront
 * origin security with AWS WAF and AWS Secrets Manager"):
 * - with a custom domain in the deployment context, the `execute-api` endpoint is disabled
 *   (`disableExecuteApiEndpoint`), and CloudFront reaches the API by the custom domain (TLS 1.2);
 * - in every case, CloudFront sends the `x-origin-verify` header whose value is a Secrets Manager secret, and
 *   the form-intake Lambda compares it in constant time before anything else, answering 403 without details
 *   when it is absent or wrong. The check is in the function rather than in a Lambda authorizer: the form
 *   has one route and one function, so an authorizer would add an invocation and a cache to every
 *   submission for the same comparison. The header value is not a credential of anyone: leaked, it lets a
 *   client skip the WAF (rate rule, managed rules) and nothing more; the stage and route throttling below
 *   still cap it. Rotating it: put a new secret value, then deploy the citizen stack (CloudFormation resolves
 *   the secret into the distribution) and let the function's containers recycle.
 * Stage and route throttling, JSON access logs in a KMS-encrypted log group.
 */
export class CitizenHttpApi extends Construct {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  /** The form submission route (no authorizer). */
  public readonly routes: apigwv2.HttpRoute[];
  /** The custom domain, when the deployment has one. */
  public readonly domainName?: apigwv2.DomainName;
  /** The host name CloudFront sends API requests to: the custom domain, else the `execute-api` host. */
  public readonly originDomainName: string;

  constructor(scope: Construct, id: string, props: CitizenHttpApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'Jalon citizen API: submissions of the public request form (behind CloudFront and WAF).',
      createDefaultStage: false,
      // Without a custom domain the endpoint must stay (it is CloudFront's origin); the header check guards it.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });

    const { stage, accessLogGroup } = addLoggedDefaultStage(this, {
      httpApi: this.httpApi,
      throttle: CITIZEN_API_THROTTLE,
      accessLogFields: HTTP_API_ACCESS_LOG_FIELDS,
      accessLogGroupName: props.accessLogGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;
    // Per-route throttling has no L2 property yet. `RouteSettings` is raw JSON to CloudFormation, so its keys
    // are written as the API expects them (PascalCase), not converted by CDK.
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = {
      [CITIZEN_REQUESTS_ROUTE_KEY]: {
        ThrottlingRateLimit: CITIZEN_REQUESTS_THROTTLE.rateLimit,
        ThrottlingBurstLimit: CITIZEN_REQUESTS_THROTTLE.burstLimit,
      },
    };

    const integration = new HttpLambdaIntegration('FormIntakeIntegration', props.handler);
    this.routes = CITIZEN_API_ROUTES.flatMap(({ method, path }) =>
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod[method]], integration }),
    );
    // Route settings name a route that must exist before the stage is updated.
    for (const route of this.routes) {
      cfnStage.addResourceDependency(route.node.defaultChild as apigwv2.CfnRoute);
    }

    if (props.customDomain === undefined) {
      // `https://<api-id>.execute-api.<region>.amazonaws.com` → the host name.
      this.originDomainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));
      return;
    }
    this.domainName = new apigwv2.DomainName(this, 'CustomDomain', {
      domainName: props.customDomain.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
      endpointType: apigwv2.EndpointType.REGIONAL,
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
    });
    new apigwv2.ApiMapping(this, 'CustomDomainMapping', {
      api: this.httpApi,
      domainName: this.domainName,
      stage: this.stage,
    });
    this.originDomainName = props.customDomain.domainName;
  }
}
