import type { LedgerEvent } from '../../shared/domain/ledger/events';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import { AppendObservingLedger } from '../../shared/domain/ledger/forwarding-ledger';

/**
 * The ledger every local handler writes through: the real ledger, plus one console line per event actually
 * appended (replays print nothing). The line holds identifiers only — instant, reference, event type, seq, case
 * id, and for workflow events the step id, template and recipient kind — never names, addresses, subjects or
 * bodies.
 */
export class LoggedCaseLedger extends AppendObservingLedger {
  readonly #print: (line: string) => void;
  readonly #references: Map<string, string>;

  /** `references`: the case references already known, shared by the loggers of one console. */
  constructor(
    inner: CaseLedger,
    print: (line: string) => void,
    references: Map<string, string> = new Map<string, string>(),
  ) {
    super(inner);
    this.#print = print;
    this.#references = references;
  }

  protected override async afterAppend(
    _caseId: string,
    appended: readonly [LedgerEvent, ...LedgerEvent[]],
  ): Promise<void> {
    for (const event of appended) this.#print(await this.#line(event));
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
