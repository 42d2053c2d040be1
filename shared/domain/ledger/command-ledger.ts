import { CaseNotFoundError } from '../../errors';
import type { EventDraft, EventType } from './events';
import { ForwardingCaseLedger } from './forwarding-ledger';
import type { KeyedDraft } from './chain';
import type { AppendAllOptions, AppendAllResult, AppendOptions, AppendResult, CaseLedger } from './ports';
import type { CaseProjection } from './projection';

/**
 * The ledger as one command (a workflow task, a staff command) uses it, for one case: it keeps the case each
 * append left (`AppendResult.projection`), so a workflow task decides what comes next without reading the case
 * again, and, while `deferReadModel` is set, its appends leave the read model to the command's next append
 * (`readModelLater`), which writes it for all of them. The command's last append must not defer (a call's own
 * option wins); a crash in between leaves the read model behind, which the next `getCase` repairs from the
 * ledger, and a retried command completes.
 */
export class CommandLedger extends ForwardingCaseLedger {
  /** Whether appends leave the read model to a later append of the command (unless the call says otherwise). */
  deferReadModel = false;
  #case: CaseProjection | undefined;

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
    const result = await this.inner.append<T>(caseId, draft, {
      ...(this.deferReadModel ? { readModelLater: true } : {}),
      ...options,
    });
    // A ledger that does not know the case after the append makes `current` read it.
    this.#case = result.projection;
    return result;
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    const result = await this.inner.appendAll(caseId, drafts, {
      ...(this.deferReadModel ? { readModelLater: true } : {}),
      ...options,
    });
    this.#case = result.projection;
    return result;
  }

  /** The case after the command's appends: as the last append left it, read again only when it did not say. */
  async current(caseId: string): Promise<CaseProjection> {
    if (this.#case !== undefined) return this.#case;
    const projection = await this.inner.getCase(caseId);
    if (projection === undefined) throw new CaseNotFoundError(caseId);
    this.#case = projection;
    return projection;
  }
}
