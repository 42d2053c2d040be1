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
