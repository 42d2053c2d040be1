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
 *
 * A command may also ask that an event ride with its next append (`withNextAppend`): a workflow step's
 * `step.started` is recorded in the item of the step's first effect rather than in an item of its own.
 */
export class CommandLedger extends ForwardingCaseLedger {
  /** Whether appends leave the read model to a later append of the command (unless the call says otherwise). */
  deferReadModel = false;
  #case: CaseProjection | undefined;
  /** What the command's own calls recorded or replayed, in order. */
  readonly #recorded: AppendResult[] = [];
  /** Drafts the command's next append records first, in its item (`withNextAppend`). */
  #pending: KeyedDraft[] = [];

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
    if (this.#pending.length > 0) {
      const key = options?.idempotencyKey;
      const later = options?.readModelLater;
      const { results } = await this.appendAll(
        caseId,
        [{ draft, ...(key !== undefined ? { idempotencyKey: key } : {}) }],
        later !== undefined ? { readModelLater: later } : {},
      );
      return { ...(results[0] as unknown as AppendResult<T>), ...this.#projection() };
    }
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
    const pending = this.#pending;
    const all = [...pending, ...drafts];
    const known = all.map(({ draft, idempotencyKey }) => this.#known(idempotencyKey, draft.type));
    const missing = all.filter((_, index) => known[index] === undefined);
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
    this.#pending = [];
    const rest = appended.values();
    return {
      results: known.map((entry) => entry ?? rest.next().value!).slice(pending.length),
      ...this.#projection(),
    };
  }

  /**
   * Records `entry` first in the item of the command's next append (`append` or `appendAll`) instead of in an
   * item of its own: nothing is written now. A workflow step's `step.started` rides so with the record of the
   * step's first effect (`docs/workflow-steps.md`), one put less per step. Should the command end without
   * another append, the entry is not recorded.
   */
  withNextAppend(entry: KeyedDraft): void {
    this.#pending.push(entry);
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
