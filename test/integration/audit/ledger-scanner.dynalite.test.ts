import { randomUUID } from 'node:crypto';

import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbLedgerScanner } from '../../../shared/adapters/dynamodb/ledger-scanner';
import { verifyLedger } from '../../../shared/domain/audit';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { lifecycleDrafts, receivedDraft } from '../../unit/ledger/fixtures';
import { AUDITOR } from '../../unit/commands/fixtures';

let dynamo: LocalDynamo;
let ledger: DynamoDbCaseLedger;
const caseIds: string[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  for (let index = 0; index < 6; index += 1) {
    const caseId = randomUUID();
    await ledger.append(caseId, receivedDraft());
    for (const draft of lifecycleDrafts().slice(0, index + 1)) await ledger.append(caseId, draft);
    caseIds.push(caseId);
  }
});

afterAll(async () => {
  await dynamo.stop();
});

function byCaseId(a: { caseId: string }, b: { caseId: string }): number {
  return a.caseId.localeCompare(b.caseId);
}

function scanner(pageSize?: number) {
  return new DynamoDbLedgerScanner({
    client: dynamo.client,
    tables: dynamo.tables,
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
}

describe('DynamoDbLedgerScanner on dynalite', () => {
  it('reads every event over several pages, each case together and in seq order', async () => {
    const pages: number[] = [];
    const byCase: string[] = [];
    const seqs = new Map<string, number[]>();
    for await (const page of scanner(4).events()) {
      pages.push(page.length);
      for (const event of page) {
        if (byCase.at(-1) !== event.caseId) byCase.push(event.caseId);
        seqs.set(event.caseId, [...(seqs.get(event.caseId) ?? []), event.seq]);
      }
    }
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(2 + 3 + 4 + 5 + 6 + 7);
    expect([...byCase].sort()).toEqual([...caseIds].sort());
    for (const [, list] of seqs) expect(list).toEqual(list.map((_, i) => i + 1));
  });

  it('gives the head of every intact projection, and the case ids', async () => {
    const heads = await scanner(2).projectionHeads();
    expect(heads.size).toBe(6);
    const tail = (await ledger.read(caseIds[2]!)).at(-1)!;
    expect(heads.get(caseIds[2]!)).toEqual({ seq: tail.seq, hash: tail.hash });
    expect((await scanner(3).caseIds()).sort()).toEqual([...caseIds].sort());
  });

  it('lets verifyLedger pass an intact ledger, then name every case with an item altered in the table', async () => {
    expect(await verifyLedger({ scanner: scanner(5), ledger }, AUDITOR)).toEqual({
      ok: true,
      cases: 6,
      events: 27,
    });

    const [first, second] = [caseIds[4]!, caseIds[1]!];
    for (const target of [first, second]) {
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.ledger,
          Key: { caseId: target, seq: 3 },
          UpdateExpression: 'SET #at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': '2026-01-01T00:00:00.000Z' },
        }),
      );
    }
    const result = await verifyLedger({ scanner: scanner(5), ledger }, AUDITOR);
    expect({ ...result, badCases: [...(result.badCases ?? [])].sort(byCaseId) }).toEqual({
      ok: false,
      cases: 6,
      events: 27,
      badCases: [
        { caseId: first, seq: 3, problem: 'hash-mismatch' },
        { caseId: second, seq: 3, problem: 'hash-mismatch' },
      ].sort(byCaseId),
      badCaseCount: 2,
      truncated: false,
    });
  });

  it('catches a deleted tail against the projection head', async () => {
    const target = caseIds[5]!;
    await dynamo.client.send(
      new DeleteCommand({ TableName: dynamo.tables.ledger, Key: { caseId: target, seq: 7 } }),
    );

    const result = await verifyLedger({ scanner: scanner(), ledger }, AUDITOR);

    expect(result.ok).toBe(false);
    expect(result.events).toBe(26);
    expect(result.badCases?.map((bad) => bad.caseId).sort()).toEqual([caseIds[1], caseIds[4], target].sort());
    expect(result.badCaseCount).toBe(3);
  });
});
