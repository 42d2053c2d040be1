import { randomUUID } from 'node:crypto';

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbCaseQueries } from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import type {
  DynamoDbCaseQueriesConfig,
  InvalidListedItem,
  ListingTruncation,
} from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import type { OpenCaseFilter } from '../../../shared/domain/case/commands/queries';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, deadline, receivedDraft, staff } from '../../unit/ledger/fixtures';

const ASOF = new Date('2026-03-12T15:00:00.000Z');

function assigned(unit: string, assignee: string): EventDraft {
  return { type: 'case.assigned', at: '2026-03-02T15:00:00.000Z', actor: SYSTEM, data: { unit, assignee } };
}

/** A deadline due at the end of `dueDate` in Québec (EDT from 8 March 2026). */
function planned(kind: 'acknowledgement' | 'answer', dueDate: string): EventDraft {
  const [year, month, day] = dueDate.split('-').map(Number) as [number, number, number];
  const dueAt = new Date(Date.UTC(year, month - 1, day + 1, 3, 59, 59, 999)).toISOString();
  return {
    type: 'deadline.planned',
    at: '2026-03-02T14:00:02.000Z',
    actor: SYSTEM,
    data: { kind, deadline: deadline(dueDate, dueAt) },
  };
}

const closed: EventDraft = {
  type: 'case.closed',
  at: '2026-03-06T14:00:00.000Z',
  actor: staff('agent-roy'),
  data: { reason: 'withdrawn' },
};

const acknowledged: EventDraft = {
  type: 'case.acknowledged',
  at: '2026-03-04T14:00:00.000Z',
  actor: staff('agent-roy'),
  data: { messageId: 'ses-0002', promisedAnswerDate: '2026-03-30', automatic: false },
};

const dissatisfied: EventDraft = {
  type: 'case.dissatisfied',
  at: '2026-03-07T14:00:00.000Z',
  actor: { kind: 'citizen' },
  data: { channel: 'email' },
};

interface Fixture {
  dynamo: LocalDynamo;
  ledger: DynamoDbCaseLedger;
  newCase(drafts: EventDraft[]): Promise<string>;
  queries(config?: Partial<DynamoDbCaseQueriesConfig>): DynamoDbCaseQueries;
}

/** One dynalite per describe block, so that each block knows every case in its table. */
function useDynalite(): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.dynamo = await startDynalite();
    fixture.ledger = new DynamoDbCaseLedger({ client: fixture.dynamo.client, tables: fixture.dynamo.tables });
    fixture.newCase = async (drafts) => {
      const caseId = randomUUID();
      await fixture.ledger.append(caseId, receivedDraft());
      for (const draft of drafts) await fixture.ledger.append(caseId, draft);
      return caseId;
    };
    fixture.queries = (config = {}) =>
      new DynamoDbCaseQueries({ client: fixture.dynamo.client, tables: fixture.dynamo.tables, ...config });
  });
  afterAll(async () => {
    await fixture.dynamo.stop();
  });
  return fixture;
}

describe('DynamoDbCaseQueries on dynalite: filters', () => {
  const fx = useDynalite();
  const ids: Record<'urgent' | 'soon' | 'later' | 'queued' | 'closed', string> = {
    urgent: '',
    soon: '',
    later: '',
    queued: '',
    closed: '',
  };
  const nameOf = (caseId: string) => Object.entries(ids).find(([, id]) => id === caseId)?.[0] ?? caseId;
  const list = async (filter: Omit<OpenCaseFilter, 'asOf'> = {}) =>
    (await fx.queries().listOpenCases({ asOf: ASOF, ...filter })).map((c) => nameOf(c.caseId));

  beforeAll(async () => {
    ids.queued = await fx.newCase([]);
    ids.later = await fx.newCase([
      assigned('dgrh-statistiques', 'agent-roy'),
      planned('acknowledgement', '2026-03-09'),
      planned('answer', '2026-03-30'),
      acknowledged,
    ]);
    ids.soon = await fx.newCase([
      assigned('dgmp-statistiques', 'agent-tremblay'),
      planned('answer', '2026-03-16'),
    ]);
    ids.urgent = await fx.newCase([
      assigned('dgrh-statistiques', 'agent-roy'),
      planned('answer', '2026-03-09'),
    ]);
    ids.closed = await fx.newCase([
      assigned('dgrh-statistiques', 'agent-roy'),
      planned('answer', '2026-03-04'),
      closed,
    ]);
  });

  it('lists only open cases, the most urgent first and undated ones last', async () => {
    expect(await list()).toEqual(['urgent', 'soon', 'later', 'queued']);
  });

  it('lists an assignee’s open cases only, not their closed ones', async () => {
    expect(await list({ assignee: 'agent-roy' })).toEqual(['urgent', 'later']);
    expect(await list({ assignee: 'agent-tremblay' })).toEqual(['soon']);
    expect(await list({ assignee: 'agent-nobody' })).toEqual([]);
  });

  it('filters by unit and by status', async () => {
    expect(await list({ unit: 'dgrh-statistiques' })).toEqual(['urgent', 'later']);
    expect(await list({ unit: 'dgmp-statistiques' })).toEqual(['soon']);
    expect(await list({ status: 'acknowledged' })).toEqual(['later']);
    expect(await list({ status: 'received' })).toEqual(['urgent', 'soon', 'queued']);
    expect(await list({ unit: 'dgrh-statistiques', status: 'received' })).toEqual(['urgent']);
  });

  it('keeps overdue cases only: past deadline, open, never an undated case', async () => {
    expect(await list({ overdueOnly: true })).toEqual(['urgent']);
    expect(await list({ overdueOnly: true, assignee: 'agent-roy' })).toEqual(['urgent']);
    expect(await list({ overdueOnly: true, assignee: 'agent-tremblay' })).toEqual([]);
    expect(await list({ overdueOnly: false })).toEqual(['urgent', 'soon', 'later', 'queued']);
  });

  it('combines every filter', async () => {
    expect(
      await list({ assignee: 'agent-roy', unit: 'dgrh-statistiques', status: 'received', overdueOnly: true }),
    ).toEqual(['urgent']);
    expect(await list({ assignee: 'agent-roy', unit: 'dgmp-statistiques' })).toEqual([]);
  });
});

describe('DynamoDbCaseQueries on dynalite: lifecycle and damaged items', () => {
  const fx = useDynalite();

  it('drops a case from every listing when it closes and lists it again when it is reopened', async () => {
    const caseId = await fx.newCase([
      assigned('dgrh-statistiques', 'agent-lavoie'),
      planned('answer', '2026-03-05'),
    ]);
    const listed = async (filter: Omit<OpenCaseFilter, 'asOf'>) =>
      (await fx.queries().listOpenCases({ asOf: ASOF, ...filter })).map((c) => c.caseId);
    expect(await listed({ assignee: 'agent-lavoie', overdueOnly: true })).toEqual([caseId]);

    await fx.ledger.append(caseId, closed);

    expect(await listed({})).not.toContain(caseId);
    expect(await listed({ assignee: 'agent-lavoie' })).toEqual([]);

    await fx.ledger.append(caseId, dissatisfied);

    const [reopened] = await fx.queries().listOpenCases({ asOf: ASOF, assignee: 'agent-lavoie' });
    expect(reopened).toMatchObject({ caseId, status: 'dissatisfied' });
  });

  it('skips and reports an item altered outside the adapter, and lists it again once the ledger repaired it', async () => {
    const good = await fx.newCase([assigned('dgrh-statistiques', 'agent-gagnon')]);
    const altered = await fx.newCase([assigned('dgrh-statistiques', 'agent-gagnon')]);
    await fx.dynamo.client.send(
      new UpdateCommand({
        TableName: fx.dynamo.tables.cases,
        Key: { caseId: altered },
        UpdateExpression: 'SET #projection.#subject = :subject',
        ExpressionAttributeNames: { '#projection': 'projection', '#subject': 'subject' },
        ExpressionAttributeValues: { ':subject': 'Changed by hand' },
      }),
    );
    const invalid: InvalidListedItem[] = [];
    const queries = fx.queries({ onInvalidItem: (item) => invalid.push(item) });

    const before = await queries.listOpenCases({ asOf: ASOF, assignee: 'agent-gagnon' });

    expect(before.map((c) => c.caseId)).toEqual([good]);
    expect(invalid).toEqual([{ indexName: 'ByAssignee', caseId: altered }]);

    // Read by another instance (the one that wrote it serves the head's snapshot until the case moves).
    await new DynamoDbCaseLedger({ client: fx.dynamo.client, tables: fx.dynamo.tables }).getCase(altered);
    const after = await queries.listOpenCases({ asOf: ASOF, assignee: 'agent-gagnon' });

    expect(after.map((c) => c.caseId).sort()).toEqual([good, altered].sort());
    expect(after.find((c) => c.caseId === altered)?.subject).toBe(receivedDraft().data.subject);
    expect(invalid).toHaveLength(1);
  });
});

describe('DynamoDbCaseQueries on dynalite: pagination and bound', () => {
  const fx = useDynalite();
  const CASES = 25;
  /** Case ids by due day, most urgent first. */
  const byDue: string[] = [];

  beforeAll(async () => {
    const days = Array.from({ length: CASES }, (_, i) => i + 1);
    // Created in reverse due order, so that index order and creation order differ.
    for (const day of [...days].reverse()) {
      const unit = day % 3 === 0 ? 'dgmp-statistiques' : 'dgrh-statistiques';
      const dueDate = `2026-04-${String(day).padStart(2, '0')}`;
      byDue[day - 1] = await fx.newCase([assigned(unit, 'agent-roy'), planned('answer', dueDate)]);
    }
  });

  function queryPages(): { count: () => number; startKeys: () => unknown[] } {
    const send = jest.spyOn(fx.dynamo.client, 'send');
    const inputs = () =>
      send.mock.calls.map(([command]) => (command as { input: Record<string, unknown> }).input);
    return { count: () => inputs().length, startKeys: () => inputs().map((i) => i.ExclusiveStartKey) };
  }

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reads every page of OpenByDue through LastEvaluatedKey', async () => {
    const pages = queryPages();

    const cases = await fx.queries({ pageSize: 4 }).listOpenCases({ asOf: ASOF });

    expect(cases.map((c) => c.caseId)).toEqual(byDue);
    expect(pages.count()).toBeGreaterThanOrEqual(7);
    expect(pages.startKeys()[0]).toBeUndefined();
    expect(pages.startKeys().slice(1)).toEqual(
      Array.from({ length: pages.count() - 1 }, () =>
        expect.objectContaining({ openMarker: 'OPEN', nextDueAt: expect.any(String) }),
      ),
    );
  });

  it('reads every page of ByAssignee, including pages the filter empties', async () => {
    const pages = queryPages();

    const cases = await fx
      .queries({ pageSize: 2 })
      .listOpenCases({ asOf: ASOF, assignee: 'agent-roy', unit: 'dgmp-statistiques' });

    expect(cases.map((c) => c.caseId)).toEqual(byDue.filter((_, i) => (i + 1) % 3 === 0));
    expect(pages.count()).toBeGreaterThanOrEqual(13);
  });

  it('stops past maxCases and returns the most urgent ones, reporting the cut', async () => {
    const truncations: ListingTruncation[] = [];
    const pages = queryPages();

    const cases = await fx
      .queries({ pageSize: 4, maxCases: 10, onTruncated: (t) => truncations.push(t) })
      .listOpenCases({ asOf: ASOF });

    expect(cases.map((c) => c.caseId)).toEqual(byDue.slice(0, 10));
    expect(truncations).toEqual([{ indexName: 'OpenByDue', maxCases: 10 }]);
    expect(pages.count()).toBe(3);
  });

  it('returns exactly maxCases cases without reporting a cut when no more match', async () => {
    const onTruncated = jest.fn();

    const cases = await fx
      .queries({ pageSize: 4, maxCases: CASES, onTruncated })
      .listOpenCases({ asOf: ASOF });

    expect(cases).toHaveLength(CASES);
    expect(onTruncated).not.toHaveBeenCalled();
  });
});
