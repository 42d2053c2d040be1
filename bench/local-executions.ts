import { AsyncLocalStorage } from 'node:async_hooks';

import { LocalStepFunctions } from '../infra/local/stepfunctions/engine';

/**
 * Marks the work of the executions the local Step Functions engine starts: while `inExecution()` is true, the
 * running code is a workflow (its task handlers and their requests), which in AWS runs in other Lambdas, not
 * in the function that called `StartExecution`. `restore()` puts the engine back as it was.
 */
export function markLocalExecutions(): { inExecution: () => boolean; restore: () => void } {
  const storage = new AsyncLocalStorage<true>();
  const prototype = LocalStepFunctions.prototype;
  const original = Object.getOwnPropertyDescriptor(prototype, 'startExecution')!;
  const startExecution = prototype.startExecution;
  prototype.startExecution = function marked(this: LocalStepFunctions, input) {
    return storage.run(true, () => startExecution.call(this, input));
  };
  return {
    inExecution: () => storage.getStore() === true,
    restore: () => {
      Object.defineProperty(prototype, 'startExecution', original);
    },
  };
}
