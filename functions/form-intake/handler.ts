import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { localDateOf } from '../../shared/domain/time/local-date-of';
import type { RateLimiter } from '../../shared/domain/intake/form/rate-limiter';
import { submitWebRequest } from '../../shared/domain/intake/form/submit';
import type { WebIntakeDeps, WebIntakeResult } from '../../shared/domain/intake/form/submit';
import { InvalidRequestError } from '../../shared/errors';
import {
  FormIdempotencyKeySchema,
  IDEMPOTENCY_KEY_ISSUE,
  parseFormSubmission,
} from '../../shared/schemas/form';
import { renderConfirmationPage } from '../../web/citizen/confirmation-page';
import {
  MethodNotAllowedError,
  RateLimitedError,
  RouteNotFoundError,
  html,
  json,
  lowerCaseHeaders,
  readBody,
  responseLanguage,
  responseModeOf,
  toErrorResponse,
} from './http';
import type { ApiLogger, RequestBody, ResponseLanguage, ResponseMode } from './http';
import { checkOrigin } from '../../shared/http/origin-verify';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { matchRoute } from '../../shared/http/routes';
import { CITIZEN_API_ROUTES } from './routes';

export interface FormIntakeDeps extends WebIntakeDeps {
  readonly logger: ApiLogger;
  /** The origin-verify header check: `required` in AWS, `off` (explicitly) on the local stack. */
  readonly originCheck: OriginCheck;
  /**
   * Per-client limiter (token bucket by source IP) for the local stack; absent in AWS, where the WAF
   * rate-based rule limits `POST /api/requests` across every container.
   */
  readonly rateLimiter?: RateLimiter;
}

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** Request ids are quoted as receipt evidence and in logs: only plain identifiers are kept. */
const REQUEST_ID = /^[A-Za-z0-9=._:-]{1,128}$/;

/** The request time (API Gateway's `timeEpoch`), or now when the event has none. */
function receivedAtOf(event: Event, deps: FormIntakeDeps): string {
  const epoch = event.requestContext.timeEpoch;
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch).toISOString() : deps.clock.now().toISOString();
}

/** The client's `Idempotency-Key`, when sent. @throws InvalidRequestError when malformed */
function idempotencyKeyOf(headers: Readonly<Record<string, string>>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  const parsed = FormIdempotencyKeySchema.safeParse(key);
  if (!parsed.success) throw new InvalidRequestError([IDEMPOTENCY_KEY_ISSUE]);
  return parsed.data;
}

/** @throws RouteNotFoundError, MethodNotAllowedError */
function checkRoute(event: Event): void {
  const matched = matchRoute(CITIZEN_API_ROUTES, event.requestContext.http.method, event.rawPath);
  if (matched.kind === 'not-found') throw new RouteNotFoundError();
  if (matched.kind === 'method-not-allowed') throw new MethodNotAllowedError(matched.allow);
}

/** @throws RateLimitedError */
function checkRate(deps: FormIntakeDeps, event: Event): void {
  if (deps.rateLimiter === undefined) return;
  const decision = deps.rateLimiter.take(event.requestContext.http.sourceIp || 'unknown');
  if (decision.allowed) return;
  deps.metrics.record('rate-limited');
  throw new RateLimitedError(decision.retryAfterSeconds);
}

/** 201 for a new case, 200 when the submission replayed one: JSON, or the confirmation page for a browser. */
function success(
  result: WebIntakeResult,
  mode: ResponseMode,
  language: ResponseLanguage,
  deps: FormIntakeDeps,
): Result {
  const status = result.created ? 201 : 200;
  if (mode === 'html') {
    const page = renderConfirmationPage({
      language,
      reference: result.reference,
      category: result.category,
      acknowledgementDueDate: result.acknowledgementDueDate,
      acknowledgementDueAt: result.acknowledgementDueAt,
      confidential: result.confidential,
      policy: deps.policy,
    });
    return html(status, page, language);
  }
  return json(
    status,
    {
      caseId: result.caseId,
      reference: result.reference,
      receivedAt: result.receivedAt,
      acknowledgementDueDate: result.acknowledgementDueDate,
      acknowledgementDueAt: result.acknowledgementDueAt,
    },
    language,
  );
}

/**
 * `POST /api/requests`, the citizen form's endpoint (API Gateway HTTP API v2, public, reached through the
 * citizen CloudFront distribution; without the origin-verify header CloudFront adds: 403, see `checkOrigin`):
 * - body `application/json` or `application/x-www-form-urlencoded` (UTF-8, at most 64 KiB, base64 or not):
 *   `{category, name, email, subject, message, phone?, organization?, language?, languageBasis?, arrivedOn?,
 *   attestation?, website}`; optional `Idempotency-Key` header (8–128 letters, digits, `.`, `_`, `-`);
 * - JSON: 201 `{caseId, reference, receivedAt, acknowledgementDueDate, acknowledgementDueAt}` (200 on a
 *   replay); errors as RFC 9457 problem details (`shared/http/problem.ts`, docs/http-errors.md) with 400, 404,
 *   405, 409, 413, 415, 422, 429 (`Retry-After`) or 500;
 * - URL-encoded (a browser without JavaScript): the confirmation page (201/200), or the form page again with
 *   the values and the errors, with the same statuses.
 * Messages are in the page's language (`?lang=`), else the body's `language`, else `Accept-Language`; French
 * by default. Parse → `submitWebRequest` → answer; nothing is written before every check passed; errors become
 * answers in `toErrorResponse` only. Logs hold ids, codes and field names, never what the person typed.
 */
export function makeHandler(deps: FormIntakeDeps): (event: Event) => Promise<Result> {
  return async (event) => {
    const headers = lowerCaseHeaders(event);
    const mode = responseModeOf(headers);
    const requestId = REQUEST_ID.test(event.requestContext.requestId ?? '')
      ? event.requestContext.requestId
      : undefined;
    let body: RequestBody | undefined;
    try {
      // First: a request that bypassed CloudFront (and its WAF) learns nothing else, not even the routes.
      await checkOrigin(deps.originCheck, headers);
      checkRoute(event);
      // The body (at most 64 KiB) is read before the rate check, so that a refused page keeps what was typed.
      body = readBody(event, headers);
      checkRate(deps, event);
      const idempotencyKey = idempotencyKeyOf(headers);
      const receivedAt = receivedAtOf(event, deps);
      const submission = parseFormSubmission(body.value, {
        policy: deps.policy,
        receivedOn: localDateOf(receivedAt),
      });
      const result = await submitWebRequest(deps, submission, {
        receivedAt,
        ...(requestId !== undefined ? { requestId } : {}),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      });
      deps.logger.info('web request registered', {
        caseId: result.caseId,
        category: submission.category,
        created: result.created,
        keyed: idempotencyKey !== undefined,
        ...(requestId !== undefined ? { requestId } : {}),
      });
      return success(result, mode, responseLanguage(event, headers, body.value), deps);
    } catch (error) {
      return toErrorResponse(
        error,
        {
          mode,
          language: responseLanguage(event, headers, body?.value),
          policy: deps.policy,
          ...(body?.formValues !== undefined ? { formValues: body.formValues } : {}),
          ...(requestId !== undefined ? { requestId } : {}),
        },
        deps.logger,
      );
    }
  };
}
