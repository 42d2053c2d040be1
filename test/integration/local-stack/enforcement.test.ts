import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import type { TaskHandler } from '../../../infra/local/stepfunctions/engine';
import { client, summary } from './support';

/**
 * A workflow that fails for good on the local stack: the case is shown as "deadlines not enforced" to staff,
 * operations are alerted, and an administrator restarts enforcement; the next reminder then arrives once,
 * and no step done before the failure is done again.
 */
const START = '2026-12-18T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
/** While true, the ack reminder task fails with an error no retrier covers (it goes straight to the Catch). */
let broken = true;

beforeAll(async () => {
  stack = await startLocalStack({
    memory: true,
    virtualClock: START,
    port: 0,
    smtpPort: 0,
    quiet: true,
    stderr: () => undefined,
    wrapTask:
      (task: TaskHandler): TaskHandler =>
      (payload, context) => {
        if (broken && context.stateName === 'SendAckReminder') {
          return Promise.reject(Object.assign(new Error('injected fault'), { name: 'InjectedFault' }));
        }
        return task(payload, context);
      },
  });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

function auth(token: string) {
  return { authorization: `Bearer ${token}` };
}

describe('deadline enforcement that stopped', () => {
  it('is flagged to staff and operations, and an admin restart sends the next reminder exactly once', async () => {
    const agent = await api.login('agent');
    const admin = await api.login('admin');
    const { caseId, reference } = await api.registerLetter(agent, 'letter-e1', '2026-12-18T14:00:00Z');

    await api.clock({ to: '2027-01-07T12:00:00Z' });

    // Stopped: recorded in the ledger, operations alerted, shown on the work list and the case page.
    const failure = (await stack.ledger.read(caseId)).find((e) => e.type === 'failure.recorded');
    expect(failure?.data).toEqual({ code: 'InjectedFault', stepId: 'ack-reminder' });
    const toOperations = <M extends { to: readonly string[] }>(messages: M[]) =>
      messages.filter((m) => m.to.includes('operations@sct.example'));
    const alerts = toOperations(await api.outbox());
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('Les délais de ce dossier ne sont plus suivis');
    expect(alerts[0]?.text).not.toContain('Marie');
    const list = await api.request('GET', '/api/staff/cases', undefined, auth(agent));
    const row = (list.json['cases'] as { caseId: string; enforcementStoppedAt?: string }[]).find(
      (c) => c.caseId === caseId,
    );
    expect(row?.enforcementStoppedAt).toBe(failure?.at);
    const page = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, auth(agent));
    expect((page.json['case'] as { enforcementStoppedAt?: string }).enforcementStoppedAt).toBe(failure?.at);

    // Only an administrator restarts it, with a reason.
    const body = { reason: 'Panne corrigée' };
    const path = `/api/staff/cases/${caseId}/restart-enforcement`;
    const refused = await api.request('POST', path, body, { ...auth(agent), 'idempotency-key': 'r-1' });
    expect(refused.status).toBe(403);
    // Taken before the restart: the restarted execution does the missed reminder at once, which may be before
    // the restart's answer reaches this test (dynalite answers from its own thread).
    const before = await api.outbox();
    broken = false;
    const restarted = await api.request('POST', path, body, { ...auth(admin), 'idempotency-key': 'r-1' });
    expect(restarted.status).toBe(201);
    expect(restarted.json).toMatchObject({ caseId, generation: 2, replayed: false });
    const again = await api.request('POST', path, body, { ...auth(admin), 'idempotency-key': 'r-1' });
    expect(again.status).toBe(200);
    await api.clock({ advance: 'PT0S' });

    const flagged = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, auth(agent));
    expect(flagged.json['case']).not.toHaveProperty('enforcementStoppedAt');
    const events = await stack.ledger.read(caseId);
    expect(
      events
        .filter((e) => e.type === 'workflow.started' || e.type === 'enforcement.restarted')
        .map((e) => [e.type, (e.data as { generation: number }).generation]),
    ).toEqual([
      ['workflow.started', 1],
      ['enforcement.restarted', 2],
      ['workflow.started', 2],
    ]);

    // The missed reminder goes out once on restart, the escalation at its time; nothing else is repeated.
    await api.clock({ to: '2027-01-08T18:00:00Z' });
    const added = (await api.outbox()).slice(before.length);
    expect(toOperations(added)).toEqual([]);
    expect(summary(added)).toEqual([
      `agent.demo@sct.example | Rappel – dossier ${reference}\u00a0: accusé de réception au plus tard le lundi 11 janvier 2027`,
      `superviseure.demo@sct.example | Escalade – dossier ${reference}\u00a0: accusé de réception (lundi 11 janvier 2027)`,
    ]);
    const steps = (await stack.ledger.read(caseId)).flatMap((e) =>
      e.type === 'step.done' ? [e.data.stepId] : [],
    );
    expect(steps).toEqual(['ack-reminder', 'ack-escalation-supervisor']);
    const keys = (await stack.ledger.read(caseId)).flatMap((e) =>
      e.type === 'message.sent' ? [e.idempotencyKey] : [],
    );
    expect(new Set(keys).size).toBe(keys.length);
  }, 60_000);
});
