import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import {
  BusinessRuleError,
  CaseStateConflictError,
  DomainError,
  InvalidRequestError,
  SystemError,
  ValidationError,
} from '../../shared/errors';
import type { BilingualText, RequestIssue } from '../../shared/errors';

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

/** 404 for a path no route of the API serves. */
export function routeNotFound(language: ResponseLanguage): APIGatewayProxyStructuredResultV2 {
  return errorResponse(
    404,
    { code: 'ROUTE_NOT_FOUND', messages: { fr: 'Cette adresse n’existe pas.', en: 'No such route.' } },
    language,
  );
}

/** 405 for a route that exists with other methods (`allow`, sent as the `Allow` header). */
export function methodNotAllowed(
  language: ResponseLanguage,
  allow: readonly string[] = [],
): APIGatewayProxyStructuredResultV2 {
  return errorResponse(
    405,
    {
      code: 'METHOD_NOT_ALLOWED',
      messages: { fr: 'Méthode non permise pour cette adresse.', en: 'Method not allowed on this route.' },
    },
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

/** 413 for a body over `MAX_BODY_BYTES`, in the API's error shape. */
export function payloadTooLarge(language: ResponseLanguage): APIGatewayProxyStructuredResultV2 {
  return errorResponse(
    413,
    {
      code: 'PAYLOAD_TOO_LARGE',
      messages: {
        fr: 'Le corps de la requête dépasse la limite de 1 Mio de cette API.',
        en: 'The request body is larger than the 1 MiB this API accepts.',
      },
    },
    language,
  );
}

/** An error response: `{error: {code, message, issues?, requestId?}}` in the negotiated language. */
export function errorResponse(
  statusCode: number,
  error: {
    readonly code: string;
    readonly messages: BilingualText;
    readonly issues?: readonly RequestIssue[];
    readonly requestId?: string;
  },
  language: ResponseLanguage,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return json(
    statusCode,
    {
      error: {
        code: error.code,
        message: error.messages[language],
        ...(error.issues !== undefined
          ? { issues: error.issues.map((issue) => ({ path: issue.path, message: issue[language] })) }
          : {}),
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      },
    },
    { 'content-language': language, ...headers },
  );
}

/** HTTP status of each domain error, by name. Any other `DomainError` is a 400. */
const STATUS_BY_ERROR: Readonly<Record<string, number>> = {
  InvalidRequestError: 400,
  ValidationError: 400,
  NotAuthenticatedError: 401,
  AccessDeniedError: 403,
  CaseNotFoundError: 404,
  CaseStateConflictError: 409,
  HoldingItemNotFoundError: 404,
  HoldingItemResolvedError: 409,
  LetterNotFoundError: 404,
  AttachmentNotFoundError: 404,
  IdempotencyKeyConflictError: 409,
  LedgerConflictError: 409,
  BusinessRuleError: 422,
  IdempotencyKeyReuseError: 422,
  UnknownCategoryError: 422,
};

/** Messages of the errors that do not carry their own bilingual text, by code. */
const MESSAGES_BY_CODE: Readonly<Record<string, BilingualText>> = {
  INVALID_REQUEST: { fr: 'La requête contient des champs invalides.', en: 'The request has invalid fields.' },
  VALIDATION_FAILED: {
    fr: 'La requête contient des valeurs invalides.',
    en: 'The request has invalid values.',
  },
  NOT_AUTHENTICATED: { fr: 'Vous devez être connecté.', en: 'You must be signed in.' },
  ACCESS_DENIED: {
    fr: 'Vous n’avez pas l’autorisation de faire cette action.',
    en: 'You are not allowed to do this.',
  },
  CASE_NOT_FOUND: { fr: 'Aucun dossier ne correspond à cet identifiant.', en: 'No case matches this id.' },
  IDEMPOTENCY_KEY_CONFLICT: {
    fr: 'Cette clé d’idempotence a déjà servi à une autre action.',
    en: 'This idempotency key was already used for another action.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    fr: 'Cette clé d’idempotence a déjà servi avec une autre requête.',
    en: 'This idempotency key was already used with a different request.',
  },
  UNKNOWN_CATEGORY: {
    fr: 'Cette catégorie n’existe pas dans la politique de service.',
    en: 'This category does not exist in the service policy.',
  },
  HOLDING_ITEM_NOT_FOUND: {
    fr: 'Aucun courriel en attente ne correspond à cet identifiant.',
    en: 'No held email matches this id.',
  },
  HOLDING_ITEM_RESOLVED: {
    fr: 'Ce courriel en attente a déjà été traité autrement (voir qui, quand et comment sur l’élément).',
    en: 'This held email was already triaged otherwise (see who, when and how on the item).',
  },
  LETTER_NOT_FOUND: {
    fr: 'Aucune lettre de ce dossier ne correspond à cet identifiant.',
    en: 'No letter of this case matches this id.',
  },
  ATTACHMENT_NOT_FOUND: {
    fr: 'Aucune pièce jointe de ce dossier ne correspond à cet identifiant.',
    en: 'No attachment of this case matches this id.',
  },
  LEDGER_CONFLICT: {
    fr: 'Le dossier a été modifié en même temps; réessayez.',
    en: 'The case was changed at the same time; please retry.',
  },
};

const REFUSED: BilingualText = { fr: 'La requête a été refusée.', en: 'The request was refused.' };
const INTERNAL: BilingualText = {
  fr: 'Une erreur interne est survenue; réessayez plus tard.',
  en: 'An internal error occurred; please try again later.',
};

/**
 * The one place errors become HTTP responses. A `DomainError` (the request broke a rule) gives its 4xx with
 * its code and bilingual message; anything else is logged (error name, code and identifiers only) and gives
 * a 500 that says nothing about the internals, with the request id to quote.
 */
export function toErrorResponse(
  error: unknown,
  context: { readonly language: ResponseLanguage; readonly requestId?: string; readonly route: string },
  logger: ApiLogger,
): APIGatewayProxyStructuredResultV2 {
  const { language, requestId } = context;
  if (error instanceof DomainError) {
    const status = STATUS_BY_ERROR[error.name] ?? 400;
    const own =
      error instanceof BusinessRuleError || error instanceof CaseStateConflictError
        ? error.messages
        : undefined;
    logger.info('request refused', {
      route: context.route,
      status,
      errorName: error.name,
      errorCode: error.code,
    });
    return errorResponse(
      status,
      {
        code: error.code,
        messages: own ?? MESSAGES_BY_CODE[error.code] ?? REFUSED,
        ...(error instanceof InvalidRequestError ? { issues: error.issues } : {}),
        ...(error instanceof ValidationError ? { issues: validationIssues(error) } : {}),
      },
      language,
    );
  }
  logger.error('request failed', {
    route: context.route,
    errorName: error instanceof Error ? error.name : typeof error,
    ...(error instanceof SystemError
      ? { errorCode: error.code, transient: error.transient, details: error.details }
      : {}),
  });
  return errorResponse(
    500,
    { code: 'INTERNAL_ERROR', messages: INTERNAL, ...(requestId !== undefined ? { requestId } : {}) },
    language,
  );
}

/** Issues of a domain `ValidationError`: paths and English messages only (it never holds the values). */
function validationIssues(error: ValidationError): RequestIssue[] {
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { path?: unknown; message?: unknown }) => {
    const message = typeof issue.message === 'string' ? issue.message : 'invalid value';
    return { path: typeof issue.path === 'string' ? issue.path : '', fr: message, en: message };
  });
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
