import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { makeHandler } from '../../../functions/form-intake/handler';
import {
  DynamoDbCaseLedger,
  DynamoDbCaseQueries,
  DynamoDbReferenceAllocator,
} from '../../../shared/adapters/dynamodb';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import {
  FORM_TYPE,
  FixedClock,
  KEY,
  RecordingLogger,
  RecordingMetrics,
  RecordingWorkflow,
  VALID,
  eventOf,
} from '../../unit/form/fixtures';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

/** The form handler on the real DynamoDB adapters (dynalite), with a recording workflow port. */
function formOnDynalite() {
  const clock = new FixedClock();
  const workflow = new RecordingWorkflow();
  const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  const handler = makeHandler({
    ledger,
    references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
    workflow,
    clock,
    policy: loadSctPolicy(),
    metrics: new RecordingMetrics(),
    logger: new RecordingLogger(),
    originCheck: { mode: 'off' },
  });
  return { handler, clock, ledger, workflow };
}

describe('POST /api/requests on DynamoDB (dynalite)', () => {
  it('20 concurrent identical submissions with one Idempotency-Key make exactly one case', async () => {
    const { handler, clock, ledger, workflow } = formOnDynalite();
    const event = eventOf({ body: VALID, headers: { 'idempotency-key': KEY } }, clock);

    const responses = await Promise.all(Array.from({ length: 20 }, () => handler(structuredClone(event))));

    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, ...Array<number>(18).fill(200), 201].sort());
    const bodies = responses.map((response) => JSON.parse(response.body ?? '{}') as Record<string, unknown>);
    expect(new Set(bodies.map((body) => body['caseId'])).size).toBe(1);
    expect(new Set(bodies.map((body) => body['reference'])).size).toBe(1);
    const caseId = caseIdFor(loadSctPolicy(), `form:key:${KEY}`);
    expect(bodies[0]?.['caseId']).toBe(caseId);
    const events = await ledger.read(caseId);
    expect(events.map((e) => e.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    // Every call asks for the workflow; the execution name (the case id) makes the extra starts no-ops.
    expect(new Set(workflow.started.map((start) => start.caseId))).toEqual(new Set([caseId]));
  });

  it('20 concurrent identical posts from a browser without JavaScript (no key) make one case too', async () => {
    const { handler, clock } = formOnDynalite();
    const body = { ...VALID, subject: 'Demande envoyée vingt fois' };
    const event = eventOf({ body, contentType: FORM_TYPE }, clock);

    const responses = await Promise.all(Array.from({ length: 20 }, () => handler(structuredClone(event))));

    expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(19);
    const references = responses.map((response) => /SCT-\d{4}-\d{6}/.exec(response.body ?? '')?.[0]);
    expect(new Set(references).size).toBe(1);
    expect(references[0]).toBeDefined();
  });

  it('the case projection holds the web receipt with its evidence', async () => {
    const { handler, clock } = formOnDynalite();
    const response = await handler(
      eventOf(
        { body: { ...VALID, subject: 'Projection' }, headers: { 'idempotency-key': 'projection-0001' } },
        clock,
      ),
    );
    const { caseId } = JSON.parse(response.body ?? '{}') as { caseId: string };

    const { Item } = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.tables.cases, Key: { caseId } }),
    );

    expect(response.statusCode).toBe(201);
    expect(Item).toMatchObject({
      receivedAt: '2026-12-18T15:00:00.000Z',
      projection: { channel: 'web', receiptEvidence: { kind: 'web-server-time' } },
    });
  });

  it('lists a new case in the staff work list once the 201 is answered; its workflow starts after its events', async () => {
    const { clock, ledger } = formOnDynalite();
    const caseId = caseIdFor(loadSctPolicy(), 'form:key:work-list-0001');
    const recordedAtStart: number[] = [];
    const checking = makeHandler({
      ledger,
      references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
      workflow: {
        start: async () => void recordedAtStart.push((await ledger.read(caseId)).length),
      },
      clock,
      policy: loadSctPolicy(),
      metrics: new RecordingMetrics(),
      logger: new RecordingLogger(),
      originCheck: { mode: 'off' },
    });

    const response = await checking(
      eventOf(
        { body: { ...VALID, subject: 'Liste de travail' }, headers: { 'idempotency-key': 'work-list-0001' } },
        clock,
      ),
    );
    const listed = await new DynamoDbCaseQueries({
      client: dynamo.client,
      tables: dynamo.tables,
    }).listOpenCases({ asOf: clock.now() });

    expect(response.statusCode).toBe(201);
    expect(listed.map((item) => item.caseId)).toContain(caseId);
    expect(recordedAtStart).toEqual([5]);
  });
});
