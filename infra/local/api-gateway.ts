import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';

import { matchRoute, routeKey } from '../../shared/http/routes';
import type { RouteSpec } from '../../shared/http/routes';

/** A route as API Gateway declares it: `POST /api/staff/cases/{caseId}/{action}`. */
export interface HttpApiRoute {
  readonly method: string;
  readonly path: string;
}

/** A request matched to a route, with its path parameters (decoded, as API Gateway passes them). */
export interface MatchedRoute {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

/**
 * The route API Gateway would select for a method and path (`matchRoute`, the Lambdas' own router), or
 * `undefined` where it would answer `404 {"message":"Not Found"}` without invoking anything.
 */
export function matchHttpApiRoute(
  routes: readonly HttpApiRoute[],
  method: string,
  rawPath: string,
): MatchedRoute | undefined {
  const matched = matchRoute(routes as readonly RouteSpec[], method, rawPath);
  if (matched.kind !== 'route') return undefined;
  return {
    routeKey: routeKey(matched.route),
    ...(Object.keys(matched.params).length > 0 ? { pathParameters: { ...matched.params } } : {}),
  };
}

export interface HttpRequestParts {
  readonly method: string;
  /** Path and query string as received (`/api/staff/cases?unit=x`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** Content types API Gateway passes as text; any other body arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]*\+json|x-www-form-urlencoded|xml|javascript))/i;

/**
 * The API Gateway HTTP API payload (format 2.0) a Lambda integration receives for this request: headers
 * lower-cased with repeated ones joined by commas, cookies moved to `cookies`, query parameters likewise
 * joined, the body as text or base64 (`isBase64Encoded`), and the request context (method, path, source IP,
 * request id, time; the verified JWT claims when the route has an authorizer).
 */
export function toHttpApiEvent(
  request: HttpRequestParts,
  route: MatchedRoute,
  options: { now: Date; claims?: Record<string, string> },
): APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://localhost');
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter((c) => c !== '');
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const contentType = headers['content-type'] ?? '';
  const isText = request.body.length === 0 || TEXT_TYPES.test(contentType);
  const requestId = randomUUID();
  const context = {
    accountId: '000000000000',
    apiId: 'local',
    domainName: headers['host'] ?? '127.0.0.1',
    domainPrefix: (headers['host'] ?? '127').split('.')[0] ?? '127',
    http: {
      method: request.method,
      path: url.pathname,
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey: route.routeKey,
    stage: '$default',
    time: apiGatewayTime(options.now),
    timeEpoch: options.now.getTime(),
  };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(cookies !== undefined ? { cookies } : {}),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.pathParameters !== undefined ? { pathParameters: route.pathParameters } : {}),
    requestContext: context,
    ...(request.body.length > 0
      ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') }
      : {}),
    isBase64Encoded: !isText,
  };
  if (options.claims === undefined) return event;
  return {
    ...event,
    requestContext: {
      ...context,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: options.claims, scopes: [] } },
    },
  };
}

/**
 * Writes a Lambda result as API Gateway does for payload 2.0: a structured result as given (headers, cookies,
 * base64 body); anything else is a 200 whose JSON serialization is the body.
 */
export function writeHttpApiResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies !== undefined && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, { ...headers, 'content-length': String(body.length) });
  response.end(body);
}

/** `18/Dec/2026:15:00:00 +0000`, the format of `requestContext.time`. */
function apiGatewayTime(now: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(now.getUTCDate())}/${months[now.getUTCMonth()]}/${now.getUTCFullYear()}:` +
    `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`
  );
}
