import { AsyncLocalStorage } from 'node:async_hooks';

import { MirroringCaseLedger } from '../infra/local/ledger-mirror';
import { ReportFeedingCaseLedger } from '../infra/local/report-aggregates';

/** While `inside()` is true, the running code is a call of the marked method; `restore()` unmarks it. */
interface MarkedMethod {
  readonly inside: () => boolean;
  readonly restore: () => void;
}

function markMethod(prototype: object, name: string): MarkedMethod {
  const storage = new AsyncLocalStorage<true>();
  const host = prototype as Record<string, unknown>;
  const original = Object.getOwnPropertyDescriptor(prototype, name)!;
  const method = host[name] as (...args: unknown[]) => unknown;
  host[name] = function marked(this: unknown, ...args: unknown[]) {
    return storage.run(true, () => method.apply(this, args));
  };
  return {
    inside: () => storage.getStore() === true,
    restore: () => {
      Object.defineProperty(prototype, name, original);
    },
  };
}

/**
 * Marks the work the local stack's ledger does after an append or a case's opening to feed the report
 * aggregates (dynalite has no streams, so the local stack runs inline what the ledger stream's consumer runs in
 * AWS after the response): while `inFeeding()` is true, the running code is that feeding
 * (`ReportFeedingCaseLedger.feed`). The write itself runs unmarked. `restore()` puts the ledger back as it was.
 */
export function markLocalReportFeeding(): { inFeeding: () => boolean; restore: () => void } {
  const marked = markMethod(ReportFeedingCaseLedger.prototype, 'feed');
  return { inFeeding: marked.inside, restore: marked.restore };
}

/**
 * Marks the local stack's ledger mirror (`MirroringCaseLedger`'s copy of each appended item into the mirror
 * bucket, which reads the item back from the ledger): in AWS the mirror is the ledger stream's other consumer,
 * after the response, so its requests are no function's.
 */
export function markLocalLedgerMirror(): { inMirror: () => boolean; restore: () => void } {
  const marked = markMethod(MirroringCaseLedger.prototype, 'mirrorOne');
  return { inMirror: marked.inside, restore: marked.restore };
}
