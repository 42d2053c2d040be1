import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { HoneypotFilledError } from '../../shared/domain/intake/form/honeypot';
import type { Policy } from '../../shared/domain/policy/schema';
import { DomainError, InvalidRequestError, SystemError } from '../../shared/errors';
import type { BilingualText, RequestIssue } from '../../shared/errors';
import {
  MethodNotAllowedError,
  PayloadTooLargeError,
  RateLimitedError,
  UnsupportedMediaTypeError,
} from '../../shared/http/errors';
import {
  domainProblem,
  internalProblem,
  issuesOf as fieldIssuesOf,
  problemResponse,
} from '../../shared/http/problem';
import type { ProblemDetails } from '../../shared/http/problem';
import { FORM_FIELDS, MAX_BODY_BYTES, issueMessage } from '../../shared/schemas/form';
import type { FormField } from '../../shared/schemas/form';
import { renderFormPage } from '../../web/citizen/form-page';
import type { FormPageError, FormValues } from '../../web/citizen/form-page';
import { negotiateLanguage } from '../staff-api/http';
import type { ApiLogger } from '../staff-api/http';

export type { ApiLogger } from '../staff-api/http';

export type ResponseLanguage = 'fr' | 'en';

/**
 * How the answer is written: `html` for a browser without JavaScript (it posted the form URL-encoded and shows
 * whatever page comes back), `json` for everything else (`form.js`, API clients).
 */
export type ResponseMode = 'json' | 'html';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

export {
  MethodNotAllowedError,
  PayloadTooLargeError,
  RateLimitedError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
} from '../../shared/http/errors';

/** Header names in lower case (API Gateway already does it; the local server may not). */
export function lowerCaseHeaders(event: Event): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

interface MediaType {
  readonly type: string;
  readonly charset?: string;
}

function mediaTypeOf(contentType: string | undefined): MediaType | undefined {
  if (contentType === undefined) return undefined;
  const [type = '', ...params] = contentType.split(';');
  const charset = params
    .map((param) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(param)?.[1])
    .find((value) => value !== undefined);
  return {
    type: type.trim().toLowerCase(),
    ...(charset !== undefined ? { charset: charset.toLowerCase() } : {}),
  };
}

/** `html` when the request came from a plain form submission (URL-encoded), `json` otherwise. */
export function responseModeOf(headers: Readonly<Record<string, string>>): ResponseMode {
  return mediaTypeOf(headers['content-type'])?.type === FORM_TYPE ? 'html' : 'json';
}

/** A decoded request body, and for a form submission what was typed (to show the page again). */
export interface RequestBody {
  readonly value: unknown;
  readonly formValues?: FormValues;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function badBody(issue: BilingualText): InvalidRequestError {
  return new InvalidRequestError([{ path: '', ...issue }]);
}

/** Whitespace-free base64 of a body (API Gateway may wrap lines). */
function compactBase64(body: string): string {
  return body.replace(/\s+/g, '');
}

/**
 * Refuses a body over `MAX_BODY_BYTES` before anything is decoded or parsed; a base64 body is measured by the
 * size it decodes to.
 *
 * @throws PayloadTooLargeError
 */
function checkSize(event: Event): void {
  const body = event.body ?? '';
  let bytes = Buffer.byteLength(body, 'utf8');
  if (event.isBase64Encoded) {
    const compact = compactBase64(body);
    const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
    bytes = Math.floor((compact.length * 3) / 4) - padding;
  }
  if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
}

/**
 * The body's text; a base64 body must be strict base64 of UTF-8 text.
 *
 * @throws InvalidRequestError
 */
function bodyText(event: Event): string {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return body;
  const compact = compactBase64(body);
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw badBody({
      fr: 'Le corps de la requête est mal encodé (base64 invalide).',
      en: 'The request body is badly encoded (invalid base64).',
    });
  }
  try {
    return utf8.decode(Buffer.from(compact, 'base64'));
  } catch {
    throw badBody({
      fr: 'Le corps de la requête doit être du texte UTF-8.',
      en: 'The request body must be UTF-8 text.',
    });
  }
}

/**
 * A URL-encoded body as an object without prototype (so `__proto__=…` is a plain, unknown key); a name given
 * twice becomes a list, which the schema refuses.
 */
function parseUrlEncoded(text: string): { value: Record<string, unknown>; formValues: FormValues } {
  const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, entry] of new URLSearchParams(text)) {
    const existing = value[name];
    if (existing === undefined) value[name] = entry;
    else value[name] = Array.isArray(existing) ? [...(existing as unknown[]), entry] : [existing, entry];
  }
  const formValues: FormValues = {};
  for (const field of FORM_FIELDS) {
    const entry = value[field];
    const first = Array.isArray(entry) ? (entry as unknown[])[0] : entry;
    if (typeof first === 'string') formValues[field] = first;
  }
  return { value, formValues };
}

/**
 * Reads the body of `POST /api/requests`: size first (413, before anything is decoded), then the media type
 * (415 unless `application/json` or `application/x-www-form-urlencoded`, UTF-8), then the content. An empty
 * body is an empty object, so that each missing field is reported.
 *
 * @throws PayloadTooLargeError, UnsupportedMediaTypeError, InvalidRequestError (invalid JSON or encoding)
 */
export function readBody(event: Event, headers: Readonly<Record<string, string>>): RequestBody {
  checkSize(event);
  const media = mediaTypeOf(headers['content-type']);
  if (media === undefined || (media.type !== JSON_TYPE && media.type !== FORM_TYPE)) {
    throw new UnsupportedMediaTypeError();
  }
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw new UnsupportedMediaTypeError();
  }
  const text = bodyText(event);
  if (media.type === FORM_TYPE) return parseUrlEncoded(text);
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    throw badBody({
      fr: 'Le corps de la requête doit être du JSON valide.',
      en: 'The request body must be valid JSON.',
    });
  }
}

/**
 * The language of the answer: the page's (`?lang=` on the form's action), else the body's `language` field,
 * else `Accept-Language`; French by default.
 */
export function responseLanguage(
  event: Event,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): ResponseLanguage {
  const page = event.queryStringParameters?.['lang'];
  if (page === 'fr' || page === 'en') return page;
  if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'language')) {
    const declared = (body as Record<string, unknown>)['language'];
    if (declared === 'fr' || declared === 'en') return declared;
  }
  return negotiateLanguage(headers['accept-language']);
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Pages answered by the Lambda: same-origin files only, nothing inline, no framing. */
const PAGE_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/** A JSON answer, never cached (it carries a case reference). */
export function json(
  statusCode: number,
  body: unknown,
  language: ResponseLanguage,
  headers: Record<string, string> = {},
): Result {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-language': language,
      ...COMMON_HEADERS,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** An HTML page, never cached. */
export function html(
  statusCode: number,
  page: string,
  language: ResponseLanguage,
  headers: Record<string, string> = {},
): Result {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': language,
      'content-security-policy': PAGE_SECURITY_POLICY,
      ...COMMON_HEADERS,
      ...headers,
    },
    body: page,
  };
}

/**
 * Where the citizen API words a refusal for the person filling in the form rather than with the error type's
 * own (staff-facing) text: the form's summary, and advice a citizen can follow. Wording only: the status is
 * always the error type's.
 */
const CITIZEN_WORDING: Readonly<Record<string, BilingualText>> = {
  INVALID_REQUEST: {
    fr: 'Le formulaire contient des erreurs; corrigez les champs indiqués.',
    en: 'The form has errors; correct the fields shown.',
  },
  VALIDATION_FAILED: {
    fr: 'Le formulaire contient des valeurs refusées; vérifiez-les.',
    en: 'The form has values that were refused; check them.',
  },
  LEDGER_CONFLICT: {
    fr: 'Votre demande n’a pas pu être enregistrée pour le moment; envoyez-la de nouveau dans quelques instants.',
    en: 'Your request could not be registered right now; send it again in a few moments.',
  },
  PAYLOAD_TOO_LARGE: {
    fr: `Votre demande est trop longue (plus de ${MAX_BODY_BYTES / 1024} Kio). Raccourcissez votre message ou envoyez les documents longs par courriel.`,
    en: `Your request is too long (over ${MAX_BODY_BYTES / 1024} KiB). Shorten your message or send long documents by email.`,
  },
  IDEMPOTENCY_KEY_REUSED: {
    fr: 'Cette demande a déjà été envoyée avec un contenu différent sous la même clé (Idempotency-Key). Pour envoyer une nouvelle demande, rechargez le formulaire.',
    en: 'This request was already sent with different content under the same key (Idempotency-Key). To send a new request, reload the form.',
  },
  UNKNOWN_CATEGORY: {
    fr: 'Ce type de demande n’existe pas; choisissez-en un dans la liste.',
    en: 'This type of request does not exist; choose one from the list.',
  },
};

const INTERNAL: BilingualText = {
  fr: 'Une erreur est survenue de notre côté et votre demande n’a peut-être pas été enregistrée. Envoyez-la de nouveau dans quelques minutes; elle ne sera pas enregistrée en double.',
  en: 'An error occurred on our side and your request may not have been registered. Send it again in a few minutes; it will not be registered twice.',
};

/** The issues of a refusal, field by field (the honeypot's on its own field). */
function issuesOf(error: DomainError): readonly RequestIssue[] {
  if (error instanceof HoneypotFilledError)
    return [{ path: 'website', ...issueMessage('website', 'required') }];
  return fieldIssuesOf(error);
}

/** What the error answer needs to know about the request. */
export interface ErrorContext {
  readonly mode: ResponseMode;
  readonly language: ResponseLanguage;
  readonly policy: Policy;
  /** What the person typed, for the form page shown again. */
  readonly formValues?: FormValues;
  readonly requestId?: string;
}

function isFormField(field: string): field is FormField {
  return (FORM_FIELDS as readonly string[]).includes(field);
}

/**
 * The one place errors become HTTP answers. A `DomainError` gives its class's 4xx: in JSON, RFC 9457 problem
 * details (`shared/http/problem.ts`) in the request's language, with the fields' errors; for a browser without
 * JavaScript the form page again, with the values typed and the errors next to the fields and in the summary.
 * Anything else is logged (error name and code only) and answers 500 without internals, with the request id
 * to quote.
 */
export function toErrorResponse(error: unknown, context: ErrorContext, logger: ApiLogger): Result {
  const { language, mode } = context;
  const headers: Record<string, string> = {};
  let problem: ProblemDetails;
  let issues: readonly RequestIssue[] = [];
  if (error instanceof DomainError) {
    issues = issuesOf(error);
    const wording = CITIZEN_WORDING[error.code];
    problem = domainProblem(error, language, {
      issues,
      ...(wording !== undefined ? { messages: wording } : {}),
    });
    if (error instanceof RateLimitedError) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof MethodNotAllowedError) headers['allow'] = error.allow.join(', ');
    logger.info('request refused', {
      status: error.status,
      errorName: error.name,
      errorCode: error.code,
      ...(issues.length > 0 ? { fields: issues.map((issue) => issue.path) } : {}),
      ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
    });
  } else {
    logger.error('request failed', {
      errorName: error instanceof Error ? error.name : typeof error,
      ...(error instanceof SystemError ? { errorCode: error.code, transient: error.transient } : {}),
      ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
    });
    problem = internalProblem(language, context.requestId, INTERNAL);
  }

  const { status } = problem;
  if (mode === 'html' && status !== 403 && status !== 404 && status !== 405) {
    const fieldErrors: FormPageError[] = issues.map((issue) => ({
      field: isFormField(issue.path) ? issue.path : '',
      message: issue[language],
    }));
    const errors = fieldErrors.length > 0 ? fieldErrors : [{ field: '', message: problem.detail }];
    const page = renderFormPage({
      language,
      policy: context.policy,
      values: context.formValues ?? {},
      errors,
    });
    return html(status, page, language, headers);
  }
  return problemResponse(problem, language, { ...COMMON_HEADERS, ...headers });
}
