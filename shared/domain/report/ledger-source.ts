import { LedgerIntegrityError } from '../../errors';
import type { LedgerScanner } from '../audit/ports';
import { LedgerEventSchema } from '../ledger/events';
import type { LedgerEvent } from '../ledger/events';
import type { ReportCaseSource } from './service-statement';

/**
 * The cases of the report read by one pass over the whole ledger (`LedgerScanner.events()`: every page, the
 * events of one case together and in seq order, as a single-segment scan returns an item collection). Each
 * case's events are checked against the event schema and handed on as soon as the next case begins, so
 * memory holds one case at a time. Costly at scale (it reads every event ever recorded): see
 * `docs/service-statement-report.md`.
 *
 * @throws LedgerIntegrityError when a stored event does not parse or a case's events are not together.
 */
export class LedgerReportSource implements ReportCaseSource {
  constructor(private readonly scanner: Pick<LedgerScanner, 'events'>) {}

  async *caseHistories(): AsyncIterable<readonly LedgerEvent[]> {
    let current: LedgerEvent[] = [];
    const seen = new Set<string>();
    for await (const page of this.scanner.events()) {
      for (const item of page) {
        const parsed = LedgerEventSchema.safeParse(item);
        if (!parsed.success) {
          const raw = item as { caseId?: unknown; seq?: unknown };
          throw new LedgerIntegrityError(
            typeof raw.caseId === 'string' ? raw.caseId : '?',
            typeof raw.seq === 'number' ? raw.seq : 0,
            'stored event does not parse',
          );
        }
        const event = parsed.data;
        if (current.length > 0 && current[0]!.caseId !== event.caseId) {
          yield current;
          current = [];
        }
        if (current.length === 0) {
          if (seen.has(event.caseId)) {
            throw new LedgerIntegrityError(event.caseId, event.seq, 'events of the case not read together');
          }
          seen.add(event.caseId);
        }
        current.push(event);
      }
    }
    if (current.length > 0) yield current;
  }
}
