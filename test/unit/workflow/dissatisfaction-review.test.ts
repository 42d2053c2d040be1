import { answer, recordDissatisfaction } from '../../../shared/domain/case/commands';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
  type WorkflowDeps,
} from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';

const OFFICER: StaffIdentity = { id: 'officer-1', roles: ['complaints-officer'], units: [] };
const SUFFIX = '@20270115T120000Z';

/** Drives a case as the state machine does (checkpoint, then the due step or a wait) until `until`. */
/** The workflow's ports as staff commands take them (the fixtures give both the letters port). */
function commandDeps(deps: WorkflowDeps) {
  if (deps.letters === undefined) throw new Error('the fixtures give a letters port');
  return { ...deps, letters: deps.letters };
}

async function drive(deps: WorkflowDeps, clock: ManualClock, caseId: string, until: string) {
  const performed: string[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.phase === 'done') return performed;
    if (check.due && check.step) {
      await performStep(deps, caseId, check.step.id);
      performed.push(`${check.step.id} ${clock.now().toISOString()}`);
      continue;
    }
    if (!check.waitUntil || check.waitUntil > until) {
      clock.set(until);
      return performed;
    }
    clock.set(check.waitUntil);
  }
  throw new Error('the workflow did not settle');
}

/** A service complaint answered on 21 December 2026, the requester dissatisfied on Friday 15 January 2027. */
async function dissatisfiedComplaint() {
  const context = workflowDeps('2026-12-18T15:00:00Z');
  const { deps, clock } = context;
  const caseId = await receiveCase(context.ledger, {
    receivedAt: '2026-12-18T15:00:00Z',
    email: 'marie@example.com',
    category: 'service-complaint',
  });
  await planDeadlines(deps, caseId);
  await routeAndNotify(deps, caseId);
  clock.set('2026-12-21T15:00:00Z');
  await answer(commandDeps(deps), OFFICER, { caseId, message: 'Nous avons examiné votre plainte.' });
  await drive(deps, clock, caseId, '2027-01-15T12:00:00Z');
  await recordDissatisfaction(commandDeps(deps), OFFICER, { caseId, channel: 'email' });
  return { ...context, caseId };
}

describe('the dissatisfaction review, in the workflow', () => {
  it('runs the review deadline’s reminder, escalations and bounded overdue repeats from the policy', async () => {
    const { deps, clock, caseId, ledger, notifier } = await dissatisfiedComplaint();
    // 20 business days from Friday 15 January 2027: Friday 12 February.
    expect((await ledger.getCase(caseId))?.deadlines.review?.dueDate).toBe('2027-02-12');
    const sentBefore = notifier.sent.length;

    const performed = await drive(deps, clock, caseId, '2027-03-10T12:00:00Z');

    expect(performed).toEqual([
      `dissatisfaction${SUFFIX} 2027-01-15T13:30:00.000Z`,
      `review-reminder${SUFFIX} 2027-02-09T13:30:00.000Z`,
      `review-escalation-supervisor${SUFFIX} 2027-02-11T13:30:00.000Z`,
      `review-escalation-director${SUFFIX} 2027-02-12T13:30:00.000Z`,
      `review-overdue${SUFFIX} 2027-02-15T13:30:00.000Z`,
      `review-overdue#2${SUFFIX} 2027-02-22T13:30:00.000Z`,
      `review-overdue#3${SUFFIX} 2027-03-01T13:30:00.000Z`,
      `review-overdue#4${SUFFIX} 2027-03-08T13:30:00.000Z`,
    ]);
    const staff = notifier.sent.slice(sentBefore).map((m) => [m.template, m.to[0]]);
    expect(staff.slice(0, 4)).toEqual([
      ['escalation', 'plaintes@sct.example'],
      ['reminder', 'plaintes@sct.example'],
      ['escalation', 'secretariat-general@sct.example'],
      ['escalation', 'office-of-the-secretary@sct.example'],
    ]);
    const reminder = notifier.sent[sentBefore + 1]!;
    expect(reminder.values).toMatchObject({
      deadlineName: 'réexamen à la suite de l’insatisfaction',
      dueDate: 'vendredi 12 février 2027',
    });
    expect((await ledger.getCase(caseId))?.status).toBe('dissatisfied');
  });

  it('stops the review’s reminders once the officer answers again', async () => {
    const { deps, clock, caseId, ledger } = await dissatisfiedComplaint();
    await drive(deps, clock, caseId, '2027-02-01T15:00:00Z');

    await answer(commandDeps(deps), OFFICER, {
      caseId,
      message: 'Après réexamen, nous maintenons notre réponse.',
    });
    const performed = await drive(deps, clock, caseId, '2027-03-10T12:00:00Z');

    expect(performed.filter((p) => p.startsWith('review-'))).toEqual([]);
    expect((await ledger.getCase(caseId))?.deadlines.review?.metAt).toBe('2027-02-01T15:00:00.000Z');
    expect((await ledger.getCase(caseId))?.status).toBe('closed');
  });
});
