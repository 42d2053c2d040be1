import {
  DynamoDbCaseLedger,
  DynamoDbCaseReferenceLookup,
  DynamoDbHoldingPen,
  DynamoDbReferenceAllocator,
} from '../../../shared/adapters/dynamodb';
import { HoldingItemResolvedError, StoreError } from '../../../shared/errors';
import { holdingItemId } from '../../../shared/domain/intake/email/holding-pen';
import type { HoldingAccessRecord, HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
import { registerCase } from '../../../shared/domain/intake/register-case';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { RecordingWorkflow } from '../../unit/email/fakes';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';

jest.setTimeout(60_000);

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite('holding-triage');
});

afterAll(async () => {
  await dynamo?.stop();
});

function item(rawKey: string, overrides: Partial<HoldingItem> = {}): HoldingItem {
  return {
    itemId: holdingItemId(rawKey),
    kind: 'reference-without-token',
    status: 'open',
    legalHold: false,
    rawKey,
    receivedAt: '2026-03-03T14:12:00.000Z',
    recordedAt: '2026-03-03T14:12:07.000Z',
    mailbox: 'statistiques',
    category: 'statistics',
    ...overrides,
  };
}

describe('DynamoDbHoldingPen triage on dynalite', () => {
  it('lists one kind of one status, newest first, page by page', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    for (let index = 0; index < 7; index += 1) {
      const receivedAt = `2026-03-0${index + 1}T10:00:00.000Z`;
      await pen.hold(
        item(`inbound/list-${index}`, { kind: index % 2 === 0 ? 'spam' : 'no-from', receivedAt }),
      );
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await pen.list({
        status: 'open',
        kind: 'spam',
        order: 'newest',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.every((entry) => entry.kind === 'spam')).toBe(true);
      seen.push(...page.items.map((entry) => entry.receivedAt));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined && pages < 20);

    expect(seen).toEqual([
      '2026-03-07T10:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
      '2026-03-03T10:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
  });

  it('lets exactly one of ten concurrent triages through and keeps its record', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    const held = item('inbound/race', { kind: 'spam', legalHold: true });
    await pen.hold(held);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        pen.resolve(held.itemId, {
          at: '2026-03-04T15:00:00.000Z',
          by: `clerk-${index}`,
          role: 'agent',
          resolution: 'dismissed',
          dismissReason: 'spam',
          dismissNote: `note ${index}`,
        }),
      ),
    );

    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(
      outcomes.every(
        (outcome) => outcome.status === 'fulfilled' || outcome.reason instanceof HoldingItemResolvedError,
      ),
    ).toBe(true);
    const stored = await pen.get(held.itemId);
    const winner = won[0]?.status === 'fulfilled' ? won[0].value : undefined;
    expect(stored).toEqual(winner);
    expect(stored).toMatchObject({
      status: 'resolved',
      legalHold: true,
      resolvedRole: 'agent',
      resolution: 'dismissed',
      dismissReason: 'spam',
      mailbox: 'statistiques',
      category: 'statistics',
    });
  });

  it('keeps an append-only access journal, found by item, apart from the items', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    const first = item('inbound/journal-1', { mailbox: 'plaintes', category: 'service-complaint' });
    const second = item('inbound/journal-2', { mailbox: 'plaintes', category: 'service-complaint' });
    await pen.hold(first);
    await pen.hold(second);
    const record = (n: string, at: string, itemIds: string[]): HoldingAccessRecord => ({
      recordId: n.repeat(64),
      at,
      by: 'officer-1',
      role: 'complaints-officer',
      action: itemIds.length > 1 ? 'list' : 'read',
      scope: 'content',
      itemIds,
    });
    await pen.recordAccess(record('b', '2026-03-04T15:01:00.000Z', [first.itemId]));
    await pen.recordAccess(record('a', '2026-03-04T15:00:00.000Z', [first.itemId, second.itemId]));

    expect((await pen.accessRecords(first.itemId)).map((entry) => entry.recordId)).toEqual([
      'a'.repeat(64),
      'b'.repeat(64),
    ]);
    expect(await pen.accessRecords(second.itemId)).toEqual([
      record('a', '2026-03-04T15:00:00.000Z', [first.itemId, second.itemId]),
    ]);
    // A record is never overwritten, and the journal is no triage listing.
    await expect(pen.recordAccess(record('a', '2026-03-05T15:00:00.000Z', [second.itemId]))).rejects.toThrow(
      StoreError,
    );
    expect((await pen.accessRecords(second.itemId)).map((entry) => entry.at)).toEqual([
      '2026-03-04T15:00:00.000Z',
    ]);
    const listed = await pen.list({ status: 'open', limit: 100 });
    expect(listed.items.every((entry) => /^[0-9a-f]{64}$/.test(entry.itemId))).toBe(true);
  });

  it('finds a case by its reference, and nothing for an unknown one', async () => {
    const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
    const deps = {
      ledger,
      references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
      workflow: new RecordingWorkflow(),
      clock: { now: () => new Date('2026-03-04T15:00:00.000Z') },
      policy: loadSctPolicy(),
    };
    const registered = [];
    for (let index = 0; index < 5; index += 1) {
      registered.push(
        await registerCase(deps, {
          intakeKey: `lookup-${index}`,
          channel: 'email',
          category: index % 2 === 0 ? 'service-complaint' : 'statistics',
          requester: { name: 'Marie', email: 'marie@example.com', language: 'fr' },
          subject: 'Sujet',
          body: 'Texte',
          receivedAt: '2026-03-04T14:00:00.000Z',
          actor: { kind: 'citizen' },
        }),
      );
    }
    const lookup = new DynamoDbCaseReferenceLookup({ client: dynamo.client, tables: dynamo.tables });
    for (const entry of registered) expect(await lookup.caseIdOf(entry.reference)).toBe(entry.caseId);
    expect(await lookup.caseIdOf('SCT-2026-999999')).toBeUndefined();
  });
});
