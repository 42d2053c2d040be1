/**
 * aws-local-stepfunctions calls `Promise.withResolvers` (ES2024) for every Task state; Node 20 lacks it.
 * Imported for its side effect before the library is loaded. Defined on the global `Promise` of the current
 * realm, which under jest is the test file's realm, the same one the library is loaded into.
 */
interface PromiseWithResolvers {
  withResolvers?: <T>() => {
    promise: Promise<T>;
    resolve: (value: T) => void;
    reject: (reason: unknown) => void;
  };
}

const promiseConstructor = Promise as unknown as PromiseWithResolvers;

if (typeof promiseConstructor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
