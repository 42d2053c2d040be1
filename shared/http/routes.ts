/**
 * HTTP routes declared once. Each API lists its routes as data (`functions/<api>/routes.ts`); the same list
 * gives the API Gateway routes in CDK, the local gateway's routes, and the Lambda's router, which matches a
 * request with `matchRoute` exactly as API Gateway selects a route. So a route cannot exist in one place and
 * be missing in another: adding one is adding an entry and its handler (the handler table is typed by the
 * entries' ids).
 */

export type HttpMethod = 'GET' | 'POST';

/** A route as API Gateway declares it: `POST /api/staff/cases/{caseId}/note`. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** Literal segments and `{name}` parameters, each a whole segment (API Gateway's rule). */
  readonly path: string;
}

/** A declared route with the id its handler is registered under. */
export interface NamedRoute<Id extends string = string> extends RouteSpec {
  readonly id: Id;
  /**
   * Served by the local stack's gateway only, never routed in AWS (`deployedRoutes`): the handler keeps it for
   * the tests that run on the local stack.
   */
  readonly localOnly?: true;
}

/** The routes API Gateway gets in AWS: every declared route but the local stack's own (`localOnly`). */
export function deployedRoutes<R extends NamedRoute>(routes: readonly R[]): R[] {
  return routes.filter((route) => route.localOnly !== true);
}

/** `METHOD /path/{param}`: API Gateway's route key, also the route's name in logs and the access journal. */
export function routeKey(route: RouteSpec): string {
  return `${route.method} ${route.path}`;
}

export type RouteMatch<R extends RouteSpec> =
  | { readonly kind: 'route'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  /** The path is a route's, with other methods only (those methods, for `Allow`). */
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

/** A path segment URL-decoded, as API Gateway passes path parameters; as it came when not valid encoding. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = template.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] as string;
    const parameter = /^\{(\w+)\}$/.exec(part);
    if (parameter?.[1] === undefined) {
      if (part !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    params[parameter[1]] = decodeSegment(segment);
  }
  return params;
}

/**
 * The route API Gateway would select for a method and raw path: segments match exactly, `{name}` matches one
 * non-empty segment (decoded), and a literal segment wins over a parameter at the same place (so
 * `/cases/{caseId}/letters` is not the command `{action}`), as API Gateway prefers the most specific route.
 * A path that only other methods serve is `method-not-allowed` (API Gateway itself answers 404 there; a
 * Lambda invoked directly says 405 with `Allow`).
 */
export function matchRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  rawPath: string,
): RouteMatch<R> {
  const segments = rawPath.split('/');
  let best: { route: R; params: Record<string, string>; literals: number } | undefined;
  const allow = new Set<HttpMethod>();
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (params === undefined) continue;
    if (route.method !== method.toUpperCase()) {
      allow.add(route.method);
      continue;
    }
    const literals = segments.length - Object.keys(params).length;
    if (best === undefined || literals > best.literals) best = { route, params, literals };
  }
  if (best !== undefined) return { kind: 'route', route: best.route, params: best.params };
  if (allow.size > 0) return { kind: 'method-not-allowed', allow: [...allow].sort() };
  return { kind: 'not-found' };
}
