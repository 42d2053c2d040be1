import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

import { makeHandler } from '../../../functions/ledger-mirror/handler';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import type { LedgerMirrorOutcome, WriteOnceStore } from '../../../shared/domain/ledger/mirror';
import { ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';
import { CASE_ID, receivedDraft } from '../ledger/fixtures';

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  seq: number,
  sequenceNumber: string,
): DynamoDBRecord {
  return {
    eventName,
    dynamodb: { Keys: { caseId: { S: CASE_ID }, seq: { N: String(seq) } }, SequenceNumber: sequenceNumber },
  };
}

function arrange(options: { failOnKey?: string } = {}) {
  const event = sealEvent(CASE_ID, undefined, receivedDraft());
  const items = new Map<number, LedgerEvent>([
    [1, event],
    [2, { ...event, seq: 2 } as LedgerEvent],
  ]);
  const objects = new Map<string, string>();
  const mirror: WriteOnceStore = {
    putIfAbsent: (key, body) => {
      if (key === options.failOnKey)
        return Promise.reject(Object.assign(new Error('x'), { name: 'SlowDown' }));
      const existing = objects.get(key);
      if (existing !== undefined) return Promise.resolve({ written: false as const, existing });
      objects.set(key, body);
      return Promise.resolve({ written: true as const });
    },
  };
  const errors: Record<string, unknown>[] = [];
  const outcomes: LedgerMirrorOutcome[] = [];
  const handler = makeHandler({
    ledger: {
      events: (_caseId, seq) => {
        const item = items.get(seq);
        return Promise.resolve(item === undefined ? undefined : [item]);
      },
    },
    mirror,
    logger: { warn: () => undefined, error: (_message, fields) => errors.push(fields) },
    metrics: { record: (outcome) => outcomes.push(outcome) },
  });
  return { handler, objects, errors, outcomes };
}

describe('ledger-mirror handler', () => {
  it('mirrors each inserted item and reports no failure', async () => {
    const { handler, objects, outcomes } = arrange();
    const event: DynamoDBStreamEvent = { Records: [record('INSERT', 1, '100'), record('INSERT', 2, '101')] };

    const response = await handler(event);

    expect(response).toEqual({ batchItemFailures: [] });
    expect([...objects.keys()]).toEqual([ledgerMirrorKey(CASE_ID, 1), ledgerMirrorKey(CASE_ID, 2)]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['mirrored', 'mirrored']);
  });

  it('logs an overwrite as an error with keys only, counts it, and does not fail the batch', async () => {
    const { handler, errors, outcomes } = arrange();

    const response = await handler({ Records: [record('INSERT', 1, '100'), record('MODIFY', 1, '101')] });

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes.at(-1)).toMatchObject({ outcome: 'tampered', reason: 'item-rewritten' });
    expect(errors).toEqual([
      expect.objectContaining({ caseId: CASE_ID, seq: 1, reason: 'item-rewritten' }) as unknown,
    ]);
    expect(JSON.stringify(errors)).not.toContain('requester');
  });

  it('reports the first failing record and every record after it', async () => {
    const { handler } = arrange({ failOnKey: ledgerMirrorKey(CASE_ID, 2) });

    const response = await handler({
      Records: [record('INSERT', 1, '100'), record('INSERT', 2, '101'), record('INSERT', 1, '102')],
    });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '101' }, { itemIdentifier: '102' }]);
  });
});
