import { DomainError, LedgerConflictError, ObjectStoreError, StoreError, SystemError } from '../../../errors';

/** Network failures an SDK call may throw before any service answered. */
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'TimeoutError',
  'RequestTimeout',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: unknown;
}

/**
 * Whether an error means the infrastructure failed (S3, DynamoDB, Step Functions or the mail service did not
 * answer, refused our credentials, or kept conflicting) rather than this message being odd. Only these make
 * the email-intake function fail, so that Lambda retries the event and then keeps it in the failure queue;
 * any other error files the message in the holding pen as a `processing-error`.
 *
 * Infrastructure: store and object-store errors, a lost ledger race, a transient system error, an AWS SDK
 * service error (it carries `$metadata`: the workflow adapter passes Step Functions errors through), a
 * network error.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  if (error instanceof StoreError || error instanceof ObjectStoreError) return true;
  if (error instanceof LedgerConflictError) return true;
  if (error instanceof SystemError) return error.transient;
  if (error instanceof DomainError) return false;
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as ErrorShape;
  if (typeof shape.$metadata === 'object' && shape.$metadata !== null) return true;
  return (
    (typeof shape.code === 'string' && NETWORK_ERRORS.has(shape.code)) ||
    (typeof shape.name === 'string' && NETWORK_ERRORS.has(shape.name))
  );
}

/** An error's name for the record (never its message, which may quote content). */
export function errorNameOf(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  return /^[A-Za-z0-9_.:-]{1,128}$/.test(name) ? name : 'Error';
}
