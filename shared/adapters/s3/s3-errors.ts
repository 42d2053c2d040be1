import { ObjectStoreError, ObjectStoreUnavailableError } from '../../errors';

/** Service errors that usually pass: the SDK has already retried them, the event retry may succeed. */
const TRANSIENT_ERRORS = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'ThrottlingException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

export interface ObjectCallContext {
  /** The S3 operation, e.g. `GetObject`. */
  readonly operation: string;
  /** Logical bucket (`raw-mail`, `attachments`), never a key or content. */
  readonly bucket: string;
}

interface ServiceErrorShape {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/** Whether an S3 error says the object (or version) does not exist. */
export function isNotFound(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorShape;
  return (
    shape.name === 'NoSuchKey' ||
    shape.name === 'NotFound' ||
    shape.name === 'NoSuchVersion' ||
    shape.$metadata?.httpStatusCode === 404
  );
}

/**
 * Maps an SDK or network error to a named object-store error. Only the error name, status and request id are
 * kept: service messages may quote keys, which can name a person (attachment file names).
 */
export function toObjectStoreError(error: unknown, context: ObjectCallContext): ObjectStoreError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorShape;
  const errorName = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const status = shape.$metadata?.httpStatusCode;
  const details = {
    ...context,
    errorName,
    ...(typeof status === 'number' ? { httpStatusCode: status } : {}),
    ...(typeof shape.$metadata?.requestId === 'string' ? { requestId: shape.$metadata.requestId } : {}),
  };
  const transient =
    TRANSIENT_ERRORS.has(errorName) ||
    (code !== undefined && TRANSIENT_ERRORS.has(code)) ||
    Boolean(shape.$retryable) ||
    (typeof status === 'number' && (status === 429 || status >= 500));
  return transient
    ? new ObjectStoreUnavailableError(details)
    : new ObjectStoreError(`${context.operation} on the ${context.bucket} bucket failed.`, {
        transient: false,
        details,
      });
}
