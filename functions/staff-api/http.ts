import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { identityFromClaims } from '../../shared/domain/identity/identity';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import { DomainError, InvalidRequestError, NotAuthenticatedError, SystemError } from '../../shared/errors';
import { matchRoute, routeKey } from '../../shared/http/routes';
import type { RouteSpec } from '../../shared/http/routes';
import { MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError } from '../../shared/http/errors';
import { checkOrigin } from '../../shared/http/origin-verify';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { domainProblem, internalProblem, problemResponse } from '../../shared/http/problem';

export type ResponseLanguage = 'fr' | 'en';

/** The logger calls the API makes (Powertools `Logger` fits); structured keys only. */
export interface ApiLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * The language of error messages: French unless the `Accept-Language` header prefers English (the first of
 * `fr` and `en` by quality value; equal qualities keep the header's order). Staff use French by default.
 */
export function negotiateLanguage(acceptLanguage: string | undefined): ResponseLanguage {
  if (acceptLanguage === undefined) return 'fr';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => (range.primary === 'fr' || range.primary === 'en') && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges[0]?.primary === 'en' ? 'en' : 'fr';
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/** A JSON response (UTF-8, never cached: cases hold personal data). */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** 404 for a path no route of the API serves (problem details, see `shared/http/problem.ts`). */
export function routeNotFound(language: ResponseLanguage): APIGatewayProxyStructuredResultV2 {
  return problemResponse(domainProblem(new RouteNotFoundError(), language), language);
}

/** 405 for a route that exists with other methods (`allow`, sent as the `Allow` header). */
export function methodNotAllowed(
  language: ResponseLanguage,
  allow: readonly string[] = [],
): APIGatewayProxyStructuredResultV2 {
  const error = new MethodNotAllowedError(allow);
  return problemResponse(
    domainProblem(error, language),
    language,
    allow.length > 0 ? { allow: allow.join(', ') } : {},
  );
}

/**
 * The largest request body the staff API accepts: 1 MiB, several times the largest valid request (a 50 000
 * character answer or intake text, even as `\uXXXX` escapes), far below API Gateway's 10 MB and Lambda's 6 MB.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Whether the body of an API Gateway event is over `MAX_BODY_BYTES`, counted in bytes after base64 decoding,
 * without decoding or parsing it.
 */
export function isBodyTooLarge(event: {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}): boolean {
  const body = event.body;
  if (body === undefined) return false;
  if (event.isBase64Encoded) {
    const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
    return Math.floor((body.length * 3) / 4) - padding > MAX_BODY_BYTES;
  }
  // A UTF-16 code unit is at least one UTF-8 byte: a string this long is over without counting.
  return body.length > MAX_BODY_BYTES || Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES;
}

/** 413 for a body over `MAX_BODY_BYTES`, as problem details. */
export function payloadTooLarge(language: ResponseLanguage): APIGatewayProxyStructuredResultV2 {
  return problemResponse(domainProblem(new PayloadTooLargeError(MAX_BODY_BYTES), language), language);
}

/**
 * The one place errors become HTTP responses (staff and audit APIs), as RFC 9457 problem details. A
 * `DomainError` (the request broke a rule) gives its class's 4xx, its code, its bilingual messages and its field
 * issues; anything else is logged (error name, code and identifiers only) and gives a 500 that says nothing
 * about the internals, with the request id to quote.
 */
export function toErrorResponse(
  error: unknown,
  context: { readonly language: ResponseLanguage; readonly requestId?: string; readonly route: string },
  logger: ApiLogger,
): APIGatewayProxyStructuredResultV2 {
  const { language, requestId } = context;
  if (error instanceof DomainError) {
    logger.info('request refused', {
      route: context.route,
      status: error.status,
      errorName: error.name,
      errorCode: error.code,
    });
    return problemResponse(domainProblem(error, language), language);
  }
  logger.error('request failed', {
    route: context.route,
    errorName: error instanceof Error ? error.name : typeof error,
    ...(error instanceof SystemError
      ? { errorCode: error.code, transient: error.transient, details: error.details }
      : {}),
  });
  return problemResponse(internalProblem(language, requestId), language);
}

/**
 * The JSON body (base64-decoded when API Gateway encoded it); an absent body is an empty object, so that the
 * schema reports each missing field.
 *
 * @throws InvalidRequestError when the body is not JSON
 */
export function readJsonBody(event: { readonly body?: string; readonly isBase64Encoded?: boolean }): unknown {
  if (event.body === undefined || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestError([
      {
        path: '',
        fr: 'Le corps de la requête doit être du JSON valide.',
        en: 'The request body must be valid JSON.',
      },
    ]);
  }
}

/** What a routed request hands its route: the caller, the declared route matched and its path parameters. */
export interface RoutedRequest<R extends RouteSpec> {
  readonly identity: StaffIdentity;
  readonly route: R;
  /** `METHOD /path/{param}`: the route's name in logs and the access journal. */
  readonly routeName: string;
  /** The path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
  readonly language: ResponseLanguage;
}

/** What the request cycle of the staff-side APIs needs besides their routes. */
export interface JwtApiCycle {
  readonly logger: ApiLogger;
  /**
   * The origin-verify header the staff distribution adds (`required` in AWS, with the `StaffOriginVerifySecret`);
   * `off`, explicitly, on the local stack, which has no CloudFront in front of its API.
   */
  readonly originCheck: OriginCheck;
}

/**
 * The request cycle of the APIs behind the staff JWT authorizer (staff, holding pen, audit): first the
 * origin-verify header (403 `FORBIDDEN` without it or with a wrong value, before the route is even matched, so
 * that a client going around CloudFront and its WAF learns nothing about the routes); then the declared route
 * or 404 / 405 with `Allow`; a body over `MAX_BODY_BYTES` refused (413) before anything reads it; the identity
 * from the verified claims only (401 without); then `serve`. Whatever it throws becomes problem details in one
 * place (`toErrorResponse`), in the language of `Accept-Language`.
 */
export function jwtApiHandler<R extends RouteSpec>(
  routes: readonly R[],
  { logger, originCheck }: JwtApiCycle,
  serve: (request: RoutedRequest<R>) => Promise<APIGatewayProxyStructuredResultV2>,
): (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => {
    const language = negotiateLanguage(event.headers?.['accept-language']);
    const requestId = event.requestContext.requestId ? { requestId: event.requestContext.requestId } : {};
    try {
      await checkOrigin(originCheck, event.headers ?? {});
    } catch (error) {
      // No route is named: the path of a request that went around CloudFront is not one of ours to log.
      return toErrorResponse(error, { language, route: 'origin-check', ...requestId }, logger);
    }
    const matched = matchRoute(routes, event.requestContext.http.method, event.rawPath);
    if (matched.kind === 'not-found') return routeNotFound(language);
    if (matched.kind === 'method-not-allowed') return methodNotAllowed(language, matched.allow);
    const routeName = routeKey(matched.route);
    if (isBodyTooLarge(event)) return payloadTooLarge(language);
    try {
      const identity = identityFromClaims(event.requestContext.authorizer?.jwt?.claims);
      if (identity === undefined) throw new NotAuthenticatedError();
      return await serve({
        identity,
        route: matched.route,
        routeName,
        params: matched.params,
        event,
        language,
      });
    } catch (error) {
      return toErrorResponse(error, { language, route: routeName, ...requestId }, logger);
    }
  };
}
