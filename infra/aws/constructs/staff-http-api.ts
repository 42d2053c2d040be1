import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  addLoggedDefaultStage,
  HTTP_API_ACCESS_LOG_FIELDS,
  type HttpApiAccessLogProps,
} from './http-api-base';
import { STAFF_API_ROUTES } from '../../../functions/staff-api/routes';
import type { RouteSpec } from '../../../shared/http/routes';

/** Headers the staff pages send: the bearer token, JSON bodies, command idempotency, the message language. */
export const STAFF_CORS_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'accept-language'];

/**
 * Steady rate and burst for every route. A few dozen staff clicking through cases need a handful of
 * requests per second; the limit caps the cost and the DynamoDB load of a runaway client or a stolen token.
 */
export const STAFF_API_THROTTLE = { rateLimit: 25, burstLimit: 50 } as const;

/** The common access-log fields, plus authorizer errors and the staff subject (`sub`) who made the request. */
const ACCESS_LOG_FIELDS = {
  ...HTTP_API_ACCESS_LOG_FIELDS,
  authorizerError: '$context.authorizer.error',
  staffSub: '$context.authorizer.claims.sub',
} as const;

export interface StaffHttpApiProps extends HttpApiAccessLogProps {
  /** `jalon-<stage>-staff-api`. */
  readonly apiName: string;
  /** The function behind every route (the staff-api Lambda). */
  readonly handler: lambda.IFunction;
  /** Tokens are accepted from this pool only, and only when issued to one of these clients (audience). */
  readonly userPool: cognito.IUserPool;
  readonly userPoolClients: readonly cognito.IUserPoolClient[];
  /** The staff pages' origin: the only one CORS allows. */
  readonly allowedOrigin: string;
}

/**
 * The staff HTTP API (API Gateway v2): every route requires a Cognito JWT (the authorizer checks signature,
 * issuer = the staff user pool, audience = the staff pages client, expiry) before the Lambda runs; CORS for
 * the staff origin only; default-route throttling; JSON access logs into a KMS-encrypted log group.
 */
export class StaffHttpApi extends Construct {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly authorizer: HttpUserPoolAuthorizer;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly routes: apigwv2.HttpRoute[];

  constructor(scope: Construct, id: string, props: StaffHttpApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description:
        'Jalon staff API: case lists, case details, staff commands and staff intake (JWT-authorized).',
      // The stage is created below, with throttling and access logging.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
        allowHeaders: STAFF_CORS_HEADERS,
        exposeHeaders: ['content-language'],
        maxAge: Duration.hours(1),
      },
    });

    const { stage, accessLogGroup } = addLoggedDefaultStage(this, {
      httpApi: this.httpApi,
      throttle: STAFF_API_THROTTLE,
      accessLogFields: ACCESS_LOG_FIELDS,
      accessLogGroupName: props.accessLogGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;

    this.authorizer = new HttpUserPoolAuthorizer('StaffJwtAuthorizer', props.userPool, {
      authorizerName: 'staff-jwt',
      userPoolClients: [...props.userPoolClients],
      identitySource: ['$request.header.Authorization'],
    });

    const integration = new HttpLambdaIntegration('StaffApiIntegration', props.handler);
    // One API Gateway route per declared route (`STAFF_API_ROUTES`, which the Lambda routes with too): an
    // unknown command is refused by API Gateway, before the authorizer or the function runs.
    this.routes = STAFF_API_ROUTES.flatMap(({ method, path }) =>
      this.httpApi.addRoutes({
        path,
        methods: [apigwv2.HttpMethod[method]],
        integration,
        authorizer: this.authorizer,
      }),
    );
  }

  /**
   * Serves `routes` (a function's declared routes: the audit API's, the holding pen's) with `handler`, behind
   * the same JWT authorizer (roles are checked by the handler).
   */
  addFunctionRoutes(
    id: string,
    routes: readonly RouteSpec[],
    handler: lambda.IFunction,
  ): apigwv2.HttpRoute[] {
    const integration = new HttpLambdaIntegration(`${id}Integration`, handler);
    const added = routes.flatMap(({ method, path }) =>
      this.httpApi.addRoutes({
        path,
        methods: [apigwv2.HttpMethod[method]],
        integration,
        authorizer: this.authorizer,
      }),
    );
    this.routes.push(...added);
    return added;
  }
}
