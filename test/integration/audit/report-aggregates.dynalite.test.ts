import { DeleteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReportAggregates } from '../../../shared/adapters/dynamodb';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { InMemoryReportAggregates, caseReportRecord } from '../../../shared/domain/report';
import type { CaseReportRecord } from '../../../shared/domain/report';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { buildScenario } from '../../unit/report/scenario';

let dynamo: LocalDynamo;
let histories: LedgerEvent[][];
let store: DynamoDbReportAggregates;
let memory: InMemoryReportAggregates;

beforeAll(async () => {
  dynamo = await startDynalite();
  histories = await (await buildScenario()).histories();
  store = new DynamoDbReportAggregates({
    client: dynamo.client,
    tables: dynamo.tables,
    clock: { now: () => new Date('2026-06-10T12:00:00Z') },
  });
  memory = new InMemoryReportAggregates();
  for (const events of histories) {
    const record = caseReportRecord(events)!;
    expect(await store.put(record)).toBe(true);
    await memory.put(record);
  }
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
});

async function ids(records: AsyncIterable<CaseReportRecord>): Promise<string[]> {
  const out: string[] = [];
  for await (const record of records) out.push(record.caseId);
  return out.sort();
}

describe('DynamoDbReportAggregates (dynalite)', () => {
  it('stores a record and reads it back exactly', async () => {
    for (const events of histories) {
      expect(await store.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
    }
  });

  it('writes only a newer record, or an equal one as a repair', async () => {
    const events = histories[1]!;
    const caseId = events[0]!.caseId;
    expect(await store.put(caseReportRecord(events.slice(0, 4))!)).toBe(false);
    expect(await store.put(caseReportRecord(events)!)).toBe(false);
    expect(await store.put(caseReportRecord(events)!, { replace: true })).toBe(true);
    expect(await store.get(caseId)).toEqual(caseReportRecord(events));
  });

  it('returns the record a write replaced, in the same request', async () => {
    const events = histories[2]!;
    // Under a key of its own, removed after: the period reads below compare every stored case.
    const caseId = `${events[0]!.caseId}-swap`;
    const older = { ...caseReportRecord(events.slice(0, 3))!, caseId };
    const newer = { ...caseReportRecord(events.slice(0, 4))!, caseId };
    const sent: string[] = [];
    const counting = Object.create(dynamo.client) as typeof dynamo.client;
    counting.send = ((command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return dynamo.client.send(command as never);
    }) as typeof counting.send;
    const counted = new DynamoDbReportAggregates({ client: counting, tables: dynamo.tables });

    const first = await counted.putReturningPrevious(older);
    const written = await counted.putReturningPrevious(newer);
    const refused = await counted.putReturningPrevious(older);
    await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.reports, Key: { caseId } }));

    expect(first).toEqual({ written: true, previous: undefined });
    expect(written).toEqual({ written: true, previous: older });
    expect(refused).toEqual({ written: false });
    expect(sent).toEqual(['PutCommand', 'PutCommand', 'PutCommand']);
  });

  it.each([
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-04-01T03:59:59.999Z'],
    [{ from: '2026-03-01', to: '2026-03-31' }, '2026-03-12T14:00:00.000Z'],
    [{ from: '2026-03-10', to: '2026-03-20' }, '2026-03-21T03:59:59.999Z'],
    [{ from: '2026-04-01', to: '2026-04-30' }, '2026-05-01T03:59:59.999Z'],
    [{ from: '2026-02-01', to: '2026-02-28' }, '2026-03-01T04:59:59.999Z'],
  ])(
    'reads a period by receipt day and the earlier cases open at the cut-off (%j, %s), as the rule says',
    async (period, asOf) => {
      const expected = await ids(memory.recordsFor(period, new Date(asOf)));
      expect(expected.length).toBeGreaterThan(0);
      expect(await ids(store.recordsFor(period, new Date(asOf)))).toEqual(expected);
    },
  );

  it('keeps the latest replay result', async () => {
    expect(await store.latestReplayResult()).toBeUndefined();
    const result = {
      runId: 'run-1',
      startedAt: '2026-06-10T11:00:00.000Z',
      checkedAt: '2026-06-10T11:01:00.000Z',
      matched: true,
      differences: 0,
      cases: 12,
      differingCases: [],
    };
    await store.saveReplayResult(result);
    expect(await store.latestReplayResult()).toEqual(result);
  });
});
