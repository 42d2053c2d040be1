import type { DynamoDBStreamEvent } from 'aws-lambda';

import { makeHandler } from '../../../functions/report-aggregates/handler';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { InMemoryReportAggregates, caseReportRecord } from '../../../shared/domain/report';
import { buildScenario } from './scenario';

let histories: LedgerEvent[][];

beforeAll(async () => {
  histories = await (await buildScenario()).histories();
});

function streamEvent(keys: readonly [string, number][]): DynamoDBStreamEvent {
  return {
    Records: keys.map(([caseId, seq], i) => ({
      eventName: 'INSERT',
      dynamodb: { Keys: { caseId: { S: caseId }, seq: { N: String(seq) } }, SequenceNumber: `sn-${i}` },
    })),
  };
}

describe('report-aggregates stream handler', () => {
  it('projects each case of a batch, duplicated and out-of-order records included, to what a replay gives', async () => {
    const store = new InMemoryReportAggregates();
    const byCase = new Map(histories.map((h) => [h[0]!.caseId, h]));
    const handler = makeHandler({
      ledger: { read: async (caseId) => byCase.get(caseId) ?? [] },
      store,
      logger: { warn: () => undefined },
    });
    const keys = histories.flatMap((h) => h.map((e) => [e.caseId, e.seq] as [string, number]));
    const shuffled = [...keys].reverse();
    expect(await handler(streamEvent([...shuffled, ...keys.slice(0, 5)]))).toEqual({ batchItemFailures: [] });
    for (const events of histories) {
      expect(await store.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
    }
    const before = structuredClone([...store.records]);
    expect(await handler(streamEvent(keys.slice(3, 9)))).toEqual({ batchItemFailures: [] });
    expect([...store.records]).toEqual(before);
  });

  it('reports a failing case by its first record of the batch, and the others are still projected', async () => {
    const store = new InMemoryReportAggregates();
    const [good, bad] = histories as [LedgerEvent[], LedgerEvent[]];
    const warnings: unknown[] = [];
    const handler = makeHandler({
      ledger: {
        read: async (caseId) => {
          if (caseId === bad[0]!.caseId) throw new Error('throttled');
          return good;
        },
      },
      store,
      logger: { warn: (_message, fields) => warnings.push(fields) },
    });
    const result = await handler(
      streamEvent([
        [good[0]!.caseId, 1],
        [bad[0]!.caseId, 1],
        [bad[0]!.caseId, 2],
        [good[0]!.caseId, 2],
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'sn-1' }] });
    expect(await store.get(good[0]!.caseId)).toEqual(caseReportRecord(good));
    expect(await store.get(bad[0]!.caseId)).toBeUndefined();
    expect(warnings).toEqual([{ caseId: bad[0]!.caseId, seq: 2, errorName: 'Error' }]);
  });
});
