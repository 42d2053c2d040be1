import { randomUUID } from 'node:crypto';

import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { findCases } from '../../../shared/domain/case/commands/find-cases';
import type { FindCasesParams } from '../../../shared/domain/case/commands/find-cases';
import { InMemoryCaseSearchIndex } from '../../../shared/domain/case/commands/in-memory-case-search';
import { listPartitionKeyOf, mayListPartition } from '../../../shared/domain/case/commands/list-partitions';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars } from '../../../shared/domain/time';
import { SYSTEM, receivedDraft, staff } from '../ledger/fixtures';
import { ADMIN, AGENT, AUDITOR, COMPLAINTS_OFFICER, FixedClock, OTHER_UNIT_AGENT } from './fixtures';

const policy = loadSctPolicy();
const AT = '2026-03-02T14:00:00.000Z';

async function caseWith(ledger: InMemoryCaseLedger, extra: EventDraft[], confidential = false) {
  const caseId = randomUUID();
  await ledger.append(caseId, {
    ...receivedDraft({ category: confidential ? 'service-complaint' : 'statistics', confidential }),
  });
  for (const draft of extra) await ledger.append(caseId, draft);
  return (await ledger.getCase(caseId))!;
}

const assigned = (unit: string): EventDraft => ({
  type: 'case.assigned',
  at: AT,
  actor: SYSTEM,
  data: { unit },
});
const closed: EventDraft = { type: 'case.closed', at: AT, actor: staff(), data: { reason: 'withdrawn' } };
const dissatisfied: EventDraft = {
  type: 'case.dissatisfied',
  at: AT,
  actor: staff('cp-lavoie', 'complaints-officer'),
  data: { channel: 'phone' },
};

describe('list partition of a case', () => {
  it('is its status and its unit, its category before routing, confidential and reviewed cases apart', async () => {
    const ledger = new InMemoryCaseLedger();
    expect(listPartitionKeyOf(await caseWith(ledger, []))).toBe('OPEN#category#statistics');
    expect(listPartitionKeyOf(await caseWith(ledger, [assigned('statistics')]))).toBe('OPEN#unit#statistics');
    expect(listPartitionKeyOf(await caseWith(ledger, [assigned('statistics'), closed]))).toBe(
      'CLOSED#unit#statistics',
    );
    expect(listPartitionKeyOf(await caseWith(ledger, [assigned('service-complaints')], true))).toBe(
      'OPEN#confidential',
    );
    expect(listPartitionKeyOf(await caseWith(ledger, [assigned('statistics'), closed, dissatisfied]))).toBe(
      'OPEN#review',
    );
  });
});

describe('partitions a person lists', () => {
  const partitions = [
    'CLOSED#confidential',
    'CLOSED#review',
    'CLOSED#unit#statistics',
    'CLOSED#unit#media-relations',
    'CLOSED#unit#service-complaints',
    'CLOSED#unit#retired-unit',
    'CLOSED#category#statistics',
    'CLOSED#category#media',
    'CLOSED#category#service-complaint',
  ];
  const listed = (identity: StaffIdentity, unit?: string) =>
    partitions.filter((key) => mayListPartition(identity, policy, key, unit));

  it('gives an agent their unit, the categories routed to it, and reviewed cases; never confidential ones', () => {
    expect(listed(AGENT)).toEqual(['CLOSED#review', 'CLOSED#unit#statistics', 'CLOSED#category#statistics']);
    expect(listed(OTHER_UNIT_AGENT)).toEqual([
      'CLOSED#review',
      'CLOSED#unit#media-relations',
      'CLOSED#category#media',
    ]);
  });

  it('gives the complaints officer the confidential cases and the queues of confidential categories', () => {
    expect(listed(COMPLAINTS_OFFICER)).toEqual([
      'CLOSED#confidential',
      'CLOSED#review',
      'CLOSED#unit#service-complaints',
      'CLOSED#category#service-complaint',
    ]);
  });

  it('gives auditors every partition and administrators every one but the confidential cases', () => {
    expect(listed(AUDITOR)).toEqual(partitions);
    expect(listed(ADMIN)).toEqual(partitions.filter((key) => key !== 'CLOSED#confidential'));
  });

  it('keeps to one unit with a unit filter (its partition, reviewed and confidential cases)', () => {
    expect(listed(AUDITOR, 'statistics')).toEqual([
      'CLOSED#confidential',
      'CLOSED#review',
      'CLOSED#unit#statistics',
    ]);
    expect(listed(AGENT, 'media-relations')).toEqual(['CLOSED#review']);
  });
});

describe('findCases over unit partitions (in memory)', () => {
  const find = (ledger: InMemoryCaseLedger, identity: StaffIdentity, params: FindCasesParams) =>
    findCases(
      {
        ledger,
        clock: new FixedClock('2026-03-04T15:00:00.000Z'),
        policy,
        calendars: bundledCalendars(),
        search: new InMemoryCaseSearchIndex(ledger, ledgerIds.get(ledger) ?? [], 2),
        accessJournal: new InMemoryAccessJournal(),
      },
      identity,
      params,
    );
  const ledgerIds = new Map<InMemoryCaseLedger, string[]>();

  it('lists a reviewed case of any unit to the complaints officer, and to its unit only otherwise', async () => {
    const ledger = new InMemoryCaseLedger();
    const reviewed = await caseWith(ledger, [assigned('media-relations'), closed, dissatisfied]);
    const ordinary = await caseWith(ledger, [assigned('media-relations')]);
    ledgerIds.set(ledger, [reviewed.caseId, ordinary.caseId]);

    const officer = await find(ledger, COMPLAINTS_OFFICER, { status: 'open' });
    expect(officer.cases.map((item) => item.caseId)).toEqual([reviewed.caseId]);
    const unitAgent = await find(ledger, OTHER_UNIT_AGENT, { status: 'open', sort: 'received' });
    expect(unitAgent.cases.map((item) => item.caseId).sort()).toEqual(
      [reviewed.caseId, ordinary.caseId].sort(),
    );
    expect((await find(ledger, AGENT, { status: 'open' })).cases).toEqual([]);
  });

  it('refuses a cursor written before the partitions', async () => {
    const ledger = new InMemoryCaseLedger();
    const cursor = Buffer.from(JSON.stringify({ v: 1, l: 'x', p: AT, id: randomUUID() })).toString(
      'base64url',
    );
    await expect(find(ledger, AGENT, { cursor })).rejects.toMatchObject({ name: 'InvalidRequestError' });
  });
});
