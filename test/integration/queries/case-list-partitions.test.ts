import { randomUUID } from 'node:crypto';

import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import {
  DynamoDbCaseSearchIndex,
  listPartitionItem,
} from '../../../shared/adapters/dynamodb/case-search-index';
import { toProjectionItem } from '../../../shared/adapters/dynamodb/projection-item';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { CaseSearchIndex } from '../../../shared/domain/case/commands/case-search';
import { findCases } from '../../../shared/domain/case/commands/find-cases';
import type { FindCasesParams } from '../../../shared/domain/case/commands/find-cases';
import { InMemoryCaseSearchIndex } from '../../../shared/domain/case/commands/in-memory-case-search';
import { listPartitionKeyOf } from '../../../shared/domain/case/commands/list-partitions';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import type { CaseProjection } from '../../../shared/domain/ledger/projection';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars } from '../../../shared/domain/time';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { AUDITOR, COMPLAINTS_OFFICER, FixedClock } from '../../unit/commands/fixtures';
import { SYSTEM, receivedDraft, staff } from '../../unit/ledger/fixtures';

/** Eight units; the agent below works in the first one only. */
const UNITS = [
  'statistics',
  'management-policies',
  'media-relations',
  'supplier-complaints',
  'doing-business',
  'unit-six',
  'unit-seven',
  'unit-eight',
];
const CLOSED_PER_UNIT = 30;
const AGENT_OF_ONE: StaffIdentity = { id: 'agent-lavoie', roles: ['agent'], units: ['statistics'] };
const AGENT_OF_TWO: StaffIdentity = {
  id: 'agent-morin',
  roles: ['agent'],
  units: ['statistics', 'media-relations'],
};

const ledger = new InMemoryCaseLedger();
const clock = new FixedClock('2026-06-01T15:00:00.000Z');
const projections: CaseProjection[] = [];
let dynamo: LocalDynamo;
/** Items returned by each Query and BatchGetItem of the counting client (the items DynamoDB bills). */
let itemsRead: Record<string, unknown>[] = [];
let countingIndex: DynamoDbCaseSearchIndex;
let memoryIndex: InMemoryCaseSearchIndex;
let sequence = 0;

/** A registered case of `unit`, received at `receivedAt`, closed when asked; confidential in the complaints unit. */
async function seed(unit: string, receivedAt: string, closed: boolean): Promise<CaseProjection> {
  sequence += 1;
  const caseId = randomUUID();
  const confidential = unit === 'service-complaints';
  const drafts: EventDraft[] = [
    {
      ...receivedDraft({
        category: confidential ? 'service-complaint' : 'statistics',
        confidential,
        subject: `Demande ${sequence}`,
        receivedAt,
      }),
      at: receivedAt,
    },
    {
      type: 'case.registered',
      at: receivedAt,
      actor: SYSTEM,
      data: { reference: `SCT-2026-${String(sequence).padStart(6, '0')}`, registeredAt: receivedAt },
    },
    { type: 'case.assigned', at: receivedAt, actor: SYSTEM, data: { unit } },
  ];
  if (closed) {
    drafts.push({ type: 'case.closed', at: receivedAt, actor: staff(), data: { reason: 'withdrawn' } });
  }
  for (const draft of drafts) await ledger.append(caseId, draft);
  const projection = (await ledger.getCase(caseId))!;
  projections.push(projection);
  return projection;
}

function find(search: CaseSearchIndex, identity: StaffIdentity, params: FindCasesParams) {
  return findCases(
    {
      ledger,
      clock,
      policy: loadSctPolicy(),
      calendars: bundledCalendars(),
      search,
      accessJournal: new InMemoryAccessJournal(),
    },
    identity,
    params,
  );
}

async function allPages(search: CaseSearchIndex, identity: StaffIdentity, params: FindCasesParams) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await find(search, identity, { ...params, ...(cursor !== undefined ? { cursor } : {}) });
    pages.push(page.cases.map((item) => item.caseId));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

/** The case items among the items read (the others record list partitions). */
function casesRead(): Record<string, unknown>[] {
  return itemsRead.filter((item) => 'projection' in item);
}

function unitOf(caseId: string): string | undefined {
  return projections.find((projection) => projection.caseId === caseId)?.unit;
}

type SortKey = (projection: CaseProjection) => string;

/** What orders a list: the sort value, then the list partition (ties across partitions). */
function orderKey(key: SortKey, caseId: string): string {
  const projection = projections.find((p) => p.caseId === caseId)!;
  return `${key(projection)}|${listPartitionKeyOf(projection)}`;
}

/** The expected order: sort value, list partition, then case id (the in-memory store's order in a tie). */
function expectedOrder(cases: readonly CaseProjection[], key: SortKey, desc = false) {
  const sorted = [...cases]
    .map((projection) => ({ order: `${orderKey(key, projection.caseId)}|${projection.caseId}`, projection }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return (desc ? sorted.reverse() : sorted).map(({ projection }) => projection.caseId);
}

/**
 * A list read page by page is the expected list; in a tie within one partition, DynamoDB keeps an order of
 * its own (not the case id's): there the list must be the same however it is cut into pages.
 */
async function expectListed(
  search: CaseSearchIndex,
  identity: StaffIdentity,
  params: FindCasesParams,
  cases: readonly CaseProjection[],
  key: SortKey,
): Promise<string[][]> {
  const pages = await allPages(search, identity, params);
  const listed = pages.flat();
  const expected = expectedOrder(cases, key, params.order === 'desc');
  if (search === memoryIndex) expect(listed).toEqual(expected);
  expect(listed.map((caseId) => orderKey(key, caseId))).toEqual(
    expected.map((caseId) => orderKey(key, caseId)),
  );
  expect([...listed].sort()).toEqual([...expected].sort());
  const inOnePage = await allPages(search, identity, { ...params, limit: 200 });
  expect(inOnePage.flat()).toEqual(listed);
  return pages;
}

beforeAll(async () => {
  // Closed cases of eight units, interleaved in time: one case of each unit every day.
  for (let day = 0; day < CLOSED_PER_UNIT; day += 1) {
    for (const [position, unit] of UNITS.entries()) {
      await seed(unit, new Date(Date.UTC(2026, 0, 1 + day, 14, position)).toISOString(), true);
    }
  }
  // Open cases received at the very same instant in three units and the complaints unit: ties in every sort.
  for (let n = 0; n < 4; n += 1) {
    for (const unit of ['statistics', 'media-relations', 'doing-business', 'service-complaints']) {
      await seed(unit, new Date(Date.UTC(2026, 4, 4 + (n % 2), 14)).toISOString(), false);
    }
  }
  dynamo = await startDynalite();
  // The items the ledger adapter writes for each case: its projection and its list partition's record.
  const items = [
    ...projections.map(toProjectionItem),
    ...[...new Set(projections.map(listPartitionKeyOf))].map(listPartitionItem),
  ];
  for (let start = 0; start < items.length; start += 25) {
    await dynamo.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [dynamo.tables.cases]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  const counting = DynamoDBDocumentClient.from(dynamo.rawClient);
  counting.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as {
        Items?: Record<string, unknown>[];
        Responses?: Record<string, Record<string, unknown>[]>;
      };
      itemsRead.push(...(output.Items ?? []), ...Object.values(output.Responses ?? {}).flat());
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'countItemsRead' },
  );
  countingIndex = new DynamoDbCaseSearchIndex({ client: counting, tables: dynamo.tables });
  memoryIndex = new InMemoryCaseSearchIndex(
    ledger,
    projections.map((projection) => projection.caseId),
    3,
  );
}, 120_000);

afterAll(async () => {
  await dynamo.stop();
});

describe('case lists read only the partitions of the person (dynalite, items counted)', () => {
  it('an agent of one unit among eight reads about its own unit’s closed cases only to fill a page', async () => {
    itemsRead = [];

    const page = await find(countingIndex, AGENT_OF_ONE, { status: 'closed', sort: 'received', limit: 20 });

    const own = projections.filter((p) => p.unit === 'statistics' && p.status === 'closed');
    expect(page.cases.map((item) => item.caseId)).toEqual(
      expectedOrder(own, (p) => p.receivedAt, true).slice(0, 20),
    );
    expect(page.nextCursor).toBeDefined();
    const ids = casesRead().map((item) => String(item.caseId));
    // The page and the one case that announces the next page; nothing of the seven other units.
    expect(ids.filter((caseId) => unitOf(caseId) !== 'statistics')).toEqual([]);
    expect(ids.length).toBeLessThanOrEqual(2 * 21);
    // Besides the cases, only the records of the closed partitions (one small item each).
    expect(itemsRead.length - ids.length).toBeLessThanOrEqual(UNITS.length);
  });

  it('an agent never reads a confidential item, and the complaints officer reads the confidential ones apart', async () => {
    itemsRead = [];
    await allPages(countingIndex, AGENT_OF_TWO, { status: 'open', sort: 'received', limit: 3 });
    expect(casesRead().filter((item) => unitOf(String(item.caseId)) === 'service-complaints')).toEqual([]);

    itemsRead = [];
    const officer = (
      await allPages(countingIndex, COMPLAINTS_OFFICER, { status: 'open', sort: 'received', limit: 3 })
    ).flat();
    const complaints = projections.filter((p) => p.unit === 'service-complaints' && p.status !== 'closed');
    // Two complaints received at each instant: DynamoDB keeps its own order between them.
    expect(officer.map((caseId) => orderKey((p) => p.receivedAt, caseId))).toEqual(
      expectedOrder(complaints, (p) => p.receivedAt, true).map((caseId) =>
        orderKey((p) => p.receivedAt, caseId),
      ),
    );
    expect([...officer].sort()).toEqual(complaints.map((p) => p.caseId).sort());
    expect(casesRead().map((item) => unitOf(String(item.caseId)))).toEqual(
      expect.arrayContaining(['service-complaints']),
    );
    expect(casesRead().every((item) => unitOf(String(item.caseId)) === 'service-complaints')).toBe(true);
  });
});

describe.each([
  ['DynamoDB (dynalite)', () => countingIndex],
  ['in memory', () => memoryIndex],
])('merged partitions, %s', (_name, searchOf) => {
  it('resumes every partition exactly from the cursor, with ties in the sort value', async () => {
    const visible = projections.filter(
      (p) => p.status !== 'closed' && (p.unit === 'statistics' || p.unit === 'media-relations'),
    );
    for (const [sort, key] of [
      ['received', (p: CaseProjection) => p.receivedAt],
      ['reference', (p: CaseProjection) => p.reference ?? ''],
      // No deadline planned: every case has the same deadline sort value (ties in and across partitions).
      ['deadline', () => ''],
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const params = { status: 'open', sort, order, limit: 3 } as const;
        const pages = await expectListed(searchOf(), AGENT_OF_TWO, params, visible, key);
        expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
      }
    }
  });

  it('lists closed cases of two units merged in order, page after page', async () => {
    const visible = projections.filter(
      (p) => p.status === 'closed' && (p.unit === 'statistics' || p.unit === 'media-relations'),
    );
    const params = { status: 'closed', sort: 'reference', limit: 7 } as const;
    const pages = await expectListed(searchOf(), AGENT_OF_TWO, params, visible, (p) => p.reference ?? '');
    expect(pages.every((page, n) => page.length === (n < pages.length - 1 ? 7 : 4))).toBe(true);
  });

  it('gives an auditor every case of every unit, confidential ones included', async () => {
    const closed = await expectListed(
      searchOf(),
      AUDITOR,
      { status: 'closed', sort: 'received', order: 'asc', limit: 50 },
      projections.filter((p) => p.status === 'closed'),
      (p) => p.receivedAt,
    );
    expect(closed).toHaveLength(5);
    await expectListed(
      searchOf(),
      AUDITOR,
      { status: 'open', sort: 'received', order: 'desc', limit: 5 },
      projections.filter((p) => p.status !== 'closed'),
      (p) => p.receivedAt,
    );
  });
});
