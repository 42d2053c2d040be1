import { DomainError } from '../errors';

/**
 * Refusals of the HTTP edge itself (no route, wrong method, body too large or of the wrong type, too many
 * requests), shared by the citizen, staff and audit APIs. Like every `DomainError`, each declares its status.
 */

/** A byte count as a person reads it: `64 Kio` / `64 KiB`, `1 Mio` / `1 MiB`. */
function sizeText(bytes: number): { fr: string; en: string } {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) {
    const mib = bytes / (1024 * 1024);
    return { fr: `${mib} Mio`, en: `${mib} MiB` };
  }
  const kib = Math.ceil(bytes / 1024);
  return { fr: `${kib} Kio`, en: `${kib} KiB` };
}

/** No route of the API serves this path (404). */
export class RouteNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'RouteNotFoundError';

  constructor() {
    super('ROUTE_NOT_FOUND', 'No such route.', undefined, {
      fr: 'Cette adresse n’existe pas.',
      en: 'No such address.',
    });
  }
}

/** The route exists with other methods (405); `allow` lists them when known, for the `Allow` header. */
export class MethodNotAllowedError extends DomainError {
  static override readonly status = 405;
  override readonly name = 'MethodNotAllowedError';

  constructor(readonly allow: readonly string[] = []) {
    super(
      'METHOD_NOT_ALLOWED',
      'Method not allowed on this route.',
      undefined,
      allow.length === 1
        ? {
            fr: `Seule la méthode ${allow[0]} est permise à cette adresse.`,
            en: `Only ${allow[0]} is allowed at this address.`,
          }
        : { fr: 'Méthode non permise pour cette adresse.', en: 'Method not allowed at this address.' },
    );
  }
}

/** The body is larger than the API accepts (413); nothing was decoded. */
export class PayloadTooLargeError extends DomainError {
  static override readonly status = 413;
  override readonly name = 'PayloadTooLargeError';

  constructor(readonly maxBytes: number) {
    const size = sizeText(maxBytes);
    super(
      'PAYLOAD_TOO_LARGE',
      'The request body is too large.',
      { maxBytes },
      {
        fr: `Le corps de la requête dépasse la limite de ${size.fr} de cette API.`,
        en: `The request body is larger than the ${size.en} this API accepts.`,
      },
    );
  }
}

/** The body is neither JSON nor URL-encoded, or not in UTF-8 (415). */
export class UnsupportedMediaTypeError extends DomainError {
  static override readonly status = 415;
  override readonly name = 'UnsupportedMediaTypeError';

  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON or URL-encoded, in UTF-8.', undefined, {
      fr: 'Le corps de la requête doit être en JSON (application/json) ou encodé comme un formulaire (application/x-www-form-urlencoded), en UTF-8.',
      en: 'The request body must be JSON (application/json) or form-encoded (application/x-www-form-urlencoded), in UTF-8.',
    });
  }
}

/** The client sent too many requests lately (429, with `Retry-After`). */
export class RateLimitedError extends DomainError {
  static override readonly status = 429;
  override readonly name = 'RateLimitedError';

  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    const plural = minutes > 1 ? 's' : '';
    super(
      'RATE_LIMITED',
      'Too many submissions from this client.',
      { retryAfterSeconds },
      {
        fr: `Trop de demandes ont été envoyées depuis votre connexion. Réessayez dans ${minutes} minute${plural}.`,
        en: `Too many requests were sent from your connection. Try again in ${minutes} minute${plural}.`,
      },
    );
  }
}
