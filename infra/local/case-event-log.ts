import type { EventDraft, EventType, LedgerEvent } from '../../shared/domain/ledger/events';
import type { KeyedDraft, OpeningEvent } from '../../shared/domain/ledger/chain';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  CaseLedger,
  OpenCaseOptions,
  OpenCaseResult,
} from '../../shared/domain/ledger/ports';
import { ForwardingCaseLedger } from '../../shared/domain/ledger/forwarding-ledger';

/**
 * The ledger every local handler writes through: the real ledger, plus one console line per event actually
 * appended (replays print nothing). The line holds identifiers only — instant, reference, event type, seq, case
 * id, and for workflow events the step id, template and recipient kind — never names, addresses, subjects or
 * bodies.
 */
export class LoggedCaseLedger extends ForwardingCaseLedger {
  readonly #print: (line: string) => void;
  readonly #references = new Map<string, string>();

  constructor(inner: CaseLedger, print: (line: string) => void) {
    super(inner);
    this.#print = print;
  }

  override async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    const result = await this.inner.append<T>(caseId, draft, options);
    if (result.appended) this.#print(await this.#line(result.event));
    return result;
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    const result = await this.inner.appendAll(caseId, drafts, options);
    for (const entry of result.results) if (entry.appended) this.#print(await this.#line(entry.event));
    return result;
  }

  override async openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options?: OpenCaseOptions,
  ): Promise<OpenCaseResult | undefined> {
    const result = await this.inner.openCase(caseId, opening, options);
    for (const event of result?.events ?? []) this.#print(await this.#line(event));
    return result;
  }

  async #line(event: LedgerEvent): Promise<string> {
    const reference = await this.#referenceOf(event);
    const details: string[] = [];
    if (event.type === 'step.done' || event.type === 'step.started')
      details.push(`step=${event.data.stepId}`);
    if (event.type === 'message.sent') {
      details.push(`recipient=${event.data.recipient}`);
      if (event.data.template !== undefined) details.push(`template=${event.data.template}`);
    }
    return [
      event.at,
      reference.padEnd(16),
      event.type.padEnd(20),
      `seq=${event.seq}`,
      `case=${event.caseId}`,
      ...details,
    ].join('  ');
  }

  /** The case reference, remembered per case; `-` before the case is registered. */
  async #referenceOf(event: LedgerEvent): Promise<string> {
    if (event.type === 'case.registered') this.#references.set(event.caseId, event.data.reference);
    const known = this.#references.get(event.caseId);
    if (known !== undefined || event.type === 'case.received') return known ?? '-';
    const reference = (await this.inner.getCase(event.caseId).catch(() => undefined))?.reference;
    if (reference !== undefined) this.#references.set(event.caseId, reference);
    return reference ?? '-';
  }
}
