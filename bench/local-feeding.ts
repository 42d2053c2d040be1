import { AsyncLocalStorage } from 'node:async_hooks';

import { ReportFeedingCaseLedger } from '../infra/local/report-aggregates';

/**
 * Marks the work the local stack's ledger does after an append or a case's opening to feed the report
 * aggregates (dynalite has no streams, so the local stack runs inline what the ledger stream's consumer runs in
 * AWS after the response): while `inFeeding()` is true, the running code is that feeding
 * (`ReportFeedingCaseLedger.feed`). The write itself runs unmarked. `restore()` puts the ledger back as it was.
 */
export function markLocalReportFeeding(): { inFeeding: () => boolean; restore: () => void } {
  const storage = new AsyncLocalStorage<true>();
  const prototype = ReportFeedingCaseLedger.prototype;
  const original = Object.getOwnPropertyDescriptor(prototype, 'feed')!;
  const feed = prototype.feed;
  prototype.feed = function marked(this: ReportFeedingCaseLedger, caseId: string, seq: number) {
    return storage.run(true, () => feed.call(this, caseId, seq));
  };
  return {
    inFeeding: () => storage.getStore() === true,
    restore: () => {
      Object.defineProperty(prototype, 'feed', original);
    },
  };
}
