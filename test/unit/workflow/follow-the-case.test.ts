import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { reassign, recategorize } from '../../../shared/domain/case/commands';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
  type WorkflowDeps,
} from '../../../shared/domain/workflow/tasks';
import { DIRECTORY, receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';

/**
 * Staff messages follow the case: after a reassignment, reminders go to the assignee and the queue of the
 * case's current unit, escalations to that unit's supervisors and directors; what was sent stays sent.
 */

const SUPERVISOR: StaffIdentity = {
  id: 'sup-gagnon',
  roles: ['supervisor'],
  units: ['statistics', 'management-policies'],
};

const MEMBERS = [
  { ...SUPERVISOR, email: 'gagnon@sct.example' },
  { id: 'agent-roy', roles: ['agent' as const], units: ['management-policies'], email: 'roy@sct.example' },
  { id: 'agent-sans-courriel', roles: ['agent' as const], units: ['management-policies'] },
];

async function start(receivedAt: string, category = 'statistics') {
  const context = workflowDeps(receivedAt);
  const groups: Record<string, string[]> = { ...DIRECTORY };
  for (const { routing } of context.policy.categories) {
    for (const group of [routing.assigneeGroup, routing.supervisor, routing.director]) {
      groups[group] ??= [`${group}@sct.example`];
    }
  }
  const deps: WorkflowDeps = { ...context.deps, directory: new StaticStaffDirectory(groups, MEMBERS) };
  const caseId = await receiveCase(context.ledger, { receivedAt, email: 'marie@example.com', category });
  await planDeadlines(deps, caseId);
  await routeAndNotify(deps, caseId);
  return { ...context, deps, caseId };
}

/** Runs the due steps until `until`, as the state machine does. */
async function drive(deps: WorkflowDeps, clock: ManualClock, caseId: string, until: string) {
  for (let guard = 0; guard < 100; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.phase === 'done') return;
    if (check.due && check.step) {
      await performStep(deps, caseId, check.step.id);
      continue;
    }
    if (!check.waitUntil || check.waitUntil > until) {
      clock.set(until);
      return;
    }
    clock.set(check.waitUntil);
  }
  throw new Error('the workflow did not settle');
}

function staffMail(notifier: { sent: readonly { template: string; to: readonly string[] }[] }) {
  return notifier.sent.filter((m) => !m.to.includes('marie@example.com')).map((m) => [m.template, m.to]);
}

describe('staff messages follow the case to its current unit and assignee', () => {
  it('reassigned to another unit on day 2: the reminder and the escalations go to that unit', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start('2026-12-18T15:00:00Z');
    clock.set('2026-12-22T15:00:00Z');
    await reassign(deps, SUPERVISOR, {
      caseId,
      to: { unit: 'management-policies' },
      reason: 'misrouted',
    });
    await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');

    expect((await ledger.getCase(caseId))?.unit).toBe('management-policies');
    expect(staffMail(notifier)).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['reminder', ['management-policies-officers@sct.example']],
      ['escalation', ['management-policies-supervisors@sct.example']],
      ['escalation', ['management-policies-directors@sct.example']],
      ['acknowledgement-deadline-reached', ['management-policies-directors@sct.example']],
    ]);
    expect(notifier.sent.flatMap((m) => m.to).filter((to) => to.startsWith('stats'))).toEqual([
      'stats@sct.example',
    ]);
  });

  it('assigned to a person: reminders reach that person and the unit queue; escalations the unit supervisors', async () => {
    const { deps, clock, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    clock.set('2026-12-22T15:00:00Z');
    await reassign(deps, SUPERVISOR, {
      caseId,
      to: { unit: 'management-policies', assignee: 'agent-roy' },
      reason: 'expertise',
    });
    await drive(deps, clock, caseId, '2027-01-08T14:00:00Z');

    expect(staffMail(notifier)).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['reminder', ['roy@sct.example', 'management-policies-officers@sct.example']],
      ['escalation', ['management-policies-supervisors@sct.example']],
    ]);
  });

  it('an assignee the directory has no address for: the unit queue still gets the reminder', async () => {
    const { deps, clock, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    clock.set('2026-12-22T15:00:00Z');
    await reassign(deps, SUPERVISOR, {
      caseId,
      to: { unit: 'management-policies', assignee: 'agent-sans-courriel' },
      reason: 'workload',
    });
    await drive(deps, clock, caseId, '2027-01-07T14:00:00Z');

    expect(staffMail(notifier)).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['reminder', ['management-policies-officers@sct.example']],
    ]);
  });

  it('reassigned after the reminder: the reminder is not sent again, the escalation goes to the new unit', async () => {
    const { deps, clock, caseId, notifier } = await start('2026-12-18T15:00:00Z');
    await drive(deps, clock, caseId, '2027-01-07T12:00:00Z');
    await reassign(deps, SUPERVISOR, {
      caseId,
      to: { unit: 'management-policies' },
      reason: 'misrouted',
    });
    await drive(deps, clock, caseId, '2027-01-08T14:00:00Z');

    expect(staffMail(notifier)).toEqual([
      ['task-notification', ['stats@sct.example']],
      ['reminder', ['stats@sct.example']],
      ['escalation', ['management-policies-supervisors@sct.example']],
    ]);
  });

  it('recategorized from a service complaint to a supplier complaint: the public contracts unit is escalated to, and the automatic acknowledgement promises the new category’s answer delay', async () => {
    const { deps, clock, caseId, notifier, ledger } = await start(
      '2026-12-18T15:00:00Z',
      'service-complaint',
    );
    clock.set('2026-12-22T15:00:00Z');
    await recategorize(
      deps,
      { id: 'rp-lavoie', roles: ['complaints-officer'], units: [] },
      { caseId, category: 'supplier-complaint', reason: 'wrong-mailbox' },
    );
    await drive(deps, clock, caseId, '2027-01-12T12:00:00Z');

    expect(staffMail(notifier)).toEqual([
      ['task-notification', ['plaintes@sct.example']],
      ['reminder', ['public-contracts-officers@sct.example']],
      ['escalation', ['public-contracts-supervisors@sct.example']],
      ['escalation', ['public-contracts-directors@sct.example']],
      ['acknowledgement-deadline-reached', ['public-contracts-directors@sct.example']],
    ]);
    // Supplier complaints: 15 business days from receipt (a service complaint would have had 20).
    expect((await ledger.getCase(caseId))?.promisedAnswerDate).toBe('2027-01-18');
  });
});
