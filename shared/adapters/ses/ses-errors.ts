import { EmailRejectedError, EmailSendError, EmailServiceUnavailableError } from '../../errors';
import type { ErrorDetails } from '../../errors';

// The classes live in shared/errors.ts, where the state machine's error names are registered.
export {
  EmailRejectedError,
  EmailSendError,
  EmailServiceUnavailableError,
  InvalidEmailAddressError,
} from '../../errors';

/** Service errors that usually pass: throttling, quotas per second or per day, server faults, network. */
const TRANSIENT_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'InternalServiceErrorException',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Errors about this message or its sender identity: the same request would be refused again. */
const REJECTED_NAMES = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'BadRequestException',
  'NotFoundException',
]);

/**
 * Network failures named in a message: the SDK wraps errors that are not `Error` instances of its own realm
 * (jest sandboxes, some runtimes) in an `Error` that keeps only the original text.
 */
const NETWORK_FAILURE_TEXT =
  /\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up)\b/;

interface ServiceErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/**
 * Maps an SDK or network error from `SendEmail` to a named error: throttling, 5xx and network faults are
 * transient (`EmailServiceUnavailableError`, a `TransientError` for the workflow's Retry); a rejected
 * message is `EmailRejectedError`; anything else, including a paused or suspended account, is a
 * non-transient `EmailSendError` that needs a person.
 */
export function toEmailSendError(
  error: unknown,
  context: { template: string; caseId?: string },
): EmailSendError | EmailServiceUnavailableError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorShape;
  const errorName = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const details: ErrorDetails = {
    operation: 'SendEmail',
    template: context.template,
    ...(context.caseId !== undefined ? { caseId: context.caseId } : {}),
    errorName,
    ...(code !== undefined ? { errorCode: code } : {}),
    ...(status !== undefined ? { httpStatusCode: status } : {}),
    ...(typeof shape.$metadata?.requestId === 'string' ? { requestId: shape.$metadata.requestId } : {}),
  };
  if (REJECTED_NAMES.has(errorName)) return new EmailRejectedError(details);
  const transient =
    TRANSIENT_NAMES.has(errorName) ||
    (code !== undefined && TRANSIENT_NAMES.has(code)) ||
    (status === undefined && typeof shape.message === 'string' && NETWORK_FAILURE_TEXT.test(shape.message)) ||
    shape.$fault === 'server' ||
    Boolean(shape.$retryable) ||
    status === 429 ||
    (status !== undefined && status >= 500);
  if (transient) return new EmailServiceUnavailableError(details);
  return new EmailSendError('Sending the email failed.', { details });
}
