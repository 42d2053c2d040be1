import { StoreError, StoreUnavailableError } from '../../errors';

/** Service errors that usually pass: the SDK has already retried them, the caller may retry later. */
const TRANSIENT_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

export interface StoreCallContext {
  /** The DynamoDB operation, e.g. `PutItem`. */
  readonly operation: string;
  /** Logical table id (`cases`, `ledger`, `control`), never a key or an item. */
  readonly table: string;
}

interface ServiceErrorShape {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as ServiceErrorShape | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Maps an SDK or network error to a named store error. Only the error name, status and request id are kept:
 * service messages may quote attribute values, which can be personal data.
 */
export function toStoreError(error: unknown, context: StoreCallContext): StoreError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorShape;
  const errorName = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const details = {
    ...context,
    errorName,
    ...(typeof shape.$metadata?.httpStatusCode === 'number'
      ? { httpStatusCode: shape.$metadata.httpStatusCode }
      : {}),
    ...(typeof shape.$metadata?.requestId === 'string' ? { requestId: shape.$metadata.requestId } : {}),
  };
  const transient =
    TRANSIENT_ERRORS.has(errorName) ||
    (code !== undefined && TRANSIENT_ERRORS.has(code)) ||
    Boolean(shape.$retryable);
  return transient
    ? new StoreUnavailableError(details)
    : new StoreError(`${context.operation} on the ${context.table} table failed.`, {
        transient: false,
        details,
      });
}
