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

/** A business rule refused the request (4xx). Subclasses fix `name` and `code`. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly code: string;
  readonly details?: ErrorDetails;

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
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
  override readonly name = 'ValidationError';

  constructor(message: string, issues: readonly { path: string; code: string; message: string }[]) {
    super('VALIDATION_FAILED', message, { issues });
  }
}

export class CaseNotFoundError extends DomainError {
  override readonly name = 'CaseNotFoundError';

  constructor(caseId: string) {
    super('CASE_NOT_FOUND', 'No case has this id.', { caseId });
  }
}

export class CaseAlreadyExistsError extends DomainError {
  override readonly name = 'CaseAlreadyExistsError';

  constructor(caseId: string) {
    super('CASE_ALREADY_EXISTS', 'A case with this id has already been received.', { caseId });
  }
}

/** Appending kept losing the race for the next sequence number; the caller may retry later. */
export class LedgerConflictError extends DomainError {
  override readonly name = 'LedgerConflictError';

  constructor(caseId: string, attempts: number) {
    super('LEDGER_CONFLICT', `Could not append to the case ledger after ${attempts} attempts.`, {
      caseId,
      attempts,
    });
  }
}

/** An idempotency key was reused for a different kind of event: a caller bug, never a replay. */
export class IdempotencyKeyConflictError extends DomainError {
  override readonly name = 'IdempotencyKeyConflictError';

  constructor(details: { caseId: string; seq: number; recordedType: string; requestedType: string }) {
    super(
      'IDEMPOTENCY_KEY_CONFLICT',
      'This idempotency key already recorded another kind of event.',
      details,
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
  override readonly name = 'NotAuthenticatedError';

  constructor() {
    super('NOT_AUTHENTICATED', 'A signed-in staff identity is required.');
  }
}

/**
 * The signed-in person may not do this. Only thrown where refusing does not reveal anything the person may not
 * know: a confidential case they may not see is reported as not found instead (`CaseNotFoundError`).
 */
export class AccessDeniedError extends DomainError {
  override readonly name = 'AccessDeniedError';

  constructor(action: string, details: ErrorDetails = {}) {
    super('ACCESS_DENIED', `Not allowed to ${action}.`, { action, ...details });
  }
}

/**
 * The case is not in a state that allows the action (already acknowledged, closed, not yet registered…).
 * `messages` says why in French and English.
 */
export class CaseStateConflictError extends DomainError {
  override readonly name = 'CaseStateConflictError';
  readonly messages: BilingualText;

  constructor(code: string, messages: BilingualText, details: ErrorDetails) {
    super(code, messages.en, details);
    this.messages = messages;
  }
}

/**
 * A well-formed request breaks a business rule (a promised date on a holiday, beyond the maximum delay…).
 * `messages` says why in French and English; `details` holds the rule code and the dates involved.
 */
export class BusinessRuleError extends DomainError {
  override readonly name = 'BusinessRuleError';
  readonly messages: BilingualText;

  constructor(code: string, messages: BilingualText, details: ErrorDetails = {}) {
    super(code, messages.en, details);
    this.messages = messages;
  }
}

/** A client idempotency key was sent again with a different request: a client bug, never a retry. */
export class IdempotencyKeyReuseError extends DomainError {
  override readonly name = 'IdempotencyKeyReuseError';

  constructor(details: { caseId: string; command: string }) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was already used with a different request.',
      details,
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
  override readonly name = 'StepNotDueError';

  constructor(caseId: string, stepId: string) {
    super('STEP_NOT_DUE', `step ${stepId} is not due`, { caseId, stepId });
  }
}

/** A staff notification has nobody to go to: a configuration error a person must fix, never a silent drop. */
export class NoRecipientError extends DomainError {
  override readonly name = 'NoRecipientError';

  constructor(caseId: string, key: string) {
    super('NO_RECIPIENT', `no recipient configured for ${key}`, { caseId, key });
  }
}

/** The state machine passed a task input the workflow Lambda does not understand (a deployment mismatch). */
export class InvalidTaskInputError extends DomainError {
  override readonly name = 'InvalidTaskInputError';

  constructor(issues: string) {
    super('INVALID_TASK_INPUT', `invalid workflow task input: ${issues}`);
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
  override readonly name = 'InvalidRequestError';
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[]) {
    super('INVALID_REQUEST', 'The request has invalid fields.', { paths: issues.map((issue) => issue.path) });
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
  override readonly name = 'HoldingItemNotFoundError';

  constructor(itemId: string) {
    super('HOLDING_ITEM_NOT_FOUND', 'No holding-pen item has this id.', { itemId });
  }
}

/** The holding-pen item was already resolved (by someone else, or by an earlier try of the same action). */
export class HoldingItemResolvedError extends DomainError {
  override readonly name = 'HoldingItemResolvedError';

  constructor(itemId: string) {
    super('HOLDING_ITEM_RESOLVED', 'This holding-pen item is already resolved.', { itemId });
  }
}

/** No letter of the case has this id (or the person may not know of it). */
export class LetterNotFoundError extends DomainError {
  override readonly name = 'LetterNotFoundError';

  constructor(caseId: string, letterId: string) {
    super('LETTER_NOT_FOUND', 'No letter of this case has this id.', { caseId, letterId });
  }
}

/** No attachment of the case (its own or an inbound message's) has this id. */
export class AttachmentNotFoundError extends DomainError {
  override readonly name = 'AttachmentNotFoundError';

  constructor(caseId: string, attachmentId: string) {
    super('ATTACHMENT_NOT_FOUND', 'No attachment of this case has this id.', { caseId, attachmentId });
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
