import { AsyncLocalStorage } from 'node:async_hooks';

import { ReportFeedingCaseLedger } from '../infra/local/report-aggregates';

/**
 * Marks the work the local stack's ledger does after an append to feed the report aggregates (dynalite has
 * no streams, so the local stack runs inline what the ledger stream's consumer runs in AWS after the
 * response): while `inFeeding()` is true, the running code is that feeding. The append itself runs unmarked.
 * `restore()` puts the ledger back as it was.
 */
export function markLocalReportFeeding(): { inFeeding: () => boolean; restore: () => void } {
  const storage = new AsyncLocalStorage<true>();
  const prototype = ReportFeedingCaseLedger.prototype as unknown as {
    append: (this: { inner: { append: (...args: unknown[]) => unknown } }, ...args: unknown[]) => unknown;
  };
  const original = prototype.append;
  prototype.append = function append(this: { inner: { append: (...args: unknown[]) => unknown } }, ...args) {
    const inner = this.inner;
    const unmarkedAppend = Object.create(inner, {
      append: { value: (...appendArgs: unknown[]) => storage.exit(() => inner.append(...appendArgs)) },
    }) as typeof inner;
    const self = Object.create(this, { inner: { value: unmarkedAppend } }) as typeof this;
    return storage.run(true, () => original.apply(self, args));
  };
  return {
    inFeeding: () => storage.getStore() === true,
    restore: () => {
      prototype.append = original;
    },
  };
}
