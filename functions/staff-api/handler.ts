import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';

import {
  acknowledge,
  answer,
  close,
  extend,
  getCase,
  listCases,
  reassign,
  recordDissatisfaction,
} from '../../shared/domain/case/commands';
import type { CaseQueries, CommandDeps, CommandOptions } from '../../shared/domain/case/commands';
import { identityFromClaims } from '../../shared/domain/identity/identity';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import { InvalidRequestError, NotAuthenticatedError } from '../../shared/errors';
import {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  CloseBodySchema,
  DissatisfiedBodySchema,
  ExtendBodySchema,
  IdempotencyKeyHeaderSchema,
  ListCasesQuerySchema,
  ReassignBodySchema,
  parseRequest,
} from '../../shared/schemas/staff-api';
import { errorResponse, json, negotiateLanguage, toErrorResponse } from './http';
import type { ApiLogger } from './http';

export interface StaffApiDeps extends CommandDeps {
  readonly queries: CaseQueries;
  readonly logger: ApiLogger;
}

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

/** What a route needs from the request once the caller is identified. */
interface RouteRequest {
  readonly identity: StaffIdentity;
  readonly caseId: string;
  readonly event: Event;
}

type Route = (deps: StaffApiDeps, request: RouteRequest) => Promise<Result>;

/** A command answers 201 when it recorded something, 200 when it replayed an outcome already recorded. */
function commandResult(result: { readonly replayed: boolean }): Result {
  return json(result.replayed ? 200 : 201, result);
}

/** Each command route: body schema → one use case (the case id comes from the path) → its result. */
function commandRoute<S extends z.ZodType<object>, R extends { readonly replayed: boolean }>(
  schema: S,
  run: (
    deps: StaffApiDeps,
    identity: StaffIdentity,
    input: z.output<S> & { caseId: string },
    options: CommandOptions,
  ) => Promise<R>,
): Route {
  return async (deps, { identity, caseId, event }) => {
    const body = parseRequest(schema, readJsonBody(event));
    const result = await run(deps, identity, { ...body, caseId }, idempotencyOptions(event));
    return commandResult(result);
  };
}

const COMMANDS: Readonly<Record<string, Route>> = {
  acknowledge: commandRoute(AcknowledgeBodySchema, acknowledge),
  answer: commandRoute(AnswerBodySchema, answer),
  extend: commandRoute(ExtendBodySchema, extend),
  reassign: commandRoute(ReassignBodySchema, reassign),
  close: commandRoute(CloseBodySchema, close),
  dissatisfied: commandRoute(DissatisfiedBodySchema, recordDissatisfaction),
};

const listRoute: Route = async (deps, { identity, event }) => {
  const filters = parseRequest(ListCasesQuerySchema, event.queryStringParameters ?? {}, ['query']);
  return json(200, { cases: await listCases(deps, identity, filters) });
};

const getRoute: Route = async (deps, { identity, caseId }) =>
  json(200, { case: await getCase(deps, identity, caseId) });

const CASES_PATH = /^\/api\/staff\/cases\/?$/;
const CASE_PATH = /^\/api\/staff\/cases\/([^/]+)\/?$/;
const COMMAND_PATH = /^\/api\/staff\/cases\/([^/]+)\/([a-z]+)\/?$/;

/** The route for a method and path: a route, a 405 (known path, other method) or undefined (unknown path). */
function resolve(
  method: string,
  path: string,
): { route: Route; caseId: string } | 'method-not-allowed' | undefined {
  if (CASES_PATH.test(path))
    return method === 'GET' ? { route: listRoute, caseId: '' } : 'method-not-allowed';
  const single = CASE_PATH.exec(path);
  if (single?.[1] !== undefined) {
    return method === 'GET' ? { route: getRoute, caseId: decodeSegment(single[1]) } : 'method-not-allowed';
  }
  const command = COMMAND_PATH.exec(path);
  const route = command?.[2] !== undefined ? COMMANDS[command[2]] : undefined;
  if (command?.[1] === undefined || route === undefined) return undefined;
  return method === 'POST' ? { route, caseId: decodeSegment(command[1]) } : 'method-not-allowed';
}

/**
 * The staff HTTP API (API Gateway HTTP API v2, JWT authorizer):
 * - `GET /api/staff/cases?assignee=&unit=&status=&overdue=true` → 200 `{cases: [...]}`
 * - `GET /api/staff/cases/{caseId}` → 200 `{case: {...}}`
 * - `POST /api/staff/cases/{caseId}/acknowledge|answer|extend|reassign|close|dissatisfied` → 201 with the
 *   command's result (200 when an identical retry replayed it); optional `Idempotency-Key` header.
 *
 * Identity comes from the verified JWT claims only (401 without). Bodies and queries are parsed with zod (400,
 * field by field, in French or in English per `Accept-Language`). Every rule lives in the use cases; errors
 * become responses in one place (`toErrorResponse`): domain errors 4xx, anything else a 500 without internals.
 */
export function makeHandler(deps: StaffApiDeps): (event: Event) => Promise<Result> {
  return async (event) => {
    const language = negotiateLanguage(event.headers?.['accept-language']);
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    const resolved = resolve(method, path);
    const routeName = `${method} ${routeTemplate(path)}`;
    if (resolved === undefined) {
      return errorResponse(
        404,
        { code: 'ROUTE_NOT_FOUND', messages: { fr: 'Cette adresse n’existe pas.', en: 'No such route.' } },
        language,
      );
    }
    if (resolved === 'method-not-allowed') {
      return errorResponse(
        405,
        {
          code: 'METHOD_NOT_ALLOWED',
          messages: {
            fr: 'Méthode non permise pour cette adresse.',
            en: 'Method not allowed on this route.',
          },
        },
        language,
      );
    }
    try {
      const identity = identityFromClaims(event.requestContext.authorizer?.jwt?.claims);
      if (identity === undefined) throw new NotAuthenticatedError();
      return await resolved.route(deps, { identity, caseId: resolved.caseId, event });
    } catch (error) {
      return toErrorResponse(
        error,
        {
          language,
          route: routeName,
          ...(event.requestContext.requestId ? { requestId: event.requestContext.requestId } : {}),
        },
        deps.logger,
      );
    }
  };
}

/** The path with the case id replaced, for logs (ids are opaque, but a route name groups better). */
function routeTemplate(path: string): string {
  return path.replace(/^(\/api\/staff\/cases\/)[^/]+/, '$1{caseId}');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The JSON body (base64-decoded when API Gateway encoded it); an absent body is an empty object, so that the
 * schema reports each missing field.
 *
 * @throws InvalidRequestError when the body is not JSON
 */
function readJsonBody(event: Event): unknown {
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

/** The client's `Idempotency-Key`, when sent. @throws InvalidRequestError when malformed */
function idempotencyOptions(event: Event): CommandOptions {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined) return {};
  return { idempotencyKey: parseRequest(IdempotencyKeyHeaderSchema, key, ['headers', 'idempotency-key']) };
}
