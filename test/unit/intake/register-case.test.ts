import { caseIdFor, registerCase, type IntakeRequest } from '../../../shared/domain/intake/register-case';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { UnknownCategoryError } from '../../../shared/domain/policy/errors';

function setup(now = '2026-12-18T15:00:05.000Z') {
  const started: WorkflowStart[] = [];
  const workflow: Workflow = {
    start: (input) => {
      started.push(input);
      return Promise.resolve();
    },
  };
  const deps = {
    ledger: new InMemoryCaseLedger(),
    references: new InMemoryReferenceAllocator(),
    workflow,
    clock: { now: () => new Date(now) },
    policy: loadSctPolicy(),
  };
  return { deps, started };
}

const REQUEST: IntakeRequest = {
  intakeKey: 'form:7f1c',
  channel: 'web',
  category: 'service-complaint',
  requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
  subject: 'Accueil au comptoir',
  body: 'Bonjour, je souhaite porter plainte.',
  receivedAt: '2026-12-18T15:00:00Z',
  receiptEvidence: { kind: 'web-server-time' },
  actor: { kind: 'citizen' },
};

describe('registerCase', () => {
  it('records the receipt, gives a reference, starts the workflow; confidentiality comes from the category', async () => {
    const { deps, started } = setup();
    const result = await registerCase(deps, REQUEST);
    const projection = await deps.ledger.getCase(result.caseId);
    expect(result).toEqual({
      caseId: caseIdFor(deps.policy, 'form:7f1c'),
      reference: 'SCT-2026-000001',
      created: true,
      receivedAt: '2026-12-18T15:00:00.000Z',
      projection,
    });
    expect(projection).toMatchObject({
      confidential: true,
      registeredAt: '2026-12-18T15:00:05.000Z',
      receiptEvidence: { kind: 'web-server-time' },
    });
    expect(started).toEqual([{ caseId: result.caseId }]);
  });

  it('20 concurrent submissions with one key make one case with one reference', async () => {
    const { deps } = setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => registerCase(deps, REQUEST)));
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const events = await deps.ledger.read(results[0]!.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
  });

  it('a replay starts the first generation again only while the ledger says it is the live one', async () => {
    const { deps, started } = setup();
    const { caseId } = await registerCase(deps, REQUEST);
    await registerCase(deps, REQUEST);
    expect(started).toEqual([{ caseId }, { caseId }]);

    // The workflow continued as generation 2: the first execution has ended, and will be forgotten.
    await deps.ledger.append(
      caseId,
      {
        type: 'workflow.started',
        at: '2027-12-10T15:00:00.000Z',
        actor: { kind: 'system', id: 'workflow' },
        data: { generation: 2, trigger: 'continue-as-new' },
      },
      { idempotencyKey: 'workflow:g2' },
    );
    const replay = await registerCase(deps, REQUEST);
    expect(replay).toMatchObject({ caseId, created: false });
    expect(started).toHaveLength(2);
  });

  it('a replay after the workflow failed for good starts nothing (an administrator restarts it)', async () => {
    const { deps, started } = setup();
    const { caseId } = await registerCase(deps, REQUEST);
    await deps.ledger.append(caseId, {
      type: 'failure.recorded',
      at: '2026-12-20T15:00:00.000Z',
      actor: { kind: 'system', id: 'workflow' },
      data: { code: 'EmailServiceUnavailableError', stepId: 'ack-reminder' },
    });
    await registerCase(deps, REQUEST);
    expect(started).toHaveLength(1);
    expect((await deps.ledger.getCase(caseId))?.enforcementStoppedAt).toBe('2026-12-20T15:00:00.000Z');
  });

  it('opens a new case in one ledger write and starts its workflow beside the read model', async () => {
    const { deps, started } = setup();
    const calls: string[] = [];
    const ledger = deps.ledger;
    const spying = Object.assign(Object.create(ledger) as InMemoryCaseLedger, {
      openCase: (...args: Parameters<InMemoryCaseLedger['openCase']>) => {
        calls.push('openCase');
        const [, , options] = args;
        return ledger.openCase(args[0], args[1], {
          alongside: async () => {
            calls.push('alongside');
            await options?.alongside?.();
          },
        });
      },
      append: (...args: Parameters<InMemoryCaseLedger['append']>) => {
        calls.push('append');
        return ledger.append(...args);
      },
    });

    const result = await registerCase({ ...deps, ledger: spying }, REQUEST);

    expect(calls).toEqual(['openCase', 'alongside']);
    expect(started).toEqual([{ caseId: result.caseId }]);
    expect((await ledger.read(result.caseId)).map((e) => [e.seq, e.type, e.idempotencyKey])).toEqual([
      [1, 'case.received', 'intake:received'],
      [2, 'case.registered', 'intake:registered'],
      [3, 'deadline.planned', 'plan:acknowledgement'],
      [4, 'case.assigned', 'route'],
      [5, 'workflow.started', 'workflow:g1'],
    ]);
  });

  it('a replay keeps the case and its reference but burns the number it allocated', async () => {
    const { deps } = setup();
    const first = await registerCase(deps, REQUEST);

    const replay = await registerCase(deps, REQUEST);
    const next = await registerCase(deps, { ...REQUEST, intakeKey: 'form:other' });

    expect(replay).toMatchObject({ caseId: first.caseId, reference: 'SCT-2026-000001', created: false });
    expect(next.reference).toBe('SCT-2026-000003');
    expect(await deps.ledger.read(first.caseId)).toHaveLength(5);
  });

  it('completes a registration interrupted after the receipt with the reference the retry allocated', async () => {
    const { deps, started } = setup();
    const caseId = caseIdFor(deps.policy, REQUEST.intakeKey);
    await deps.ledger.append(
      caseId,
      {
        type: 'case.received',
        at: '2026-12-18T15:00:01.000Z',
        actor: { kind: 'citizen' },
        data: {
          channel: 'web',
          category: 'service-complaint',
          requester: REQUEST.requester,
          subject: REQUEST.subject,
          body: REQUEST.body,
          attachments: [],
          receivedAt: '2026-12-18T15:00:00.000Z',
          confidential: true,
        },
      },
      { idempotencyKey: 'intake:received' },
    );

    const result = await registerCase(deps, REQUEST);

    expect(result).toMatchObject({ caseId, reference: 'SCT-2026-000001', created: false });
    expect((await deps.ledger.read(caseId)).map((e) => e.type)).toEqual([
      'case.received',
      'case.registered',
      'workflow.started',
    ]);
    expect(started).toEqual([{ caseId }]);
  });

  it('a workflow that fails to start leaves the case recorded; the retry starts it', async () => {
    const { deps, started } = setup();
    const failing = { ...deps, workflow: { start: () => Promise.reject(new Error('throttled')) } };

    await expect(registerCase(failing, REQUEST)).rejects.toThrow('throttled');
    const retry = await registerCase(deps, REQUEST);

    expect(retry).toMatchObject({ reference: 'SCT-2026-000001', created: false });
    expect(await deps.ledger.read(retry.caseId)).toHaveLength(5);
    expect(started).toEqual([{ caseId: retry.caseId }]);
  });

  it('references follow the year of registration in Québec', async () => {
    const { deps } = setup('2027-01-01T05:00:00.000Z');
    const result = await registerCase(deps, { ...REQUEST, intakeKey: 'form:new-year' });
    expect(result.reference).toBe('SCT-2027-000001');
  });

  it('refuses an unknown category and writes nothing', async () => {
    const { deps, started } = setup();
    await expect(registerCase(deps, { ...REQUEST, category: 'weather' })).rejects.toBeInstanceOf(
      UnknownCategoryError,
    );
    expect(await deps.ledger.read(caseIdFor(deps.policy, REQUEST.intakeKey))).toEqual([]);
    expect(started).toEqual([]);
  });
});
