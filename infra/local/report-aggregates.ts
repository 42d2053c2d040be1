import { randomUUID } from 'node:crypto';

import type { DynamoDbLedgerScanner, DynamoDbReportAggregates } from '../../shared/adapters/dynamodb';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Clock } from '../../shared/domain/messaging/ports';
import {
  EMPTY_TALLY,
  LedgerReportSource,
  projectReportAggregate,
  replayReportAggregates,
  earlierReceiptDay,
  replayResultOf,
  summarizeReportDays,
} from '../../shared/domain/report';
import type { ReportReplayStarter, SummarizeDaysStep } from '../../shared/domain/report';
import type { CalendarRegistry } from '../../shared/domain/time/calendars';
import type { LocalDate } from '../../shared/domain/time/types';
import { AppendObservingLedger } from '../../shared/domain/ledger/forwarding-ledger';

/** Cases whose last completed feed the local ledger remembers. */
const REMEMBERED_FEEDS = 1000;

/**
 * The ledger of the local stack, feeding the report aggregates: dynalite has no streams, so after each event
 * actually appended the same projector the stream Lambda runs in AWS (`projectReportAggregate`) folds it in.
 * An append that another of the same command follows at once (`readModelLater`) is left to that one, which
 * projects the case with both, as the stream's consumer projects a batch's records of a case once. A failed
 * feed does not fail the append (the event is recorded; the next event of the case, or the replay the local
 * stack runs at start, catches it up), it is logged; so does a crash between the two appends.
 */
export class ReportFeedingCaseLedger extends AppendObservingLedger {
  /** The highest seq of each case whose feed completed (the latest cases only), oldest first. */
  readonly #fed = new Map<string, number>();

  constructor(
    inner: CaseLedger,
    private readonly aggregates: DynamoDbReportAggregates,
    private readonly warn: (message: string, details: Record<string, unknown>) => void,
  ) {
    super(inner);
  }

  protected override async afterAppend(
    caseId: string,
    appended: readonly [LedgerEvent, ...LedgerEvent[]],
    options: { readonly readModelLater?: boolean },
  ): Promise<void> {
    if (options.readModelLater !== true) await this.feed(caseId, appended[appended.length - 1]!.seq);
  }

  /**
   * Folds the case's events up to `seq` into its aggregate, as the stream consumer does for one record. A feed
   * this ledger completed that folded in `seq` or later (it read the ledger after another command's append)
   * leaves nothing to do: the feed of an append that finished first but fed last skips.
   */
  async feed(caseId: string, seq: number): Promise<void> {
    if ((this.#fed.get(caseId) ?? 0) >= seq) return;
    try {
      const projected = await projectReportAggregate({ ledger: this.inner, store: this.aggregates }, caseId);
      if (projected.outcome !== 'superseded') this.remember(caseId, projected.lastSeq);
    } catch (error) {
      this.warn('report aggregate not updated; the replay repairs it', {
        caseId,
        seq,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  private remember(caseId: string, seq: number): void {
    const fed = Math.max(seq, this.#fed.get(caseId) ?? 0);
    this.#fed.delete(caseId);
    this.#fed.set(caseId, fed);
    if (this.#fed.size > REMEMBERED_FEEDS) {
      const oldest = this.#fed.keys().next();
      if (oldest.done !== true) this.#fed.delete(oldest.value);
    }
  }
}

/**
 * The full replay of the report aggregates on the local stack: the Step Functions run of AWS as one loop in
 * the process (one pass over the ledger, `replayReportAggregates`, then the result stored). One run at a time.
 */
export class LocalReportReplay implements ReportReplayStarter {
  #running: { runId: string; startedAt: string; done: Promise<void> } | undefined;

  constructor(
    private readonly deps: {
      readonly ledger: Pick<CaseLedger, 'read'>;
      readonly scanner: DynamoDbLedgerScanner;
      readonly aggregates: DynamoDbReportAggregates;
      readonly clock: Clock;
      readonly calendars: CalendarRegistry;
      readonly warn: (message: string, details: Record<string, unknown>) => void;
    },
  ) {}

  async start(): Promise<{ runId: string; startedAt: string }> {
    if (this.#running !== undefined) {
      return { runId: this.#running.runId, startedAt: this.#running.startedAt };
    }
    const run = { runId: randomUUID(), startedAt: this.deps.clock.now().toISOString() };
    const done = this.run(run)
      .catch((error: unknown) =>
        this.deps.warn('report replay failed', {
          runId: run.runId,
          errorName: error instanceof Error ? error.name : 'unknown',
        }),
      )
      .finally(() => {
        this.#running = undefined;
      });
    this.#running = { ...run, done };
    return run;
  }

  /** Resolves when no run is in progress (tests, start-up). */
  async idle(): Promise<void> {
    await this.#running?.done;
  }

  private async run(run: { runId: string; startedAt: string }): Promise<void> {
    let firstDay: LocalDate | null = null;
    const scanned = new LedgerReportSource(this.deps.scanner).caseHistories();
    const histories = async function* () {
      for await (const events of scanned) {
        firstDay = earlierReceiptDay(firstDay, events);
        yield events;
      }
    };
    const tally = await replayReportAggregates(
      { ledger: this.deps.ledger, store: this.deps.aggregates },
      histories(),
      EMPTY_TALLY,
    );
    // Then the day summaries, as the state machine's day walk does (`SummarizeDays`), in one go.
    const days = {
      days: this.deps.aggregates,
      calendars: this.deps.calendars,
      now: () => this.deps.clock.now(),
      mayContinue: () => true,
      // dynalite writes an index with its item: nothing to wait for.
      settleMs: 0,
    };
    let step: SummarizeDaysStep = { run, tally, firstDay, day: null };
    for (;;) {
      const next = await summarizeReportDays(days, step);
      if (!next.more) break;
      step = { ...step, day: next.day };
    }
    await this.deps.aggregates.saveReplayResult(
      replayResultOf(run, tally, this.deps.clock.now().toISOString()),
    );
  }
}
