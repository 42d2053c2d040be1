/** The Step Functions API error codes the local engine raises, spelled as AWS spells them (`__type`). */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidToken'
  | 'ValidationException'
  | 'UnknownOperationException';

/**
 * An error answered by the local Step Functions API. `name` is the AWS error code, so code that handles
 * `ExecutionAlreadyExists` from `@aws-sdk/client-sfn` handles this one the same way (by `name`).
 */
export class SfnApiError extends Error {
  override readonly name: SfnErrorCode;

  constructor(code: SfnErrorCode, message: string) {
    super(message);
    this.name = code;
  }
}

/**
 * What a task handler's exception becomes inside aws-local-stepfunctions. The library matches `Retry` and
 * `Catch` on `name`, and uses `message` as the `Cause`; AWS's Lambda integration reports the function's
 * `errorType` as the error and a JSON document `{errorType, errorMessage, trace}` as the cause, so this error
 * carries exactly those.
 */
export class TaskHandlerFailure extends Error {
  override readonly name: string;

  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }

  /** Builds the failure the Node.js Lambda runtime would report for `thrown`. */
  static from(thrown: unknown): TaskHandlerFailure {
    if (thrown instanceof Error || isErrorLike(thrown)) {
      const errorType = typeof thrown.name === 'string' && thrown.name !== '' ? thrown.name : 'Error';
      const errorMessage = typeof thrown.message === 'string' ? thrown.message : '';
      const trace = typeof thrown.stack === 'string' ? thrown.stack.split('\n') : [];
      return new TaskHandlerFailure(errorType, JSON.stringify({ errorType, errorMessage, trace }));
    }
    const errorMessage = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
    return new TaskHandlerFailure('Error', JSON.stringify({ errorType: 'Error', errorMessage, trace: [] }));
  }
}

function isErrorLike(value: unknown): value is { name?: unknown; message?: unknown; stack?: unknown } {
  return typeof value === 'object' && value !== null && 'name' in value && 'message' in value;
}
