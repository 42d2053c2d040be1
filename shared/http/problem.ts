import { BusinessRuleError, DomainError, InvalidRequestError, ValidationError } from '../errors';
import type { BilingualText, RequestIssue } from '../errors';

/**
 * Error answers of every Jalon HTTP API (citizen, staff, audit): RFC 9457 problem details, in one shape.
 *
 * `{type, title, status, detail, code, messages: {fr, en}, errors?: [{field, pointer, detail, messages}],
 * requestId?}` as `application/problem+json`: `title` and `detail` in the negotiated language (also in
 * `Content-Language`), `messages` in both, `type` a stable URN per code (`urn:jalon:problem:case-not-found`),
 * `pointer` the RFC 6901 JSON Pointer of the field. See docs/http-errors.md.
 */

export type ProblemLanguage = 'fr' | 'en';

/** One field of the request that was refused. */
export interface ProblemFieldError {
  /** Dotted path as the schemas name it (`to.unit`, `query.from`); empty for the request as a whole. */
  readonly field: string;
  /** The same path as a JSON Pointer (RFC 6901): `/to/unit`, `/query/from`, `` for the whole request. */
  readonly pointer: string;
  readonly detail: string;
  readonly messages: BilingualText;
}

/** The body of an error answer. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly messages: BilingualText;
  readonly errors?: readonly ProblemFieldError[];
  readonly requestId?: string;
}

/** What an API Lambda returns (API Gateway HTTP API, payload v2). */
export interface ProblemResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TYPE_PREFIX = 'urn:jalon:problem:';

/** The code of an unexpected failure (500). */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR';

/** The stable type URI of a code: `CASE_NOT_FOUND` → `urn:jalon:problem:case-not-found`. */
export function problemType(code: string): string {
  return `${TYPE_PREFIX}${code.toLowerCase().replace(/_/g, '-')}`;
}

/** A dotted field path as an RFC 6901 JSON Pointer (`~` → `~0`, `/` → `~1` within a segment). */
export function jsonPointer(path: string): string {
  if (path === '') return '';
  return path
    .split('.')
    .map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** The short, per-status summary (`title`): the same for every occurrence of a type. */
const TITLES: Readonly<Record<number, BilingualText>> = {
  400: { fr: 'Requête invalide', en: 'Bad request' },
  401: { fr: 'Connexion requise', en: 'Unauthorized' },
  403: { fr: 'Accès refusé', en: 'Forbidden' },
  404: { fr: 'Introuvable', en: 'Not found' },
  405: { fr: 'Méthode non permise', en: 'Method not allowed' },
  409: { fr: 'Conflit', en: 'Conflict' },
  413: { fr: 'Requête trop volumineuse', en: 'Content too large' },
  415: { fr: 'Type de contenu non pris en charge', en: 'Unsupported media type' },
  422: { fr: 'Requête refusée', en: 'Unprocessable content' },
  429: { fr: 'Trop de requêtes', en: 'Too many requests' },
  500: { fr: 'Erreur interne', en: 'Internal server error' },
};
const OTHER_TITLE: BilingualText = { fr: 'Requête refusée', en: 'Request refused' };

/** What a 500 says by default: nothing about the internals. */
export const INTERNAL_MESSAGES: BilingualText = {
  fr: 'Une erreur interne est survenue; réessayez plus tard.',
  en: 'An internal error occurred; please try again later.',
};

/** What a problem is made of, before it is written in one language. */
export interface ProblemInput {
  readonly status: number;
  readonly code: string;
  readonly messages: BilingualText;
  readonly issues?: readonly RequestIssue[];
  readonly requestId?: string;
}

/** The problem details of `input`, `title` and `detail` in `language`. */
export function problemDetails(input: ProblemInput, language: ProblemLanguage): ProblemDetails {
  const title = TITLES[input.status] ?? OTHER_TITLE;
  const issues = input.issues ?? [];
  return {
    type: problemType(input.code),
    title: title[language],
    status: input.status,
    detail: input.messages[language],
    code: input.code,
    messages: { fr: input.messages.fr, en: input.messages.en },
    ...(issues.length > 0
      ? {
          errors: issues.map((issue) => ({
            field: issue.path,
            pointer: jsonPointer(issue.path),
            detail: issue[language],
            messages: { fr: issue.fr, en: issue.en },
          })),
        }
      : {}),
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  };
}

/** The answer carrying `problem` (never cached: a refusal may name a case). */
export function problemResponse(
  problem: ProblemDetails,
  language: ProblemLanguage,
  headers: Record<string, string> = {},
): ProblemResult {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-language': language,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}

/**
 * The field issues a refusal carries: a schema's (`InvalidRequestError`), a domain value's (`ValidationError`),
 * or a business rule's about one field (`BusinessRuleError` with `details.field`: its own words on that field).
 */
export function issuesOf(error: DomainError): readonly RequestIssue[] {
  if (error instanceof InvalidRequestError) return error.issues;
  const field = error.details?.['field'];
  if (error instanceof BusinessRuleError && typeof field === 'string') {
    return [{ path: field, fr: error.messages.fr, en: error.messages.en }];
  }
  if (error instanceof ValidationError) {
    const issues = error.details?.['issues'];
    if (!Array.isArray(issues)) return [];
    // Domain validation messages exist in English only: both languages say the same.
    return issues.map((issue: { path?: unknown; message?: unknown }) => {
      const message = typeof issue.message === 'string' ? issue.message : 'invalid value';
      return { path: typeof issue.path === 'string' ? issue.path : '', fr: message, en: message };
    });
  }
  return [];
}

/**
 * The problem of a refusal: its class's status, its code, its own bilingual messages (or `messages` when the
 * API words it for its readers) and its field issues.
 */
export function domainProblem(
  error: DomainError,
  language: ProblemLanguage,
  options: { readonly messages?: BilingualText; readonly issues?: readonly RequestIssue[] } = {},
): ProblemDetails {
  return problemDetails(
    {
      status: error.status,
      code: error.code,
      messages: options.messages ?? error.messages,
      issues: options.issues ?? issuesOf(error),
    },
    language,
  );
}

/**
 * The problem of an unexpected failure (500): a fixed sentence, nothing about the error, and the request id
 * (in `requestId` and at the end of `detail`) for the person to quote.
 */
export function internalProblem(
  language: ProblemLanguage,
  requestId: string | undefined,
  messages: BilingualText = INTERNAL_MESSAGES,
): ProblemDetails {
  const quoted: BilingualText =
    requestId === undefined
      ? messages
      : {
          fr: `${messages.fr} Code de la requête\u00a0: ${requestId}`,
          en: `${messages.en} Request code: ${requestId}`,
        };
  return problemDetails(
    {
      status: 500,
      code: INTERNAL_ERROR_CODE,
      messages: quoted,
      ...(requestId !== undefined ? { requestId } : {}),
    },
    language,
  );
}
