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

  read(caseId: string, known?: ChainTail): Promise<LedgerEvent[]> {
    return this.inner.read(caseId, known);
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

/**
 * A forwarding ledger told of the events each write actually appended (a replayed key appends nothing): the
 * base of the local stack's ledgers that do in-process what the ledger's stream consumers do in AWS (mirror,
 * report feeding), its console lines and its mail events. `afterAppend` runs after the write, before the caller
 * gets its answer, with the write's events in seq order (one for `append`, the missing ones of `appendAll`, the
 * opening events of `openCase`) and its `readModelLater` (`append` and `appendAll` only). It is not called when
 * nothing was appended.
 */
export abstract class AppendObservingLedger extends ForwardingCaseLedger {
  protected abstract afterAppend(
    caseId: string,
    appended: readonly [LedgerEvent, ...LedgerEvent[]],
    options: { readonly readModelLater?: boolean },
  ): Promise<void> | void;

  override async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    const result = await this.inner.append<T>(caseId, draft, options);
    if (result.appended) await this.afterAppend(caseId, [result.event], readModelLaterOf(options));
    return result;
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    const result = await this.inner.appendAll(caseId, drafts, options);
    const [first, ...rest] = result.results.filter((entry) => entry.appended).map((entry) => entry.event);
    if (first !== undefined) await this.afterAppend(caseId, [first, ...rest], readModelLaterOf(options));
    return result;
  }

  override async openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options?: OpenCaseOptions,
  ): Promise<OpenCaseResult | undefined> {
    const result = await this.inner.openCase(caseId, opening, options);
    if (result !== undefined) await this.afterAppend(caseId, result.events, {});
    return result;
  }
}

function readModelLaterOf(options: { readonly readModelLater?: boolean } | undefined) {
  return options?.readModelLater === true ? { readModelLater: true } : {};
}
