import { writeLedgerDigest } from '../../shared/domain/audit/ledger-digest';
import type { DigestHead, DigestSigner, LedgerDigestStore } from '../../shared/domain/audit/ledger-digest';

export interface LedgerDigestHandlerDeps {
  /** Every case's head, a page at a time (the intact projections of the cases table). */
  readonly heads: () => AsyncIterable<readonly DigestHead[]>;
  readonly signer: DigestSigner;
  readonly store: Pick<LedgerDigestStore, 'save'>;
  readonly now: () => Date;
  /** Counts and the day only (no case id). */
  readonly logger: { info(message: string, fields: Record<string, unknown>): void };
}

/**
 * The daily ledger digest (an EventBridge schedule in AWS): every case head listed, signed and stored WORM
 * under `digests/<UTC day>` of the mirror bucket (`writeLedgerDigest`). The event is not read: a run is the
 * digest of the day it runs. A second run the same day finds the day's objects locked and fails (the first
 * one stands).
 */
export function makeHandler(deps: LedgerDigestHandlerDeps): (event: unknown) => Promise<unknown> {
  return async () => {
    const day = deps.now().toISOString().slice(0, 10);
    const record = await writeLedgerDigest(deps, day);
    const { heads, bytes, sha256 } = record.statement;
    deps.logger.info('ledger digest written', { day, heads, bytes, sha256 });
    return { day, heads, bytes, sha256 };
  };
}
