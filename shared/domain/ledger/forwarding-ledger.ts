import type { ChainTail, KeyedDraft, OpeningEvent } from './chain';
import type { EventDraft, EventType, LedgerEvent } from './events';
import type { LedgerIndex } from './ledger-index';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  CaseLedger,
  OpenCaseOptions,
  OpenCaseResult,
  SentMessageLookup,
} from './ports';

/**
 * A ledger that hands every call to another one: the base of the ledgers that add something around some calls
 * (the local stack's console lines and report feeding, the tests' counting or crashing ledgers), which
 * override only those calls.
 */
export class ForwardingCaseLedger implements CaseLedger {
  constructor(protected readonly inner: CaseLedger) {}

  append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    return this.inner.append<T>(caseId, draft, options);
  }

  appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    return this.inner.appendAll(caseId, drafts, options);
  }

  openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options?: OpenCaseOptions,
  ): Promise<OpenCaseResult | undefined> {
    return this.inner.openCase(caseId, opening, options);
  }

  findSentMessage(caseId: string, messageId: string): Promise<SentMessageLookup> {
    return this.inner.findSentMessage(caseId, messageId);
  }

  readIndex(caseId: string, known?: ChainTail): Promise<LedgerIndex | undefined> {
    return this.inner.readIndex(caseId, known);
  }

  read(caseId: string): Promise<LedgerEvent[]> {
    return this.inner.read(caseId);
  }

  verifyChain(caseId: string) {
    return this.inner.verifyChain(caseId);
  }

  getCase(caseId: string) {
    return this.inner.getCase(caseId);
  }

  repairProjection(caseId: string) {
    return this.inner.repairProjection(caseId);
  }
}
