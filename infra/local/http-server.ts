import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import path from 'node:path';

import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

import { RoleSchema } from '../../shared/domain/identity/identity';
import { matchHttpApiRoute, toHttpApiEvent, writeHttpApiResult } from './api-gateway';
import type { HttpApiRoute } from './api-gateway';
import type { LocalIdentityProvider } from './auth/local-identity-provider';
import { toAuthorizerClaims, TokenRejectedError } from './auth/local-identity-provider';
import type { ActivityTracker } from './clock/activity-tracker';
import { ClockRequestError, parseClockMove, RealClockError } from './clock-control';
import type { ClockControl } from './clock-control';
import type { ReplanSummary } from '../../shared/domain/workflow/replan';
import type { LocalConsole } from './console-log';
import { DEMO_USERS } from './demo-users';
import type { Outbox } from './outbox';
import { renderOutboxPage } from './outbox';

/** A Lambda behind an HTTP API route (the staff API takes the JWT-authorizer event, a subtype). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HttpApiHandler = (event: any) => Promise<APIGatewayProxyResultV2>;

/** A route, whether API Gateway verifies a JWT before it, and the function it invokes. */
export interface ApiRouteBinding extends HttpApiRoute {
  readonly authorizer: 'jwt' | 'none';
  readonly handler: HttpApiHandler;
  /**
   * The function's own body limit, below API Gateway's: past it the server stops reading and answers what the
   * function answers for such a body (`tooLarge`, from the request's headers), without invoking it.
   */
  readonly bodyLimit?: {
    readonly maxBytes: number;
    readonly tooLarge: (
      headers: Readonly<Record<string, string | string[] | undefined>>,
    ) => APIGatewayProxyResultV2;
  };
}

/** A page the local server renders for a GET path (the citizen form, in its languages). */
export type PageRenderer = (
  pathname: string,
  query: URLSearchParams,
) => { status: number; html: string } | undefined;

/**
 * Everything the one local HTTP server dispatches to. Filled in while the stack starts (the server listens
 * first, so that the Step Functions facade and its port exist before the handlers that call it); `ready`
 * turns `/healthz` green and opens the API routes.
 */
export interface LocalHttpApp {
  ready: boolean;
  readonly activity: ActivityTracker;
  readonly identity: LocalIdentityProvider;
  readonly outbox: Outbox;
  readonly console: LocalConsole;
  clock?: ClockControl;
  /** Re-plans the open cases after a calendar change (`POST /api/local/replan`, `npx jalon replan`). */
  replan?: () => Promise<ReplanSummary>;
  sfn?: RequestListener;
  routes: ApiRouteBinding[];
  pages?: PageRenderer;
  /** Files served at the site root, after the pages (the citizen pages' stylesheet and script). */
  staticDir?: string;
}

/**
 * The citizen distribution's Content Security Policy (`CITIZEN_CONTENT_SECURITY_POLICY` in
 * `infra/aws/constructs/citizen-distribution.ts`) without `upgrade-insecure-requests`, which would send the
 * pages' own requests to https on a server that only speaks http. Serving the pages under it locally shows
 * anything inline that CloudFront would block.
 */
export const LOCAL_CITIZEN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

/** The outbox page: its own inline styles, and each message's HTML part in a sandboxed `srcdoc` frame. */
const OUTBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; base-uri 'none'";

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/**
 * The local stack's HTTP server (node:http): API Gateway routes (events in payload format 2.0, JWT verified
 * like the authorizer), the Step Functions facade under `/sfn`, the local-only routes and the web pages.
 */
export function createLocalHttpServer(app: LocalHttpApp): Server {
  return createServer((request, response) => {
    dispatch(app, request, response).catch((error: unknown) => {
      app.console.error('local http request failed', {
        path: new URL(request.url ?? '/', 'http://localhost').pathname,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
}

async function dispatch(
  app: LocalHttpApp,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', 'http://localhost');
  const pathname = url.pathname;

  if (pathname === '/sfn' || pathname.startsWith('/sfn/')) {
    if (app.sfn === undefined) return sendJson(response, 503, { message: 'Step Functions is starting.' });
    app.sfn(request, response);
    return;
  }
  if (pathname === '/healthz') {
    return sendJson(response, app.ready ? 200 : 503, { status: app.ready ? 'ok' : 'starting' });
  }
  if (
    pathname.startsWith('/api/local/') ||
    pathname === '/local/outbox' ||
    pathname.startsWith('/local-idp/')
  ) {
    return localRoute(app, method, pathname, request, response);
  }
  if (pathname.startsWith('/api/')) return apiRoute(app, method, url, request, response);
  return webRoute(app, method, url, response);
}

async function apiRoute(
  app: LocalHttpApp,
  method: string,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const matched = matchHttpApiRoute(app.routes, method, url.pathname);
  const binding =
    matched === undefined
      ? undefined
      : app.routes.find((route) => `${route.method} ${route.path}` === matched.routeKey);
  if (matched === undefined || binding === undefined)
    return sendJson(response, 404, { message: 'Not Found' });
  if (!app.ready) return sendJson(response, 503, { message: 'Service Unavailable' });

  let claims: Record<string, string> | undefined;
  if (binding.authorizer === 'jwt') {
    try {
      claims = toAuthorizerClaims(app.identity.verify(headerValue(request, 'authorization')));
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      app.console.info('token refused', { route: matched.routeKey, reason: error.message });
      response.setHeader('www-authenticate', 'Bearer');
      return sendJson(response, 401, { message: 'Unauthorized' });
    }
  }

  // Tracked from here until the response is written, so the virtual clock never moves under a request.
  const end = app.activity.begin(`http ${matched.routeKey}`);
  try {
    let body: Buffer;
    try {
      body = await readBody(request, binding.bodyLimit?.maxBytes ?? MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      // The rest of the body is discarded as it comes; the connection closes after this answer.
      response.setHeader('connection', 'close');
      if (binding.bodyLimit !== undefined)
        return writeHttpApiResult(response, binding.bodyLimit.tooLarge(request.headers));
      return sendJson(response, 413, { message: 'Request Entity Too Large' });
    }
    const event = toHttpApiEvent(
      {
        method,
        url: request.url ?? '/',
        headers: request.headers,
        body,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      },
      matched,
      { now: new Date(), ...(claims !== undefined ? { claims } : {}) },
    );
    let result: APIGatewayProxyResultV2;
    try {
      result = await binding.handler(event as APIGatewayProxyEventV2);
    } catch (error) {
      // A function error: API Gateway answers 500 without details.
      app.console.error('function failed', {
        route: matched.routeKey,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      return sendJson(response, 500, { message: 'Internal Server Error' });
    }
    writeHttpApiResult(response, result);
  } finally {
    end();
  }
}

async function localRoute(
  app: LocalHttpApp,
  method: string,
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const route = `${method} ${pathname.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /api/local/outbox':
      return sendJson(response, 200, { messages: app.outbox.messages() });
    case 'GET /local/outbox':
      return sendHtml(response, 200, renderOutboxPage(app.outbox.messages()), OUTBOX_CSP);
    case 'GET /local-idp/.well-known/jwks.json':
      return sendJson(response, 200, app.identity.jwks());
    case 'POST /api/local/login': {
      const body = await readJson(request);
      const role = RoleSchema.safeParse((body as { role?: unknown } | undefined)?.role);
      if (!role.success) {
        return sendJson(response, 400, {
          message: 'Send {"role": …} with one of the demo roles.',
          roles: RoleSchema.options,
        });
      }
      const user = DEMO_USERS[role.data];
      const { token, expiresAt } = app.identity.issue(user);
      return sendJson(response, 200, {
        token,
        expiresAt,
        user: {
          sub: user.sub,
          name: user.name,
          email: user.email,
          roles: user['cognito:groups'],
          units: user['custom:units'].split(',').filter((unit) => unit !== ''),
        },
      });
    }
    case 'GET /api/local/clock': {
      const clock = app.clock;
      if (clock === undefined) return sendJson(response, 503, { message: 'The clock is starting.' });
      return sendJson(response, 200, { now: clock.now().toISOString(), virtual: clock.virtual });
    }
    case 'POST /api/local/clock': {
      const clock = app.clock;
      if (clock === undefined || !app.ready)
        return sendJson(response, 503, { message: 'The stack is starting.' });
      try {
        const move = parseClockMove(await readJson(request));
        const now = await clock.move(move);
        return sendJson(response, 200, { now: now.toISOString() });
      } catch (error) {
        if (error instanceof RealClockError) return sendJson(response, 409, { message: error.message });
        if (error instanceof ClockRequestError || error instanceof RangeError) {
          return sendJson(response, 400, { message: error.message });
        }
        if (error instanceof Error && error.name === 'ClockStalledError') {
          return sendJson(response, 503, { message: error.message });
        }
        throw error;
      }
    }
    case 'POST /api/local/replan': {
      const replan = app.replan;
      if (replan === undefined || !app.ready)
        return sendJson(response, 503, { message: 'The stack is starting.' });
      const end = app.activity.begin('http POST /api/local/replan');
      try {
        return sendJson(response, 200, await replan());
      } finally {
        end();
      }
    }
    default:
      return sendJson(response, 404, { message: 'Not Found' });
  }
}

function webRoute(app: LocalHttpApp, method: string, url: URL, response: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD') return sendText(response, 405, 'Method Not Allowed');
  const page = app.pages?.(url.pathname, url.searchParams);
  if (page !== undefined) return sendHtml(response, page.status, page.html, LOCAL_CITIZEN_CSP);
  const file = app.staticDir === undefined ? undefined : staticFile(app.staticDir, url.pathname);
  if (file !== undefined) return sendStatic(file, response);
  return sendText(response, 404, 'Not Found');
}

/** The file under `root` a URL path names, if it exists (never outside `root`). */
function staticFile(root: string, pathname: string): { path: string; size: number } | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const resolved = path.resolve(root, `.${relative}`);
  if (!resolved.startsWith(`${path.resolve(root)}${path.sep}`)) return undefined;
  try {
    const stats = statSync(resolved);
    return stats.isFile() ? { path: resolved, size: stats.size } : undefined;
  } catch {
    return undefined;
  }
}

function sendStatic(file: { path: string; size: number }, response: ServerResponse): void {
  const resolved = file.path;
  const size = file.size;
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(resolved).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': 'no-cache',
  });
  createReadStream(resolved).pipe(response);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request body, up to `maxBytes`. Over it (announced by `content-length`, or once the bytes received pass
 * it), rejects with `PayloadTooLargeError` at once: nothing more is kept, the rest is read and dropped so the
 * answer can be written, and past API Gateway's own limit the connection is cut.
 */
function readBody(request: IncomingMessage, maxBytes: number = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = () => {
      request.removeAllListeners('data');
      request.removeAllListeners('end');
      let discarded = size;
      request.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > MAX_BODY_BYTES) request.destroy();
      });
      request.resume();
      reject(new PayloadTooLargeError());
    };
    const announced = Number(request.headers['content-length']);
    if (Number.isFinite(announced) && announced > maxBytes) return refuse();
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return refuse();
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A JSON body, or `undefined` when it is empty or not JSON (the routes then answer 400). */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
  });
  response.end(payload);
}

function sendHtml(response: ServerResponse, status: number, html: string, csp: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });
  response.end(html);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
