import { InMemoryAccessJournal } from '../../../shared/domain/audit';
import type { ListViewRecord } from '../../../shared/domain/audit';
import { AGENT, AUDITOR, COMPLAINTS_OFFICER, harness, listRows } from './fixtures';

/** 30 open complaints and one ordinary case. */
async function thirtyComplaints() {
  const h = harness();
  await h.seed();
  const complaints: string[] = [];
  for (let n = 1; n <= 30; n += 1) {
    complaints.push(
      await h.seed({ caseId: `complaint-${String(n).padStart(4, '0')}`, category: 'service-complaint' }),
    );
  }
  const lengths = new Map<string, number>();
  for (const caseId of complaints) lengths.set(caseId, (await h.ledger.read(caseId)).length);
  return { h, complaints, lengths };
}

describe('a work-list view records one access event, not one ledger write per confidential row', () => {
  it('30 complaints listed: one record naming the 30, and no write on their ledgers', async () => {
    const { h, complaints, lengths } = await thirtyComplaints();
    const journal = new InMemoryAccessJournal();

    const rows = await listRows(
      { ...h.deps, accessJournal: journal },
      COMPLAINTS_OFFICER,
      {},
      { route: 'GET /api/staff/cases' },
    );

    expect(rows).toHaveLength(30);
    for (const caseId of complaints) expect(await h.ledger.read(caseId)).toHaveLength(lengths.get(caseId)!);
    expect(journal.all()).toEqual([
      {
        at: '2026-03-04T15:00:00.000Z',
        actor: { kind: 'staff', id: 'rp-lavoie', role: 'complaints-officer' },
        route: 'GET /api/staff/cases',
        caseIds: [...complaints].sort(),
      },
    ]);
    expect(await journal.listViewsOn('2026-03-04')).toHaveLength(1);
  });

  it('an auditor’s list is one record too, under the auditor role', async () => {
    const { h } = await thirtyComplaints();
    const journal = new InMemoryAccessJournal();

    await listRows({ ...h.deps, accessJournal: journal }, AUDITOR);

    expect(journal.all()).toHaveLength(1);
    expect(journal.all()[0]).toMatchObject({ actor: { id: 'aud-bouchard', role: 'auditor' } });
    expect(journal.all()[0]?.caseIds).toHaveLength(30);
  });

  it('a list without confidential rows records nothing', async () => {
    const { h } = await thirtyComplaints();
    const journal = new InMemoryAccessJournal();

    const rows = await listRows({ ...h.deps, accessJournal: journal }, AGENT);

    expect(rows).toHaveLength(1);
    expect(journal.all()).toEqual([]);
  });

  it('when the record cannot be written, the list is not shown', async () => {
    const { h } = await thirtyComplaints();
    const failing = {
      recordListView: (_record: ListViewRecord) => Promise.reject(new Error('store unavailable')),
      listViewsOn: () => Promise.resolve([]),
    };

    await expect(listRows({ ...h.deps, accessJournal: failing }, COMPLAINTS_OFFICER)).rejects.toThrow(
      'store unavailable',
    );
  });
});
