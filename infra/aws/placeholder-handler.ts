/**
 * Stands in for a Lambda whose handler module is not in the repository yet (see `functionEntry`): every
 * invocation fails, so nothing is accepted and then dropped. A form submission gets a 5xx, an S3 event is
 * retried and then kept in the failure queue, and the function's error alarm goes off.
 */
export class HandlerNotDeployedError extends Error {
  override readonly name = 'HandlerNotDeployedError';
}

export function handler(): Promise<never> {
  return Promise.reject(new HandlerNotDeployedError('This function has no handler deployed yet.'));
}
