import type {
  ExecutionHistoryEvent,
  ExecutionHistoryReader,
  ExecutionSummary,
  LedgerScanner,
} from '../../../shared/domain/audit';
import type { ChainTail, InMemoryCaseLedger, LedgerEvent } from '../../../shared/domain/ledger';

const MACHINE = 'arn:aws:states:ca-central-1:123456789012:execution:jalon-test-case-lifecycle';

/** Executions by name, with a canned history each; records the names asked for. */
export class FakeExecutions implements ExecutionHistoryReader {
  readonly asked: string[] = [];
  private readonly executions = new Map<string, ExecutionSummary & { events: ExecutionHistoryEvent[] }>();

  add(name: string, status: string, events: ExecutionHistoryEvent[]): this {
    this.executions.set(name, {
      executionArn: `${MACHINE}:${name}`,
      name,
      status,
      startDate: events[0]?.timestamp ?? '2026-03-02T14:00:01.000Z',
      ...(status !== 'RUNNING' ? { stopDate: events.at(-1)?.timestamp ?? '2026-03-02T14:00:02.000Z' } : {}),
      events,
    });
    return this;
  }

  async describe(name: string): Promise<ExecutionSummary | undefined> {
    this.asked.push(name);
    const execution = this.executions.get(name);
    if (execution === undefined) return undefined;
    const { events: _events, ...summary } = execution;
    void _events;
    return summary;
  }

  async history(executionArn: string): Promise<ExecutionHistoryEvent[]> {
    const execution = [...this.executions.values()].find((e) => e.executionArn === executionArn);
    return structuredClone(execution?.events ?? []);
  }
}

/**
 * A scanner over an in-memory ledger: the given cases' events in pages of `pageSize`, in the order given
 * (`order` may interleave cases to imitate a scan that does not keep a case's events together).
 */
export class FakeScanner implements LedgerScanner {
  pagesRead = 0;

  constructor(
    private readonly ledger: InMemoryCaseLedger,
    private readonly heads: ReadonlyMap<string, ChainTail>,
    private readonly order: () => Promise<LedgerEvent[]>,
    private readonly pageSize = 3,
  ) {}

  static async of(
    ledger: InMemoryCaseLedger,
    caseIds: readonly string[],
    pageSize = 3,
  ): Promise<FakeScanner> {
    const heads = new Map<string, ChainTail>();
    for (const caseId of caseIds) {
      const projection = await ledger.getCase(caseId);
      if (projection !== undefined) heads.set(caseId, { seq: projection.lastSeq, hash: projection.lastHash });
    }
    const order = async () => (await Promise.all(caseIds.map((id) => ledger.read(id)))).flat();
    return new FakeScanner(ledger, heads, order, pageSize);
  }

  withOrder(order: () => Promise<LedgerEvent[]>): FakeScanner {
    return new FakeScanner(this.ledger, this.heads, order, this.pageSize);
  }

  withHeads(heads: ReadonlyMap<string, ChainTail>): FakeScanner {
    return new FakeScanner(this.ledger, heads, this.order, this.pageSize);
  }

  async projectionHeads(): Promise<ReadonlyMap<string, ChainTail>> {
    return this.heads;
  }

  async *events(): AsyncIterable<readonly LedgerEvent[]> {
    const all = await this.order();
    for (let start = 0; start < all.length; start += this.pageSize) {
      this.pagesRead += 1;
      yield all.slice(start, start + this.pageSize);
    }
  }
}
