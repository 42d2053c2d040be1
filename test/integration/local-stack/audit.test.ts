import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The audit API on the whole local stack: a letter registered through the staff API, a few virtual days, then
 * the auditor's timeline (ledger events and the workflow's execution events) and the whole-ledger check, which
 * must notice an item edited directly in dynalite.
 */
const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

interface Timeline {
  case: Record<string, unknown>;
  deadlines: { kind: string; dueDate: string; proof: { calendar: { id: string } } }[];
  events: { seq: number; type: string; hash: string; prevHash: string; details: Record<string, unknown> }[];
  execution: { name: string; status: string; events: { id: number; type: string; state?: string }[] }[];
  chain: unknown;
}

describe('audit API on the local stack', () => {
  let caseId = '';

  it('gives the auditor the ledger events and the execution events, Wait states included', async () => {
    const agent = await api.login('agent');
    ({ caseId } = await api.registerLetter(agent, 'audit-letter-1', '2026-03-02T14:00:00Z'));
    await api.clock({ advance: 'P10D' });
    const auditor = await api.login('auditor');

    const response = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, {
      authorization: `Bearer ${auditor}`,
    });

    expect(response.status).toBe(200);
    const timeline = response.json as unknown as Timeline;
    expect(timeline.case).toMatchObject({ caseId, scope: 'metadata', channel: 'mail' });
    const types = timeline.events.map((event) => event.type);
    // Intake records the first plan (the deadline with its proof, the assignment) in the case's opening.
    expect(types.slice(0, 5)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(timeline.events.map((event) => event.seq)).toEqual(types.map((_, index) => index + 1));
    for (const [index, event] of timeline.events.entries()) {
      if (index > 0) expect(event.prevHash).toBe(timeline.events[index - 1]?.hash);
    }
    expect(timeline.deadlines[0]).toMatchObject({ kind: 'acknowledgement', dueDate: '2026-03-16' });
    expect(timeline.deadlines[0]?.proof.calendar.id).toBe('qc-fonction-publique');
    expect(timeline.chain).toEqual({ ok: true });

    expect(timeline.execution.map((execution) => [execution.name, execution.status])).toEqual([
      [caseId, 'RUNNING'],
    ]);
    const executionEvents = timeline.execution[0]!.events;
    expect(executionEvents[0]?.type).toBe('ExecutionStarted');
    expect(executionEvents.some((event) => event.type === 'WaitStateEntered' && event.state)).toBe(true);
    expect(executionEvents.some((event) => event.type === 'WaitStateExited')).toBe(true);
    expect(executionEvents.some((event) => event.type === 'TaskSucceeded')).toBe(true);

    for (const personal of ['Marie Tremblay', 'marie@example.com', 'Effectif de la fonction', 'Bonjour']) {
      expect(response.text).not.toContain(personal);
    }
  });

  it('refuses an agent (403) and answers 404 for an unknown case', async () => {
    const agent = await api.login('agent');
    const auditor = await api.login('auditor');

    const refused = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    const unknown = await api.request('GET', '/api/audit/cases/no-such-case/timeline', undefined, {
      authorization: `Bearer ${auditor}`,
    });
    const anonymous = await api.request('GET', '/api/audit/ledger/verify');

    expect([refused.status, unknown.status, anonymous.status]).toEqual([403, 404, 401]);
  });

  it('verifies the whole ledger, then names the case and seq of an item edited in dynalite', async () => {
    const auditor = await api.login('auditor');
    const verify = () =>
      api.request('GET', '/api/audit/ledger/verify', undefined, { authorization: `Bearer ${auditor}` });

    const intact = await verify();
    expect(intact.status).toBe(200);
    expect(intact.json).toMatchObject({ ok: true, cases: 1 });
    expect(intact.json['events']).toBeGreaterThanOrEqual(4);

    const raw = new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await DynamoDBDocumentClient.from(raw).send(
        new UpdateCommand({
          TableName: stack.tables.ledger,
          // Intake wrote the case's first three events as one item at seq 1: seq 2 is its first following event.
          Key: { caseId, seq: 1 },
          UpdateExpression: 'SET #following[0].#at = :at',
          ExpressionAttributeNames: { '#following': 'following', '#at': 'at' },
          ExpressionAttributeValues: { ':at': '2026-03-01T12:00:00.000Z' },
        }),
      );
    } finally {
      raw.destroy();
    }

    const tampered = await verify();
    expect(tampered.status).toBe(200);
    expect(tampered.json).toMatchObject({
      ok: false,
      cases: 1,
      badCases: [{ caseId, seq: 2, problem: 'hash-mismatch' }],
      badCaseCount: 1,
    });
  });
});
