import { randomUUID } from 'node:crypto';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { reindexCases } from '../../../cli/commands/reindex';
import {
  DynamoDbCaseSearchIndex,
  listPartitionItem,
  termItem,
} from '../../../shared/adapters/dynamodb/case-search-index';
import { listPartitionKeyOf } from '../../../shared/domain/case/commands/list-partitions';
import { searchTermsOf } from '../../../shared/domain/case/search-terms';
import { DynamoDbCaseQueries } from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { findCases } from '../../../shared/domain/case/commands/find-cases';
import type { FindCasesParams, FindCasesResult } from '../../../shared/domain/case/commands/find-cases';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars } from '../../../shared/domain/time';
import { InvalidRequestError } from '../../../shared/errors';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { ADMIN, AGENT, AUDITOR, COMPLAINTS_OFFICER, FixedClock } from '../../unit/commands/fixtures';
import { SYSTEM, receivedDraft, staff } from '../../unit/ledger/fixtures';

interface Seeded {
  readonly caseId: string;
  readonly reference: string;
}

let dynamo: LocalDynamo;
let ledger: DynamoDbCaseLedger;
let index: DynamoDbCaseSearchIndex;
const journal = new InMemoryAccessJournal();
const clock = new FixedClock('2026-04-01T15:00:00.000Z');
let sequence = 0;

/** A case received `day` days after 1 March 2026, registered, in the statistics unit; closed when asked. */
async function seed(options: {
  name: string;
  email?: string;
  subject?: string;
  day: number;
  category?: string;
  closed?: boolean;
}): Promise<Seeded> {
  sequence += 1;
  const caseId = randomUUID();
  const reference = `SCT-2026-${String(sequence).padStart(6, '0')}`;
  const receivedAt = new Date(Date.UTC(2026, 2, 1 + options.day, 14)).toISOString();
  const category = options.category ?? 'statistics';
  const drafts: EventDraft[] = [
    {
      ...receivedDraft({
        category,
        confidential: category === 'service-complaint',
        requester: {
          name: options.name,
          ...(options.email !== undefined ? { email: options.email } : {}),
          language: 'fr',
        },
        subject: options.subject ?? 'Demande',
        receivedAt,
      }),
      at: receivedAt,
    },
    { type: 'case.registered', at: receivedAt, actor: SYSTEM, data: { reference, registeredAt: receivedAt } },
    {
      type: 'case.assigned',
      at: receivedAt,
      actor: SYSTEM,
      data: {
        unit: category === 'service-complaint' ? 'service-complaints' : 'statistics',
        assignee: 'agent-roy',
      },
    },
  ];
  if (options.closed === true) {
    drafts.push({
      type: 'case.closed',
      at: receivedAt,
      actor: staff('agent-roy'),
      data: { reason: 'withdrawn' },
    });
  }
  for (const draft of drafts) await ledger.append(caseId, draft);
  return { caseId, reference };
}

function find(
  identity: StaffIdentity,
  params: FindCasesParams,
  withAssigneeIndex = false,
): Promise<FindCasesResult> {
  const queries = new DynamoDbCaseQueries({ client: dynamo.client, tables: dynamo.tables });
  return findCases(
    {
      ledger,
      clock,
      policy: loadSctPolicy(),
      calendars: bundledCalendars(),
      search: index,
      accessJournal: journal,
      ...(withAssigneeIndex ? { queries } : {}),
    },
    identity,
    params,
    { route: 'GET /api/staff/cases' },
  );
}

async function allPages(identity: StaffIdentity, params: FindCasesParams): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await find(identity, { ...params, ...(cursor !== undefined ? { cursor } : {}) });
    pages.push(page.cases.map((item) => item.reference ?? ''));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

let gagne: Seeded;
let marie: Seeded;
let closedOne: Seeded;
let complaint: Seeded;
const open: Seeded[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  // Pages of 2 items: every list below reads several index pages.
  index = new DynamoDbCaseSearchIndex({ client: dynamo.client, tables: dynamo.tables, pageSize: 2 });
  gagne = await seed({
    name: 'Luc Gagné',
    email: 'luc@example.org',
    subject: 'Effectifs des ministères',
    day: 3,
  });
  marie = await seed({
    name: 'Marie-Ève Tremblay',
    email: 'marie.t@example.org',
    subject: 'Données sur les contrats publics',
    day: 1,
  });
  closedOne = await seed({ name: 'Paul Gagnon', subject: 'Statistiques fermées', day: 0, closed: true });
  complaint = await seed({
    name: 'Marie Gagné',
    email: 'marie.gagne@example.org',
    subject: 'Plainte sur les effectifs',
    day: 2,
    category: 'service-complaint',
  });
  open.push(gagne, marie);
  for (let day = 4; day < 9; day += 1) open.push(await seed({ name: `Personne ${day}`, day }));
}, 60_000);

afterAll(async () => {
  await dynamo.stop();
});

describe('findCases on DynamoDB (dynalite)', () => {
  it('finds a name without its accents and in any case, as a prefix', async () => {
    const result = await find(AGENT, { q: 'GAGNE' });
    expect(result.cases.map((item) => item.reference)).toEqual([gagne.reference]);
    const prefix = await find(AGENT, { q: 'gagn', sort: 'reference' });
    expect(prefix.cases.map((item) => item.reference)).toEqual([gagne.reference, closedOne.reference]);
  });

  it('finds a hyphenated first name and an email local part by their first word', async () => {
    const byName = await find(AGENT, { q: 'marie' });
    expect(byName.cases.map((item) => item.reference)).toEqual([marie.reference]);
    const byEmail = await find(AGENT, { q: 'marie.t@' });
    expect(byEmail.cases.map((item) => item.reference)).toEqual([marie.reference]);
    const both = await find(AGENT, { q: 'marie-eve trem' });
    expect(both.cases.map((item) => item.reference)).toEqual([marie.reference]);
  });

  it('finds words of the subject as prefixes, accents ignored, every word required', async () => {
    expect((await find(AGENT, { q: 'donnees contr' })).cases.map((item) => item.reference)).toEqual([
      marie.reference,
    ]);
    expect((await find(AGENT, { q: 'donnees effectifs' })).cases).toEqual([]);
  });

  it('finds a reference exactly, in any letter case, open or closed', async () => {
    const result = await find(AGENT, { q: closedOne.reference.toLowerCase() });
    expect(result.cases.map((item) => item.caseId)).toEqual([closedOne.caseId]);
    expect((await find(AGENT, { q: 'SCT-2026-999999' })).cases).toEqual([]);
  });

  it('lists closed cases apart from open ones', async () => {
    const closed = await find(AGENT, { status: 'closed' });
    expect(closed.cases.map((item) => item.reference)).toEqual([closedOne.reference]);
    const opened = await find(AGENT, { status: 'open', sort: 'reference' });
    expect(opened.cases.map((item) => item.reference)).toEqual(open.map((item) => item.reference).sort());
  });

  it('pages a list with its cursor, in every order, without gaps or repeats', async () => {
    const byReference = open.map((item) => item.reference).sort();
    expect(await allPages(AGENT, { sort: 'reference', order: 'asc', limit: 3 })).toEqual([
      byReference.slice(0, 3),
      byReference.slice(3, 6),
      byReference.slice(6),
    ]);
    const newestFirst = (await allPages(AGENT, { sort: 'received', limit: 2 })).flat();
    expect(newestFirst[0]).toBe(open.at(-1)?.reference);
    expect(newestFirst.at(-1)).toBe(marie.reference);
    expect(newestFirst).toHaveLength(open.length);
    const oldestFirst = (await allPages(AGENT, { sort: 'received', order: 'asc', limit: 4 })).flat();
    expect(oldestFirst).toEqual([...newestFirst].reverse());
  });

  it('pages a word search with its cursor', async () => {
    expect(await allPages(AGENT, { q: 'pers', sort: 'reference', order: 'desc', limit: 2 })).toEqual([
      [open[6]?.reference, open[5]?.reference],
      [open[4]?.reference, open[3]?.reference],
      [open[2]?.reference],
    ]);
  });

  it('never shows an agent a confidential case, not by a row, a count or a next page', async () => {
    const officer = await find(COMPLAINTS_OFFICER, { q: 'marie' });
    expect(officer.cases.map((item) => item.reference)).toEqual([complaint.reference]);
    // The complaint sits between the second and third open cases received; an agent's pages are the same
    // as if it did not exist: two full pages, then the rest, and the last page announces no other.
    const pages = await allPages(AGENT, { sort: 'received', order: 'asc', limit: 2 });
    expect(pages.flat()).not.toContain(complaint.reference);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    const exact = await find(AGENT, { sort: 'received', order: 'asc', limit: open.length });
    expect(exact.cases).toHaveLength(open.length);
    expect(exact.nextCursor).toBeUndefined();
    expect((await find(AGENT, { q: complaint.reference })).cases).toEqual([]);
    expect((await find(AGENT, { q: 'plainte' })).cases).toEqual([]);
  });

  it('records the listing of a confidential case in the access journal', async () => {
    await find(COMPLAINTS_OFFICER, { q: complaint.reference });
    const views = await journal.listViewsOn('2026-04-01');
    expect(views.at(-1)?.caseIds).toEqual([complaint.caseId]);
  });

  it('finds nothing by name or subject for metadata readers, and cases by reference', async () => {
    expect((await find(AUDITOR, { q: 'gagne' })).cases).toEqual([]);
    expect((await find(ADMIN, { q: 'marie' })).cases).toEqual([]);
    const byReference = await find(AUDITOR, { q: complaint.reference });
    expect(byReference.cases.map((item) => item.caseId)).toEqual([complaint.caseId]);
    expect(byReference.cases[0]).not.toHaveProperty('subject');
  });

  it('pages « my cases » from the assignee index as from the open partition', async () => {
    const pages = async (withIndex: boolean) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await find(
          AGENT,
          { assignee: 'agent-roy', sort: 'received', limit: 3, ...(cursor !== undefined ? { cursor } : {}) },
          withIndex,
        );
        seen.push(page.cases.map((item) => item.reference ?? ''));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return seen;
    };
    const fromIndex = await pages(true);
    expect(fromIndex).toEqual(await pages(false));
    expect(fromIndex.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(fromIndex.flat()).not.toContain(complaint.reference);
  });

  it('reindex-cases repairs a case stored before the search layout or the unit partitions, so that it is listed and found', async () => {
    const old = await seed({ name: 'Ancien Bérubé', subject: 'Vieux dossier', day: 9, closed: true });
    const projection = await ledger.getCase(old.caseId);
    const terms = searchTermsOf(projection!).map((term) => termItem(projection!, term));
    // As written before the unit partitions: one `CLOSED` partition, no record of the unit's partition.
    const partition = listPartitionItem(listPartitionKeyOf(projection!));
    expect(partition.searchTerm).toBe('CLOSED#unit#statistics');
    await dynamo.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [dynamo.tables.cases]: [...terms, partition].map((item) => ({
            DeleteRequest: { Key: { caseId: item.caseId } },
          })),
        },
      }),
    );
    await dynamo.client.send(
      new UpdateCommand({
        TableName: dynamo.tables.cases,
        Key: { caseId: old.caseId },
        UpdateExpression: 'SET listPartition = :closed REMOVE listDueAt',
        ExpressionAttributeValues: { ':closed': 'CLOSED' },
      }),
    );
    expect((await find(AGENT, { q: 'berube' })).cases).toEqual([]);
    expect((await find(AGENT, { status: 'closed' })).cases.map((item) => item.caseId)).not.toContain(
      old.caseId,
    );

    // As the CLI runs it: a new process, whose ledger remembers no head.
    const summary = await reindexCases(
      [old.caseId, gagne.caseId],
      new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }),
    );

    expect(summary).toEqual({ checked: 2, failed: [] });
    expect((await find(AGENT, { q: 'berube' })).cases.map((item) => item.caseId)).toEqual([old.caseId]);
    expect((await find(AGENT, { status: 'closed' })).cases.map((item) => item.caseId)).toContain(old.caseId);
  });

  it('keeps the newest cases of a word that matches more than asked for', async () => {
    const matches = await index.casesWithTermPrefix('personne', 2);
    expect(matches).toEqual({ caseIds: [open[6]?.caseId, open[5]?.caseId], truncated: true });
  });

  it('refuses a cursor of another list, a query without a word of two letters, all without a query', async () => {
    const first = await find(AGENT, { sort: 'reference', limit: 2 });
    expect(first.nextCursor).toBeDefined();
    await expect(
      find(AGENT, { sort: 'received', limit: 2, cursor: first.nextCursor ?? '' }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(find(AGENT, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(find(AGENT, { q: 'a b' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(find(AGENT, { status: 'all' })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
