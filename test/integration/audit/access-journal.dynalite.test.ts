import { DynamoDbAccessJournal } from '../../../shared/adapters/dynamodb/access-journal';
import type { ListViewRecord } from '../../../shared/domain/access/access-journal';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let journal: DynamoDbAccessJournal;

beforeAll(async () => {
  dynamo = await startDynalite();
  journal = new DynamoDbAccessJournal({ client: dynamo.client, tables: dynamo.tables });
});

afterAll(async () => {
  await dynamo.stop();
});

function view(at: string, n: number): ListViewRecord {
  return {
    at,
    actor: { kind: 'staff', id: `rp-${n}`, role: 'complaints-officer' },
    route: 'GET /api/staff/cases',
    caseIds: [`complaint-${String(n).padStart(4, '0')}`],
  };
}

describe('DynamoDbAccessJournal on dynalite', () => {
  it('keeps 150 concurrent list views of a day, each once, readable by day in the order written', async () => {
    const records = Array.from({ length: 150 }, (_, n) => view('2026-03-04T15:00:00.000Z', n + 1));

    await Promise.all(records.map((record) => journal.recordListView(record)));
    const day = await journal.listViewsOn('2026-03-04');

    expect(day).toHaveLength(150);
    expect(new Set(day.map((record) => record.actor.id)).size).toBe(150);
    expect([...day].sort((a, b) => a.actor.id!.localeCompare(b.actor.id!))).toEqual(
      [...records].sort((a, b) => a.actor.id!.localeCompare(b.actor.id!)),
    );
  });

  it('files a record under the Québec-local day of its instant, not the UTC one', async () => {
    // 03:30 UTC on 6 March is still 5 March in Québec.
    await journal.recordListView(view('2026-03-06T03:30:00.000Z', 900));

    expect((await journal.listViewsOn('2026-03-05')).map((record) => record.actor.id)).toEqual(['rp-900']);
    expect(await journal.listViewsOn('2026-03-06')).toEqual([]);
  });

  it('refuses a record without case ids (nothing to record)', async () => {
    await expect(
      journal.recordListView({ ...view('2026-03-04T15:00:00.000Z', 1), caseIds: [] }),
    ).rejects.toThrow();
  });
});
