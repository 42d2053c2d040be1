import {
  registerCase,
  type IntakeDeps,
  type IntakeRequest,
} from '../../../shared/domain/intake/register-case';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { InMemoryReferenceAllocator } from '../../../shared/domain/ledger/in-memory-ledger';
import type { Policy } from '../../../shared/domain/policy/schema';
import { checkpoint, planDeadlines, routeAndNotify } from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

const RECEIVED_AT = '2026-12-18T15:00:00.000Z';

function request(category: string): IntakeRequest {
  return {
    intakeKey: `form:${category}`,
    channel: 'web',
    category,
    requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
    subject: 'Effectif de la fonction publique 2025',
    body: 'Bonjour, je souhaite obtenir les statistiques.',
    receivedAt: RECEIVED_AT,
    actor: { kind: 'citizen' },
  };
}

/** Intake and the workflow on one in-memory ledger and one clock, with `policy` (the SCT's by default). */
function setup(policy?: Policy) {
  const context = workflowDeps(RECEIVED_AT);
  const deps = policy === undefined ? context.deps : { ...context.deps, policy };
  const intake: IntakeDeps = {
    ledger: context.ledger,
    references: new InMemoryReferenceAllocator(),
    workflow: { start: () => Promise.resolve() },
    clock: context.clock,
    policy: deps.policy,
    calendars: deps.calendars,
  };
  return { ...context, deps, intake };
}

/** What the planning and the routing recorded, whoever recorded them. */
function firstPlan(events: readonly LedgerEvent[]) {
  return events
    .filter((event) => event.type === 'deadline.planned' || event.type === 'case.assigned')
    .map((event) => ({ type: event.type, key: event.idempotencyKey, data: event.data }));
}

describe('the first plan: deadlines and assignment recorded by intake', () => {
  it('opens the case planned and assigned as the workflow plans and routes a case opened without them', async () => {
    const { intake, deps, ledger, clock } = setup();
    const older = await receiveCase(ledger, { receivedAt: RECEIVED_AT, email: 'marie@example.com' });
    clock.set('2026-12-18T15:00:05.000Z');

    const { caseId } = await registerCase(intake, request('statistics'));
    await routeAndNotify(deps, older);

    const opened = await ledger.read(caseId);
    expect(opened.map((event) => event.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(opened.every((event) => event.seq <= 5)).toBe(true);
    expect(firstPlan(opened)).toEqual(firstPlan(await ledger.read(older)));
    const planned = opened.find((event) => event.type === 'deadline.planned');
    expect(planned?.actor).toEqual({ kind: 'system', id: 'intake' });
    // The proof the staff timeline and the audit show, in both languages.
    expect(planned?.type === 'deadline.planned' && planned.data.deadline).toMatchObject({
      dueDate: '2027-01-11',
      proof: {
        calendar: { id: 'qc-fonction-publique' },
        explanation: {
          fr: expect.stringContaining('10 jours ouvrables'),
          en: expect.stringContaining('10 business days'),
        },
      },
    });
    expect(await ledger.getCase(caseId)).toMatchObject({
      unit: 'statistics',
      deadlines: { acknowledgement: { dueDate: '2027-01-11' } },
    });
  });

  it('leaves the workflow only the notifications, each once, and the first check', async () => {
    const { intake, deps, ledger, notifier } = setup();
    const { caseId } = await registerCase(intake, request('statistics'));
    const opened = await ledger.read(caseId);

    await planDeadlines(deps, caseId);
    const check = await routeAndNotify(deps, caseId);
    await routeAndNotify(deps, caseId);

    const after = await ledger.read(caseId);
    expect(after.slice(0, opened.length)).toEqual(opened);
    expect(after.slice(opened.length).map((event) => [event.type, event.idempotencyKey])).toEqual([
      ['message.sent', 'notify:task'],
      ['message.sent', 'notify:receipt'],
    ]);
    expect(notifier.sent.map((message) => [message.template, message.to])).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['automatic-receipt', ['marie@example.com']],
    ]);
    expect(notifier.sent[0]?.values).toMatchObject({ acknowledgementDueDate: 'lundi 11 janvier 2027' });
    expect(check).toEqual(await checkpoint(deps, caseId));
  });

  it('plans the answer deadline at intake for a category without an acknowledgement commitment', async () => {
    const base = workflowDeps(RECEIVED_AT).policy;
    const policy: Policy = {
      ...base,
      categories: base.categories.map((category) =>
        category.id === 'statistics' ? { ...category, acknowledgement: null } : category,
      ),
    };
    const { intake, deps, ledger, clock } = setup(policy);
    const older = await receiveCase(ledger, { receivedAt: RECEIVED_AT, email: 'marie@example.com' });
    clock.set('2026-12-18T15:00:05.000Z');

    const { caseId } = await registerCase(intake, request('statistics'));
    await planDeadlines(deps, older);
    await routeAndNotify(deps, older);

    const plan = firstPlan(await ledger.read(caseId));
    expect(plan.map((entry) => [entry.type, entry.key])).toEqual([
      ['deadline.planned', 'plan:answer'],
      ['case.assigned', 'route'],
    ]);
    expect(plan).toEqual(firstPlan(await ledger.read(older)));
    expect((await ledger.getCase(caseId))?.deadlines.answer?.proof.explanation.fr).toContain('jours');
  });
});
