/**
 * Named errors shared by the domain, the adapters and the handlers.
 *
 * Two families, so that one mapping in the HTTP layer is enough:
 * - `DomainError`: the request broke a business rule or lost a race; HTTP handlers answer 4xx.
 * - `SystemError`: the system failed (storage, corrupted history); HTTP handlers answer 500 and alarm.
 *
 * Every class sets `name` explicitly: it is what a Step Functions `Catch` matches, and bundlers rename classes.
 * `details` carries identifiers and codes only, never message bodies, names or addresses.
 */

export type ErrorDetails = Readonly<Record<string, unknown>>;

/** What any refusal says when its type has no words of its own. */
const REFUSED: BilingualText = { fr: 'La requête a été refusée.', en: 'The request was refused.' };

/**
 * A business rule refused the request (4xx). Subclasses fix `name` and `code`, declare their HTTP status
 * (`static override readonly status`, read through `error.status`; a unit test fails when one does not) and
 * pass what the person is told in French and English (`messages`, the English `message` stays for logs and
 * workflow `Cause`s).
 */
export class DomainError extends Error {
  /** HTTP status of this kind of refusal. */
  static readonly status: number = 400;
  override readonly name: string = 'DomainError';
  readonly code: string;
  readonly details?: ErrorDetails;
  readonly messages: BilingualText;

  constructor(code: string, message: string, details?: ErrorDetails, messages: BilingualText = REFUSED) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
    this.messages = messages;
  }

  /** The HTTP status declared by the error's class. */
  get status(): number {
    return (this.constructor as typeof DomainError).status;
  }
}

/** The system failed, not the request (5xx). `transient` says whether retrying later may succeed. */
export class SystemError extends Error {
  override readonly name: string = 'SystemError';
  readonly code: string;
  readonly transient: boolean;
  readonly details?: ErrorDetails;

  constructor(code: string, message: string, options: { transient?: boolean; details?: ErrorDetails } = {}) {
    super(message);
    this.code = code;
    this.transient = options.transient ?? false;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** A value failed its schema (paths and issue codes only in `details`, never the values). */
export class ValidationError extends DomainError {
  static override readonly status = 400;
  override readonly name = 'ValidationError';

  constructor(message: string, issues: readonly { path: string; code: string; message: string }[]) {
    super(
      'VALIDATION_FAILED',
      message,
      { issues },
      { fr: 'La requête contient des valeurs invalides.', en: 'The request has invalid values.' },
    );
  }
}

export class CaseNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'CaseNotFoundError';

  constructor(caseId: string) {
    super(
      'CASE_NOT_FOUND',
      'No case has this id.',
      { caseId },
      { fr: 'Aucun dossier ne correspond à cet identifiant.', en: 'No case matches this id.' },
    );
  }
}

export class CaseAlreadyExistsError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'CaseAlreadyExistsError';

  constructor(caseId: string) {
    super(
      'CASE_ALREADY_EXISTS',
      'A case with this id has already been received.',
      { caseId },
      { fr: 'Ce dossier a déjà été reçu.', en: 'This case has already been received.' },
    );
  }
}

/** Appending kept losing the race for the next sequence number; the caller may retry later. */
export class LedgerConflictError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'LedgerConflictError';

  constructor(caseId: string, attempts: number) {
    super(
      'LEDGER_CONFLICT',
      `Could not append to the case ledger after ${attempts} attempts.`,
      { caseId, attempts },
      {
        fr: 'Le dossier a été modifié en même temps; réessayez.',
        en: 'The case was changed at the same time; please retry.',
      },
    );
  }
}

/** An idempotency key was reused for a different kind of event: a caller bug, never a replay. */
export class IdempotencyKeyConflictError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'IdempotencyKeyConflictError';

  constructor(details: { caseId: string; seq: number; recordedType: string; requestedType: string }) {
    super(
      'IDEMPOTENCY_KEY_CONFLICT',
      'This idempotency key already recorded another kind of event.',
      details,
      {
        fr: 'Cette clé d’idempotence a déjà servi à une autre action.',
        en: 'This idempotency key was already used for another action.',
      },
    );
  }
}

/** The ledger of a case is not an intact hash chain (changed, missing or reordered events). */
export class LedgerIntegrityError extends SystemError {
  override readonly name = 'LedgerIntegrityError';

  constructor(caseId: string, seq: number, problem: string) {
    super('LEDGER_INTEGRITY', `The case ledger fails verification at seq ${seq}: ${problem}.`, {
      details: { caseId, seq, problem },
    });
  }
}

/** The events of a case cannot be folded: the history does not start with exactly one receipt. */
export class CaseHistoryError extends SystemError {
  override readonly name = 'CaseHistoryError';

  constructor(caseId: string, seq: number, problem: string) {
    super('CASE_HISTORY_INVALID', `The case history cannot be folded at seq ${seq}: ${problem}.`, {
      details: { caseId, seq, problem },
    });
  }
}

/** The yearly reference counter went past what the reference format can hold. */
export class ReferenceExhaustedError extends SystemError {
  override readonly name = 'ReferenceExhaustedError';

  constructor(prefix: string, year: number) {
    super('REFERENCE_EXHAUSTED', 'The reference sequence for this prefix and year is exhausted.', {
      details: { prefix, year },
    });
  }
}

/** A storage call failed. `details` names the operation, the logical table and the service's error name. */
export class StoreError extends SystemError {
  override readonly name: string = 'StoreError';

  constructor(message: string, options: { transient: boolean; details: ErrorDetails }) {
    super(options.transient ? 'STORE_UNAVAILABLE' : 'STORE_FAILURE', message, options);
  }
}

/** A storage call failed in a way that usually passes (throttling, service unavailable, network). */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';

  constructor(details: ErrorDetails) {
    super('The store is unavailable; retry later.', { transient: true, details });
  }
}

/** A message in the two languages a staff member or a requester may read. */
export interface BilingualText {
  readonly fr: string;
  readonly en: string;
}

/** The caller is not signed in (no verified identity on the request). */
export class NotAuthenticatedError extends DomainError {
  static override readonly status = 401;
  override readonly name = 'NotAuthenticatedError';

  constructor() {
    super('NOT_AUTHENTICATED', 'A signed-in staff identity is required.', undefined, {
      fr: 'Vous devez être connecté.',
      en: 'You must be signed in.',
    });
  }
}

/**
 * The signed-in person may not do this. Only thrown where refusing does not reveal anything the person may not
 * know: a confidential case they may not see is reported as not found instead (`CaseNotFoundError`).
 */
export class AccessDeniedError extends DomainError {
  static override readonly status = 403;
  override readonly name = 'AccessDeniedError';

  constructor(action: string, details: ErrorDetails = {}) {
    super(
      'ACCESS_DENIED',
      `Not allowed to ${action}.`,
      { action, ...details },
      { fr: 'Vous n’avez pas l’autorisation de faire cette action.', en: 'You are not allowed to do this.' },
    );
  }
}

/**
 * The case is not in a state that allows the action (already acknowledged, closed, not yet registered…).
 * `messages` says why in French and English.
 */
export class CaseStateConflictError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'CaseStateConflictError';

  constructor(code: string, messages: BilingualText, details: ErrorDetails) {
    super(code, messages.en, details, messages);
  }
}

/**
 * A well-formed request breaks a business rule (a promised date on a holiday, beyond the maximum delay…).
 * `messages` says why in French and English; `details` holds the rule code and the dates involved.
 */
export class BusinessRuleError extends DomainError {
  static override readonly status = 422;
  override readonly name = 'BusinessRuleError';

  constructor(code: string, messages: BilingualText, details: ErrorDetails = {}) {
    super(code, messages.en, details, messages);
  }
}

/** A client idempotency key was sent again with a different request: a client bug, never a retry. */
export class IdempotencyKeyReuseError extends DomainError {
  static override readonly status = 422;
  override readonly name = 'IdempotencyKeyReuseError';

  constructor(details: { caseId: string; command: string }) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was already used with a different request.',
      details,
      {
        fr: 'Cette clé d’idempotence a déjà servi avec une autre requête.',
        en: 'This idempotency key was already used with a different request.',
      },
    );
  }
}

/** A stored case names a category that the loaded policy does not define (a configuration fault). */
export class CasePolicyMismatchError extends SystemError {
  override readonly name = 'CasePolicyMismatchError';

  constructor(caseId: string, categoryId: string) {
    super('CASE_POLICY_MISMATCH', 'The case category is not defined by the loaded policy.', {
      details: { caseId, categoryId },
    });
  }
}

/** A port this deployment has not wired yet was called (fails closed rather than pretending to work). */
export class PortNotConfiguredError extends SystemError {
  override readonly name = 'PortNotConfiguredError';

  constructor(port: string) {
    super('PORT_NOT_CONFIGURED', `The ${port} port is not configured in this deployment.`, {
      details: { port },
    });
  }
}

/** A dependency failed in a way worth retrying (throttling, a 5xx): the workflow's `Retry` matches this name. */
export class TransientError extends SystemError {
  override readonly name: string = 'TransientError';

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(code, message, { transient: true, ...(details ? { details } : {}) });
  }
}

/** The step the workflow asked for is not (or no longer) due: the state machine re-checks the case. */
export class StepNotDueError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'StepNotDueError';

  constructor(caseId: string, stepId: string) {
    super(
      'STEP_NOT_DUE',
      `step ${stepId} is not due`,
      { caseId, stepId },
      {
        fr: 'Cette étape du traitement n’est pas (ou plus) due.',
        en: 'This workflow step is not (or no longer) due.',
      },
    );
  }
}

/** A staff notification has nobody to go to: a configuration error a person must fix, never a silent drop. */
export class NoRecipientError extends DomainError {
  static override readonly status = 422;
  override readonly name = 'NoRecipientError';

  constructor(caseId: string, key: string) {
    super(
      'NO_RECIPIENT',
      `no recipient configured for ${key}`,
      { caseId, key },
      {
        fr: 'Aucun destinataire n’est configuré pour cet avis.',
        en: 'No recipient is configured for this notice.',
      },
    );
  }
}

/** The state machine passed a task input the workflow Lambda does not understand (a deployment mismatch). */
export class InvalidTaskInputError extends DomainError {
  static override readonly status = 400;
  override readonly name = 'InvalidTaskInputError';

  constructor(issues: string) {
    super('INVALID_TASK_INPUT', `invalid workflow task input: ${issues}`, undefined, {
      fr: 'L’entrée de la tâche de traitement est invalide.',
      en: 'The workflow task input is invalid.',
    });
  }
}

/** One field of a request that failed its schema, explained in French and English (never echoing the value). */
export interface RequestIssue {
  /** Dotted path of the field (`to.unit`), empty for the whole body. */
  readonly path: string;
  readonly fr: string;
  readonly en: string;
}

/** An HTTP request body, query or header failed its schema (400), field by field in both languages. */
export class InvalidRequestError extends DomainError {
  static override readonly status = 400;
  override readonly name = 'InvalidRequestError';
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[]) {
    super(
      'INVALID_REQUEST',
      'The request has invalid fields.',
      { paths: issues.map((issue) => issue.path) },
      { fr: 'La requête contient des champs invalides.', en: 'The request has invalid fields.' },
    );
    this.issues = issues;
  }
}

/**
 * Sending an email failed and retrying will not help: a person must look (paused or suspended account,
 * unexpected answer). `details` holds the template id, the case id, the service's error name, status and
 * request id: never an address, a subject or a body (SES messages may quote addresses, so they are dropped).
 */
export class EmailSendError extends SystemError {
  override readonly name: string = 'EmailSendError';

  constructor(message: string, options: { code?: string; details: ErrorDetails }) {
    super(options.code ?? 'EMAIL_SEND_FAILED', message, { transient: false, details: options.details });
  }
}

/**
 * The mail service is throttling or failing (429, 5xx, network): retrying later may succeed. A
 * `TransientError` with its own name, which the workflow's `Retry` must list (as it lists
 * `StoreUnavailableError`).
 */
export class EmailServiceUnavailableError extends TransientError {
  override readonly name = 'EmailServiceUnavailableError';

  constructor(details: ErrorDetails) {
    super('EMAIL_SERVICE_UNAVAILABLE', 'The mail service is unavailable; retry later.', details);
  }
}

/** The mail service refused this message (content, sender identity, request shape): retrying cannot help. */
export class EmailRejectedError extends EmailSendError {
  override readonly name = 'EmailRejectedError';

  constructor(details: ErrorDetails) {
    super('The mail service rejected the message.', { code: 'EMAIL_REJECTED', details });
  }
}

/**
 * A recipient, reply-to or sender address is not a plausible single address (empty, line break, control
 * character, display name where none is allowed). Checked before anything is sent.
 */
export class InvalidEmailAddressError extends EmailSendError {
  override readonly name = 'InvalidEmailAddressError';

  constructor(details: {
    field: 'to' | 'replyTo' | 'from';
    index?: number;
    problem: string;
    template?: string;
  }) {
    super(`The ${details.field} address is not usable: ${details.problem}.`, {
      code: 'EMAIL_ADDRESS_INVALID',
      details,
    });
  }
}

/**
 * An object-store (S3) call failed. `details` names the operation, the logical bucket (`raw-mail`,
 * `attachments`) and the service's error name, status and request id: never an object's content.
 */
export class ObjectStoreError extends SystemError {
  override readonly name: string = 'ObjectStoreError';

  constructor(message: string, options: { transient: boolean; details: ErrorDetails }) {
    super(options.transient ? 'OBJECT_STORE_UNAVAILABLE' : 'OBJECT_STORE_FAILURE', message, options);
  }
}

/** The object store is throttling, failing or unreachable: retrying later may succeed. */
export class ObjectStoreUnavailableError extends ObjectStoreError {
  override readonly name = 'ObjectStoreUnavailableError';

  constructor(details: ErrorDetails) {
    super('The object store is unavailable; retry later.', { transient: true, details });
  }
}

/**
 * A received message named by an S3 event is not in the raw-mail bucket. Raw mail is never deleted, so this
 * is a fault to investigate (wrong bucket, missing permission): the event is retried, then kept in the
 * failure queue.
 */
export class RawMailNotFoundError extends SystemError {
  override readonly name = 'RawMailNotFoundError';

  constructor(details: { bucket: string; key: string }) {
    super('RAW_MAIL_NOT_FOUND', 'The received message is not in the raw-mail bucket.', { details });
  }
}

/** The email-intake function received an event that is not an S3 object-created event of its raw-mail bucket. */
export class InvalidS3EventError extends SystemError {
  override readonly name = 'InvalidS3EventError';

  constructor(problem: string, details: ErrorDetails = {}) {
    super('INVALID_S3_EVENT', `Not an S3 event of the raw-mail bucket: ${problem}.`, {
      details: { problem, ...details },
    });
  }
}

/**
 * The email routing table names a category the policy does not define, or one that does not accept email: a
 * configuration fault caught at cold start, before any mail is read.
 */
export class EmailRoutingError extends SystemError {
  override readonly name = 'EmailRoutingError';

  constructor(problems: readonly string[]) {
    super('EMAIL_ROUTING_INVALID', `The email routing table is invalid: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
}

/** No holding-pen item has this id. */
export class HoldingItemNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'HoldingItemNotFoundError';

  constructor(itemId: string) {
    super(
      'HOLDING_ITEM_NOT_FOUND',
      'No holding-pen item has this id.',
      { itemId },
      {
        fr: 'Aucun courriel en attente ne correspond à cet identifiant.',
        en: 'No held email matches this id.',
      },
    );
  }
}

/** The holding-pen item was already resolved (by someone else, or by an earlier try of the same action). */
export class HoldingItemResolvedError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'HoldingItemResolvedError';

  constructor(itemId: string) {
    super(
      'HOLDING_ITEM_RESOLVED',
      'This holding-pen item is already resolved.',
      { itemId },
      {
        fr: 'Ce courriel en attente a déjà été traité autrement (voir qui, quand et comment sur l’élément).',
        en: 'This held email was already triaged otherwise (see who, when and how on the item).',
      },
    );
  }
}

/** No letter of the case has this id (or the person may not know of it). */
export class LetterNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'LetterNotFoundError';

  constructor(caseId: string, letterId: string) {
    super(
      'LETTER_NOT_FOUND',
      'No letter of this case has this id.',
      { caseId, letterId },
      {
        fr: 'Aucune lettre de ce dossier ne correspond à cet identifiant.',
        en: 'No letter of this case matches this id.',
      },
    );
  }
}

/** No attachment of the case (its own or an inbound message's) has this id. */
export class AttachmentNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'AttachmentNotFoundError';

  constructor(caseId: string, attachmentId: string) {
    super(
      'ATTACHMENT_NOT_FOUND',
      'No attachment of this case has this id.',
      { caseId, attachmentId },
      {
        fr: 'Aucune pièce jointe de ce dossier ne correspond à cet identifiant.',
        en: 'No attachment of this case matches this id.',
      },
    );
  }
}

/** A letter recorded in the ledger has no stored document (storage lost or not yet written). */
export class LetterDocumentMissingError extends SystemError {
  override readonly name = 'LetterDocumentMissingError';

  constructor(caseId: string, letterId: string) {
    super('LETTER_DOCUMENT_MISSING', 'The document of a recorded letter is missing.', {
      details: { caseId, letterId },
    });
  }
}
