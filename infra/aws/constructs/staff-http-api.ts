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

/** The staff API's routes, all served by one Lambda that dispatches on method and path. */
export const STAFF_ROUTES = [
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/cases' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/cases/{caseId}' },
  { method: apigwv2.HttpMethod.POST, path: '/api/staff/cases/{caseId}/{action}' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/cases/{caseId}/letters' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/cases/{caseId}/letters/{letterFile}' },
  { method: apigwv2.HttpMethod.POST, path: '/api/staff/cases/{caseId}/letters/{letterId}/{action}' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/cases/{caseId}/attachments/{attachmentId}' },
  { method: apigwv2.HttpMethod.POST, path: '/api/staff/intake' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/holding' },
  { method: apigwv2.HttpMethod.GET, path: '/api/staff/holding/{itemId}' },
  { method: apigwv2.HttpMethod.POST, path: '/api/staff/holding/{itemId}/{action}' },
] as const;

/** The audit API's routes, on the same API and authorizer, served by the audit-api Lambda (read-only). */
export const AUDIT_ROUTES = [
  { method: apigwv2.HttpMethod.GET, path: '/api/audit/cases/{caseId}/timeline' },
  { method: apigwv2.HttpMethod.GET, path: '/api/audit/ledger/verify' },
  { method: apigwv2.HttpMethod.GET, path: '/api/audit/access/list-views' },
  { method: apigwv2.HttpMethod.GET, path: '/api/audit/reports/service-statement' },
  // The replay of the report aggregates: answered 404 by the Lambda until the replay job is deployed.
  { method: apigwv2.HttpMethod.POST, path: '/api/audit/reports/replay' },
  { method: apigwv2.HttpMethod.GET, path: '/api/audit/reports/replay' },
] as const;

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
    this.routes = STAFF_ROUTES.flatMap(({ method, path }) =>
      this.httpApi.addRoutes({ path, methods: [method], integration, authorizer: this.authorizer }),
    );
  }

  /** Serves `AUDIT_ROUTES` with `handler`, behind the same JWT authorizer (roles are checked by the handler). */
  addAuditRoutes(handler: lambda.IFunction): apigwv2.HttpRoute[] {
    const integration = new HttpLambdaIntegration('AuditApiIntegration', handler);
    const routes = AUDIT_ROUTES.flatMap(({ method, path }) =>
      this.httpApi.addRoutes({ path, methods: [method], integration, authorizer: this.authorizer }),
    );
    this.routes.push(...routes);
    return routes;
  }
}
