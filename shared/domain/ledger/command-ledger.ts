import { CaseNotFoundError } from '../../errors';
import { findReplay } from './chain';
import type { KeyedDraft } from './chain';
import type { EventDraft, EventType } from './events';
import { ForwardingCaseLedger } from './forwarding-ledger';
import type { AppendAllOptions, AppendAllResult, AppendOptions, AppendResult, CaseLedger } from './ports';
import type { CaseProjection } from './projection';

/**
 * The ledger as one command (a workflow task, a staff command) uses it, for one case: it keeps the case each
 * append left (`AppendResult.projection`), so a workflow task decides what comes next without reading the case
 * again, and, while `deferReadModel` is set, its appends leave the read model to the command's next append
 * (`readModelLater`), which writes it for all of them. The command's last append must not defer (a call's own
 * option wins); a crash in between leaves the read model behind, which the next `getCase` repairs from the
 * ledger, and a retried command completes.
 *
 * A key the command itself recorded (or found recorded) through this ledger is answered from memory, without a
 * request, as that first call was (`appended` when the command appended it): so a part of the command may record
 * events ahead of the one that would have (a message's record with the events that follow it,
 * `OutboxEntry.then`), and the later call gets them as if it had appended them.
 */
export class CommandLedger extends ForwardingCaseLedger {
  /** Whether appends leave the read model to a later append of the command (unless the call says otherwise). */
  deferReadModel = false;
  #case: CaseProjection | undefined;
  /** What the command's own calls recorded or replayed, in order. */
  readonly #recorded: AppendResult[] = [];

  /** `projection`: the case as the command read it. */
  constructor(inner: CaseLedger, projection: CaseProjection) {
    super(inner);
    this.#case = projection;
  }

  override async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    const known = this.#known(options?.idempotencyKey, draft.type);
    if (known !== undefined) return { ...(known as unknown as AppendResult<T>), ...this.#projection() };
    const result = await this.inner.append<T>(caseId, draft, {
      ...(this.deferReadModel ? { readModelLater: true } : {}),
      ...options,
    });
    // A ledger that does not know the case after the append makes `current` read it.
    this.#case = result.projection;
    this.#recorded.push({ event: result.event, appended: result.appended });
    return result;
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    const known = drafts.map(({ draft, idempotencyKey }) => this.#known(idempotencyKey, draft.type));
    const missing = drafts.filter((_, index) => known[index] === undefined);
    let appended: readonly AppendResult[] = [];
    if (missing.length > 0) {
      const result = await this.inner.appendAll(caseId, missing as [KeyedDraft, ...KeyedDraft[]], {
        ...(this.deferReadModel ? { readModelLater: true } : {}),
        ...options,
      });
      this.#case = result.projection;
      this.#recorded.push(...result.results.map(({ event, appended }) => ({ event, appended })));
      appended = result.results;
    }
    const rest = appended.values();
    return {
      results: known.map((entry) => entry ?? rest.next().value!),
      ...this.#projection(),
    };
  }

  /** The case after the command's appends: as the last append left it, read again only when it did not say. */
  async current(caseId: string): Promise<CaseProjection> {
    if (this.#case !== undefined) return this.#case;
    const projection = await this.inner.getCase(caseId);
    if (projection === undefined) throw new CaseNotFoundError(caseId);
    this.#case = projection;
    return projection;
  }

  /** The event this command recorded under `key` (checked against the type asked for). */
  #known(key: string | undefined, type: EventType): AppendResult | undefined {
    if (key === undefined) return undefined;
    const event = findReplay(
      this.#recorded.map((entry) => entry.event),
      key,
      type,
    );
    return event === undefined ? undefined : this.#recorded.find((entry) => entry.event === event);
  }

  #projection(): { projection?: CaseProjection } {
    return this.#case !== undefined ? { projection: this.#case } : {};
  }
}
