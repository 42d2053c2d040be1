import { DynamoDbHoldingPen } from '../../../shared/adapters/dynamodb';
import { HoldingItemResolvedError } from '../../../shared/errors';
import { holdingItemId } from '../../../shared/domain/intake/email/holding-pen';
import type { HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
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
});
