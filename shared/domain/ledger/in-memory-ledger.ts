import { CaseNotFoundError, LedgerIntegrityError, ReferenceExhaustedError } from '../../errors';
import { MAX_REFERENCE_SEQUENCE, formatCaseReference } from '../case/reference';
import type { CaseReference, CaseReferenceLookup } from '../case/reference';
import { parseOrThrow } from '../case/parse';
import { assertDistinctKeys, findReplay, sealChain, sealEvent, sealOpening, verifyEvents } from './chain';
import type { ChainVerification, KeyedDraft, OpeningEvent } from './chain';
import { indexAfter } from './ledger-index';
import type { LedgerIndex } from './ledger-index';
import { EventDraftSchema } from './events';
import type { EventDraft, EventType, LedgerEvent, LedgerEventOf } from './events';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  CaseLedger,
  OpenCaseOptions,
  OpenCaseResult,
  ReferenceAllocator,
  ReferenceRequest,
  SentMessageLookup,
} from './ports';
import { applyEvent, projectCase } from './projection';
import type { CaseProjection } from './projection';

/**
 * A `CaseLedger` in memory with the same rules as the DynamoDB adapter (sealing, idempotency, projection
 * repair), for domain and handler tests. Values are copied in and out, so callers cannot alter stored events.
 */
export class InMemoryCaseLedger implements CaseLedger, CaseReferenceLookup {
  private readonly events = new Map<string, LedgerEvent[]>();
  private readonly projections = new Map<string, CaseProjection>();

  async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options: AppendOptions = {},
  ): Promise<AppendResult<T>> {
    parseOrThrow(EventDraftSchema, draft, 'ledger event draft');
    const events = this.events.get(caseId) ?? [];
    if (options.idempotencyKey !== undefined) {
      const replay = findReplay(events, options.idempotencyKey, draft.type);
      if (replay !== undefined) {
        const current = await this.getCase(caseId);
        return {
          event: structuredClone(replay) as LedgerEventOf<T>,
          appended: false,
          ...(current !== undefined ? { projection: current } : {}),
        };
      }
    }
    const event = sealEvent<T>(caseId, events.at(-1), draft, options.idempotencyKey);
    this.events.set(caseId, [...events, event]);
    const projection = this.projections.get(caseId);
    // Only a projection exactly one event behind moves forward here, so a projection dropped to simulate a
    // failed write stays behind until `getCase` repairs it, as it would in the store.
    if (event.seq === 1 || projection?.lastSeq === event.seq - 1) {
      this.projections.set(caseId, applyEvent(projection, event));
    }
    return {
      event: structuredClone(event),
      appended: true,
      projection: projectCase(this.events.get(caseId)!)!,
    };
  }

  /** As the DynamoDB adapter: the drafts whose keys are not recorded, sealed and stored together, or none. */
  async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    _options: AppendAllOptions = {},
  ): Promise<AppendAllResult> {
    for (const { draft } of drafts) parseOrThrow(EventDraftSchema, draft, 'ledger event draft');
    assertDistinctKeys(drafts);
    const events = this.events.get(caseId) ?? [];
    const replays = drafts.map(({ draft, idempotencyKey }) =>
      idempotencyKey !== undefined ? findReplay(events, idempotencyKey, draft.type) : undefined,
    );
    const missing = drafts.filter((_, index) => replays[index] === undefined);
    const sealed =
      missing.length > 0 ? sealChain(caseId, events.at(-1), missing as [KeyedDraft, ...KeyedDraft[]]) : [];
    this.events.set(caseId, [...events, ...sealed]);
    const projection = this.projections.get(caseId);
    if (sealed.length > 0 && (sealed[0]!.seq === 1 || projection?.lastSeq === sealed[0]!.seq - 1)) {
      this.projections.set(caseId, sealed.reduce<CaseProjection | undefined>(applyEvent, projection)!);
    }
    const appended = sealed.values();
    const current = projectCase(this.events.get(caseId)!);
    return {
      results: replays.map((replay) =>
        replay !== undefined
          ? { event: structuredClone(replay), appended: false }
          : { event: structuredClone(appended.next().value!), appended: true },
      ),
      ...(current !== undefined ? { projection: current } : {}),
    };
  }

  async openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options: OpenCaseOptions = {},
  ): Promise<OpenCaseResult | undefined> {
    const events = sealOpening(caseId, opening);
    if ((this.events.get(caseId)?.length ?? 0) > 0) return undefined;
    this.events.set(caseId, events);
    const projection = projectCase(events)!;
    this.projections.set(caseId, projection);
    await options.alongside?.();
    return { events: structuredClone(events), projection: structuredClone(projection) };
  }

  async findSentMessage(caseId: string, messageId: string): Promise<SentMessageLookup> {
    const events = this.events.get(caseId) ?? [];
    if (events.length === 0) return { found: false, why: 'unknown-case' };
    for (const event of events) {
      if (event.type !== 'message.sent' || event.data.messageId !== messageId) continue;
      const { recipient, purpose } = event.data;
      return { found: true, message: { messageId, seq: event.seq, recipient, purpose } };
    }
    return { found: false, why: 'unknown-message' };
  }

  async readIndex(caseId: string): Promise<LedgerIndex | undefined> {
    const events = this.events.get(caseId) ?? [];
    return events.length > 0 ? structuredClone(indexAfter(undefined, events)) : undefined;
  }

  async read(caseId: string): Promise<LedgerEvent[]> {
    return structuredClone(this.events.get(caseId) ?? []);
  }

  async verifyChain(caseId: string): Promise<ChainVerification> {
    const projection = this.projections.get(caseId);
    return verifyEvents(caseId, this.events.get(caseId) ?? [], headOf(projection));
  }

  async getCase(caseId: string): Promise<CaseProjection | undefined> {
    const tail = this.events.get(caseId)?.at(-1);
    if (tail === undefined) return undefined;
    const projection = this.projections.get(caseId);
    if (projection?.lastSeq === tail.seq && projection.lastHash === tail.hash)
      return structuredClone(projection);
    return this.repairProjection(caseId);
  }

  async caseIdOf(reference: CaseReference): Promise<string | undefined> {
    for (const [caseId, projection] of this.projections)
      if (projection.reference === reference) return caseId;
    return undefined;
  }

  async repairProjection(caseId: string): Promise<CaseProjection> {
    const events = this.events.get(caseId) ?? [];
    const verification = verifyEvents(caseId, events, headOf(this.projections.get(caseId)));
    if (!verification.ok) throw new LedgerIntegrityError(caseId, verification.seq, verification.problem);
    const projection = projectCase(events);
    if (projection === undefined) throw new CaseNotFoundError(caseId);
    this.projections.set(caseId, projection);
    return structuredClone(projection);
  }

  /** Test hook: forget the stored projection, as when its write failed after an append. */
  dropProjection(caseId: string): void {
    this.projections.delete(caseId);
  }

  /** Test hook: edit the stored events directly, as a tamperer with table access would. */
  tamper(caseId: string, edit: (events: LedgerEvent[]) => LedgerEvent[]): void {
    this.events.set(caseId, edit(structuredClone(this.events.get(caseId) ?? [])));
  }
}

function headOf(projection: CaseProjection | undefined) {
  return projection ? { head: { seq: projection.lastSeq, hash: projection.lastHash } } : {};
}

/** A `ReferenceAllocator` in memory: one counter per prefix and year. */
export class InMemoryReferenceAllocator implements ReferenceAllocator {
  private readonly counters = new Map<string, number>();

  async allocate(request: ReferenceRequest): Promise<CaseReference> {
    const key = `${request.prefix}#${request.year}`;
    const sequence = (this.counters.get(key) ?? 0) + 1;
    if (sequence > MAX_REFERENCE_SEQUENCE) throw new ReferenceExhaustedError(request.prefix, request.year);
    const reference = formatCaseReference({ ...request, sequence });
    this.counters.set(key, sequence);
    return reference;
  }
}
