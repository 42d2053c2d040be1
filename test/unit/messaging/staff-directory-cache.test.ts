import 'aws-sdk-client-mock-jest';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import {
  DynamoDbStaffDirectory,
  StaffGroupItemSchema,
  StaffMemberItemSchema,
  type InvalidStaffItem,
} from '../../../shared/adapters/dynamodb/staff-directory';
import { StoreError } from '../../../shared/errors';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock';

const TABLES = { staff: 'jalon-test-staff' };
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const STAMP = { changedAt: '2026-12-07T09:00:00.000Z', changedBy: 'operateur' };

function memberItem(id: string, name: string): Record<string, unknown> {
  return { pk: 'member', sk: id, member: { id, roles: ['agent'], units: ['statistics'], name }, ...STAMP };
}

function groupItem(group: string, addresses: string[]): Record<string, unknown> {
  return { pk: 'group', sk: group, addresses, ...STAMP };
}

/** The table answers each partition's Query with `items` of that partition. */
function tableHolds(items: Record<string, unknown>[]): void {
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
    Items: items.filter((item) => item['pk'] === input.ExpressionAttributeValues[':pk']),
  }));
}

beforeEach(() => ddb.reset());

describe('staff directory items', () => {
  it('accepts a member and a group as the editor writes them', () => {
    expect(StaffMemberItemSchema.safeParse(memberItem('sub-1', 'Marie Tremblay')).success).toBe(true);
    expect(StaffGroupItemSchema.safeParse(groupItem('operations', ['ops@sct.gouv.qc.ca'])).success).toBe(
      true,
    );
  });

  it('refuses a member whose key is not its id, an unknown role, a bad address, a group without addresses', () => {
    const wrongKey = { ...memberItem('sub-1', 'Marie'), sk: 'sub-2' };
    const wizard = memberItem('sub-1', 'Marie');
    (wizard['member'] as Record<string, unknown>)['roles'] = ['wizard'];
    const badEmail = memberItem('sub-1', 'Marie');
    (badEmail['member'] as Record<string, unknown>)['email'] = 'pas-une-adresse';

    expect(StaffMemberItemSchema.safeParse(wrongKey).error?.issues.map((i) => i.path)).toEqual([['sk']]);
    expect(StaffMemberItemSchema.safeParse(wizard).success).toBe(false);
    expect(StaffMemberItemSchema.safeParse(badEmail).success).toBe(false);
    expect(StaffMemberItemSchema.safeParse({ ...memberItem('sub-1', 'Marie'), changedBy: '' }).success).toBe(
      false,
    );
    expect(StaffGroupItemSchema.safeParse(groupItem('operations', [])).success).toBe(false);
  });
});

describe('DynamoDbStaffDirectory', () => {
  it('reads the member and group partitions once, then serves from memory until the read is 60 s old', async () => {
    let now = 1_000_000;
    tableHolds([memberItem('sub-1', 'Marie Tremblay'), groupItem('operations', ['ops@sct.gouv.qc.ca'])]);
    const directory = new DynamoDbStaffDirectory({ client, tables: TABLES, now: () => now });

    expect((await directory.member('sub-1'))?.name).toBe('Marie Tremblay');
    expect(await directory.addressesOf('operations')).toEqual(['ops@sct.gouv.qc.ca']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLES.staff,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'member' },
    });

    tableHolds([
      memberItem('sub-1', 'Marie Gagnon'),
      groupItem('operations', ['exploitation@sct.gouv.qc.ca']),
    ]);
    now += 59_999;
    expect((await directory.member('sub-1'))?.name).toBe('Marie Tremblay');
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);

    now += 1;
    expect((await directory.member('sub-1'))?.name).toBe('Marie Gagnon');
    expect(await directory.addressesOf('operations')).toEqual(['exploitation@sct.gouv.qc.ca']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 4);
  });

  it('serves one read however far the local virtual clock moves: its age is real time', async () => {
    tableHolds([memberItem('sub-1', 'Marie Tremblay')]);
    const clock = VirtualClock.install({ now: '2027-01-04T14:00:00Z' });
    try {
      const directory = new DynamoDbStaffDirectory({ client, tables: TABLES });
      expect((await directory.member('sub-1'))?.name).toBe('Marie Tremblay');
      tableHolds([memberItem('sub-1', 'Marie Gagnon')]);

      await clock.advanceBy('P3D');

      expect((await directory.member('sub-1'))?.name).toBe('Marie Tremblay');
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    } finally {
      clock.uninstall();
    }
  });

  it('ages its read on the monotonic clock (performance.now) by default', async () => {
    let now = 5_000;
    const monotonic = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      tableHolds([memberItem('sub-1', 'Marie Tremblay')]);
      const directory = new DynamoDbStaffDirectory({ client, tables: TABLES });
      await directory.member('sub-1');
      tableHolds([memberItem('sub-1', 'Marie Gagnon')]);

      now += 60_000;

      expect((await directory.member('sub-1'))?.name).toBe('Marie Gagnon');
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 4);
    } finally {
      monotonic.mockRestore();
    }
  });

  it('reads every page of a partition', async () => {
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'member' } })
      .resolvesOnce({ Items: [memberItem('sub-1', 'Un')], LastEvaluatedKey: { pk: 'member', sk: 'sub-1' } })
      .resolvesOnce({ Items: [memberItem('sub-2', 'Deux')] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'group' } }).resolves({ Items: [] });

    const members = await new DynamoDbStaffDirectory({ client, tables: TABLES }).members();

    expect(members.map((member) => member.id)).toEqual(['sub-1', 'sub-2']);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: { pk: 'member', sk: 'sub-1' } });
  });

  it('leaves out an invalid item and reports its key and fields, never its values; the rest still serves', async () => {
    const broken = memberItem('sub-2', 'Jean');
    (broken['member'] as Record<string, unknown>)['email'] = 'jean.secret';
    tableHolds([memberItem('sub-1', 'Marie'), broken, { pk: 'group', sk: 'operations', addresses: 'x' }]);
    const invalid: InvalidStaffItem[] = [];

    const directory = new DynamoDbStaffDirectory({
      client,
      tables: TABLES,
      onInvalidItem: (item) => invalid.push(item),
    });

    expect((await directory.members()).map((member) => member.id)).toEqual(['sub-1']);
    expect(await directory.member('sub-2')).toBeUndefined();
    expect(invalid).toEqual([
      { partition: 'member', key: 'sub-2', paths: ['member.email'] },
      { partition: 'group', key: 'operations', paths: ['addresses', 'changedAt', 'changedBy'] },
    ]);
    expect(JSON.stringify(invalid)).not.toContain('jean.secret');
  });

  it('reports a group without addresses once per read, and answers no addresses', async () => {
    let now = 0;
    tableHolds([]);
    const missing: string[] = [];
    const directory = new DynamoDbStaffDirectory({
      client,
      tables: TABLES,
      now: () => now,
      onMissingGroup: (group) => missing.push(group),
    });

    expect(await directory.addressesOf('statistics-officers')).toEqual([]);
    expect(await directory.addressesOf('statistics-officers')).toEqual([]);
    now += 60_000;
    expect(await directory.addressesOf('statistics-officers')).toEqual([]);

    expect(missing).toEqual(['statistics-officers', 'statistics-officers']);
  });

  it('keeps serving the previous read when the table cannot be read again, and says so', async () => {
    let now = 0;
    tableHolds([memberItem('sub-1', 'Marie')]);
    const stale: { errorName: string; ageMs: number }[] = [];
    const directory = new DynamoDbStaffDirectory({
      client,
      tables: TABLES,
      now: () => now,
      onStaleRead: (failure) => stale.push(failure),
    });
    await directory.members();

    ddb.reset();
    ddb.on(QueryCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    now += 61_000;

    expect((await directory.member('sub-1'))?.name).toBe('Marie');
    expect(stale).toEqual([{ errorName: 'StoreUnavailableError', ageMs: 61_000 }]);
    // No new attempt for a few seconds after a failure.
    await directory.member('sub-1');
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('throws a StoreError when it never could read the table (only the route that needs it fails)', async () => {
    ddb.on(QueryCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(
      new DynamoDbStaffDirectory({ client, tables: TABLES }).member('sub-1'),
    ).rejects.toBeInstanceOf(StoreError);
  });

  it('hands out copies: a caller cannot change what the next caller reads', async () => {
    tableHolds([memberItem('sub-1', 'Marie')]);
    const directory = new DynamoDbStaffDirectory({ client, tables: TABLES });

    const first = await directory.member('sub-1');
    (first?.units as string[]).push('media-relations');

    expect((await directory.member('sub-1'))?.units).toEqual(['statistics']);
  });
});
