import { randomUUID } from 'node:crypto';

import { SFNClient } from '@aws-sdk/client-sfn';

import { replanFunction } from '../../../functions/replan/wiring';
import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import type { WorkflowStart } from '../../../shared/domain/workflow/ports';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { receivedDraft, staff } from '../../unit/ledger/fixtures';

/**
 * The AWS replan function on its DynamoDB adapters (dynalite): it reads the open cases through the cases
 * table's `OpenByDue` index, page by page, and never scans the ledger.
 */
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

const closed: EventDraft = {
  type: 'case.closed',
  at: '2026-03-06T14:00:00.000Z',
  actor: staff('agent-roy'),
  data: { reason: 'withdrawn' },
};

it('re-plans the open cases only, read from the OpenByDue index page by page, without a Scan', async () => {
  const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  const open: string[] = [];
  for (let i = 0; i < 5; i++) {
    const caseId = randomUUID();
    await ledger.append(caseId, receivedDraft());
    open.push(caseId);
  }
  for (let i = 0; i < 4; i++) {
    const caseId = randomUUID();
    await ledger.append(caseId, receivedDraft());
    await ledger.append(caseId, closed);
  }
  const operations: string[] = [];
  const client = Object.create(dynamo.client) as typeof dynamo.client;
  client.send = ((command: { constructor: { name: string }; input: { IndexName?: string } }) => {
    operations.push(
      `${command.constructor.name}${command.input.IndexName ? `:${command.input.IndexName}` : ''}`,
    );
    return dynamo.client.send(command as never);
  }) as typeof client.send;
  const starts: WorkflowStart[] = [];
  const logged: Record<string, unknown>[] = [];
  const handler = replanFunction({
    clients: { dynamo: client, sfn: new SFNClient({ region: 'ca-central-1' }) },
    config: { tables: dynamo.tables, stateMachineArn: 'arn:aws:states:ca-central-1:1:stateMachine:unused' },
    logger: {
      info: (_message, fields) => logged.push(fields),
      warn: () => undefined,
      error: () => undefined,
    },
    shared: {
      workflow: { start: (start) => Promise.resolve(void starts.push(start)) },
      clock: { now: () => new Date('2026-03-10T15:00:00Z') },
    },
    pageSize: 2,
  });

  const summary = await handler({});

  expect(summary).toMatchObject({ checked: 5, failed: [] });
  expect(operations).not.toContain('ScanCommand');
  expect(operations.filter((o) => o === 'QueryCommand:OpenByDue')).toHaveLength(3);
  expect(logged).toEqual([{ checked: 5, changed: 0, keptCommunicated: 0, woken: 0, failed: 0 }]);
  expect(starts).toEqual([]);
});
