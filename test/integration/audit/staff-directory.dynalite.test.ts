import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { seedDemoStaffDirectory, LOCAL_SEEDER, DEMO_USERS } from '../../../infra/local/demo-users';
import {
  DynamoDbStaffDirectory,
  DynamoDbStaffDirectoryEditor,
  InvalidStaffEntryError,
  StaffDirectoryConflictError,
  StaffEntryNotFoundError,
} from '../../../shared/adapters/dynamodb';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { recipientsFor } from '../../../shared/domain/workflow/recipients';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let instant = Date.parse('2026-12-07T09:00:00.000Z');
const clock = { now: () => new Date((instant += 1)) };

beforeAll(async () => {
  dynamo = await startDynalite();
}, 30_000);

afterAll(async () => {
  await dynamo.stop();
});

function editor(): DynamoDbStaffDirectoryEditor {
  return new DynamoDbStaffDirectoryEditor({ client: dynamo.client, tables: dynamo.tables, clock });
}

const marie = { id: 'sub-marie', roles: ['agent'], units: ['statistics'], email: 'marie@sct.gouv.qc.ca' };

describe('staff directory on dynalite', () => {
  it('an edit takes effect in a running function once its read is older than the cache, without a deploy', async () => {
    let now = 0;
    const directory = new DynamoDbStaffDirectory({
      client: dynamo.client,
      tables: dynamo.tables,
      now: () => now,
    });
    const policy = loadSctPolicy();
    const category = policy.categories.find((each) => each.routing.assigneeGroup === 'statistics-officers')!;
    await editor().putGroup('statistics-officers', ['stats@sct.gouv.qc.ca'], 'Luc Admin');
    await editor().putMember(marie, 'Luc Admin');

    const before = await recipientsFor(
      { policy, directory },
      { unit: 'statistics', assignee: marie.id },
      category,
      'assignee',
    );
    expect(before).toEqual(['marie@sct.gouv.qc.ca', 'stats@sct.gouv.qc.ca']);

    await editor().putMember(
      { ...marie, email: 'marie.tremblay@sct.gouv.qc.ca', name: 'Marie Tremblay' },
      'Luc Admin',
    );
    await editor().putGroup('statistics-officers', ['statistiques@sct.gouv.qc.ca'], 'Luc Admin');
    now += 30_000;
    expect((await directory.member(marie.id))?.email).toBe('marie@sct.gouv.qc.ca');

    now += 30_000;
    const after = await recipientsFor(
      { policy, directory },
      { unit: 'statistics', assignee: marie.id },
      category,
      'assignee',
    );
    expect(after).toEqual(['marie.tremblay@sct.gouv.qc.ca', 'statistiques@sct.gouv.qc.ca']);
    expect((await directory.member(marie.id))?.name).toBe('Marie Tremblay');
  });

  it('stamps each entry with who changed it and when, and records every change with the entry before and after', async () => {
    await editor().putMember({ id: 'sub-jean', roles: ['supervisor'], units: [] }, 'Luc Admin');
    expect(await editor().putMember({ id: 'sub-jean', roles: ['supervisor'], units: [] }, 'Luc Admin')).toBe(
      'unchanged',
    );
    expect(
      await editor().putMember({ id: 'sub-jean', roles: ['supervisor'], units: ['media-relations'] }, 'Ana'),
    ).toBe('updated');
    await editor().removeMember('sub-jean', 'Ana');

    const item = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.tables.staff, Key: { pk: 'member', sk: marie.id } }),
    );
    expect(item.Item).toMatchObject({
      changedBy: 'Luc Admin',
      changedAt: expect.stringMatching(/^2026-12-07T/) as unknown,
    });
    const jean = (await editor().changes()).filter((change) => change.key === 'sub-jean');
    expect(jean.map(({ action, by, before, after }) => ({ action, by, before, after }))).toEqual([
      {
        action: 'remove',
        by: 'Ana',
        before: { id: 'sub-jean', roles: ['supervisor'], units: ['media-relations'] },
        after: undefined,
      },
      {
        action: 'put',
        by: 'Ana',
        before: { id: 'sub-jean', roles: ['supervisor'], units: [] },
        after: { id: 'sub-jean', roles: ['supervisor'], units: ['media-relations'] },
      },
      {
        action: 'put',
        by: 'Luc Admin',
        before: undefined,
        after: { id: 'sub-jean', roles: ['supervisor'], units: [] },
      },
    ]);
  });

  it('refuses an invalid entry field by field in French and English, and writes nothing', async () => {
    const attempt = editor().putMember(
      { id: 'sub-x', roles: ['wizard'], units: [], email: 'x' },
      'Luc Admin',
    );

    await expect(attempt).rejects.toBeInstanceOf(InvalidStaffEntryError);
    await expect(attempt).rejects.toMatchObject({
      issues: [
        {
          path: 'roles.0',
          fr: expect.stringMatching(/^doit être l’une des valeurs/) as unknown,
          en: expect.stringMatching(/^must be one of/) as unknown,
        },
        { path: 'email', fr: 'doit être une adresse courriel', en: 'must be an email address' },
      ],
    });
    await expect(editor().putGroup('operations', [], 'Luc Admin')).rejects.toMatchObject({
      issues: [{ path: 'addresses', en: expect.any(String) as unknown, fr: expect.any(String) as unknown }],
    });
    expect((await editor().changes()).some((change) => change.key === 'sub-x')).toBe(false);
  });

  it('says an entry to remove does not exist', async () => {
    await expect(editor().removeGroup('nobody', 'Luc Admin')).rejects.toBeInstanceOf(StaffEntryNotFoundError);
  });

  it('refuses to overwrite an entry changed since it was read (two operators at once)', async () => {
    await editor().putMember({ id: 'sub-race', roles: ['agent'], units: [] }, 'Luc Admin');
    // The conditional write sees a changedAt other than the one read: simulate the other operator's write in
    // between by changing the item under the editor's read.
    const racing = new DynamoDbStaffDirectoryEditor({
      client: {
        send: async (command: unknown) => {
          const output = await dynamo.client.send(command as GetCommand);
          if (command instanceof GetCommand) {
            await dynamo.client.send(
              new PutCommand({
                TableName: dynamo.tables.staff,
                Item: {
                  pk: 'member',
                  sk: 'sub-race',
                  member: { id: 'sub-race', roles: ['agent'], units: ['comments'] },
                  changedAt: '2026-12-07T10:00:00.000Z',
                  changedBy: 'Other',
                },
              }),
            );
          }
          return output;
        },
      } as unknown as typeof dynamo.client,
      tables: dynamo.tables,
      clock,
    });

    await expect(
      racing.putMember({ id: 'sub-race', roles: ['agent'], units: ['statistics'] }, 'Luc Admin'),
    ).rejects.toBeInstanceOf(StaffDirectoryConflictError);
    expect((await editor().list()).members.find((item) => item.sk === 'sub-race')?.member.units).toEqual([
      'comments',
    ]);
  });

  it('seeds the demo users and groups of the local stack once, keeping entries edited since', async () => {
    const local = await startDynalite('local-seed');
    try {
      const seeded = new DynamoDbStaffDirectoryEditor({ client: local.client, tables: local.tables, clock });
      const written = await seedDemoStaffDirectory(seeded, loadSctPolicy());
      await seeded.putMember(
        { id: DEMO_USERS.agent.sub, roles: ['agent'], units: ['comments'] },
        'Luc Admin',
      );

      expect(await seedDemoStaffDirectory(seeded, loadSctPolicy())).toBe(0);
      const { members, groups } = await seeded.list();
      expect(written).toBe(members.length + groups.length);
      expect(members.find((item) => item.sk === DEMO_USERS.agent.sub)?.member.units).toEqual(['comments']);
      expect(groups.find((item) => item.sk === 'operations')).toMatchObject({
        addresses: ['operations@sct.example'],
        changedBy: LOCAL_SEEDER,
      });
    } finally {
      await local.stop();
    }
  });
});
