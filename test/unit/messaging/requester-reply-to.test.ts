import { acknowledge, answer, extend } from '../../../shared/domain/case/commands';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import type { WorkflowDeps } from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps, type ManualClock } from '../../support/workflow-fixtures';
import { AGENT, CASE_ID, LETTER_REQUESTER, harness } from '../commands/fixtures';

const REPLY_ADDRESS = /^demandes\+[a-z2-7]{26}@sct\.example$/;
/** What only ever goes to the requester; everything else the workflow sends goes to staff. */
const REQUESTER_TEMPLATES = ['automatic-receipt', 'automatic-acknowledgement', 'delay-notice'];

/** Checkpoint → perform the due step or wait, as the state machine does, until `until`. */
async function drive(deps: WorkflowDeps, clock: ManualClock, caseId: string, until: string): Promise<void> {
  for (let guard = 0; guard < 200; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.phase === 'done') return;
    if (check.due && check.step) {
      await performStep(deps, caseId, check.step.id);
      continue;
    }
    if (!check.waitUntil || check.waitUntil > until) return clock.set(until);
    clock.set(check.waitUntil);
  }
  throw new Error('the workflow did not settle');
}

describe('Reply-To of the workflow’s messages', () => {
  it('every message to the requester carries the case’s own address, the same each time; staff mail none', async () => {
    const context = workflowDeps('2026-12-18T15:00:00Z');
    const { deps, clock, ledger, notifier, replyAddresses } = context;
    const caseId = await receiveCase(ledger, {
      receivedAt: '2026-12-18T15:00:00Z',
      email: 'Marie@Example.com',
    });

    await planDeadlines(deps, caseId);
    await routeAndNotify(deps, caseId);
    // No acknowledgement by staff: automatic acknowledgement, then an overdue answer and its delay notice.
    await drive(deps, clock, caseId, '2027-04-30T12:00:00Z');

    const address = (await replyAddresses.find(caseId))?.address;
    expect(address).toMatch(REPLY_ADDRESS);
    const toRequester = notifier.sent.filter((m) => REQUESTER_TEMPLATES.includes(m.template));
    expect(toRequester.map((m) => m.template)).toEqual(REQUESTER_TEMPLATES);
    for (const message of toRequester) {
      expect(message.to).toEqual(['Marie@Example.com']);
      expect(message.replyTo).toBe(address);
    }
    const toStaff = notifier.sent.filter((m) => !REQUESTER_TEMPLATES.includes(m.template));
    expect(toStaff.map((m) => m.template)).toEqual(
      expect.arrayContaining(['task-notification', 'reminder', 'escalation']),
    );
    for (const message of toStaff) expect(message.replyTo).toBeUndefined();
    // A reply from the requester's address resolves to this case.
    const token = /\+([a-z2-7]{26})@/.exec(address ?? '')?.[1] ?? '';
    expect(await replyAddresses.resolve(token)).toEqual({ caseId, requesterEmail: 'marie@example.com' });
  });

  it('gives each case its own address', async () => {
    const { deps, ledger, notifier } = workflowDeps('2026-12-18T15:00:00Z');
    const first = await receiveCase(ledger, { receivedAt: '2026-12-18T15:00:00Z', email: 'a@example.com' });
    const second = await receiveCase(ledger, { receivedAt: '2026-12-18T15:00:00Z', email: 'a@example.com' });
    for (const caseId of [first, second]) {
      await planDeadlines(deps, caseId);
      await routeAndNotify(deps, caseId);
    }
    const receipts = notifier.sent.filter((m) => m.template === 'automatic-receipt');
    expect(receipts).toHaveLength(2);
    expect(receipts[0]?.replyTo).toMatch(REPLY_ADDRESS);
    expect(receipts[1]?.replyTo).toMatch(REPLY_ADDRESS);
    expect(receipts[0]?.replyTo).not.toBe(receipts[1]?.replyTo);
  });

  it('creates no address for a requester without an email address (letters, phone calls)', async () => {
    const { deps, ledger, notifier, replyAddresses } = workflowDeps('2026-12-18T15:00:00Z');
    const caseId = await receiveCase(ledger, { receivedAt: '2026-12-18T15:00:00Z', email: undefined });
    await planDeadlines(deps, caseId);
    await routeAndNotify(deps, caseId);
    expect(notifier.sent.map((m) => m.template)).toEqual(['task-notification']);
    expect(await replyAddresses.find(caseId)).toBeUndefined();
  });
});

describe('Reply-To of the staff commands’ messages', () => {
  it('the acknowledgement, the extension notice and the answer carry the case’s address, the same each time', async () => {
    const h = harness();
    await h.seed();

    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    await extend(h.deps, AGENT, {
      caseId: CASE_ID,
      answerBy: '2026-04-01',
      reason: 'Consultation d’une autre direction requise',
    });
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Voici les effectifs.' });

    const address = (await h.replyAddresses.find(CASE_ID))?.address;
    expect(address).toMatch(REPLY_ADDRESS);
    expect(h.notifier.sent.map((m) => [m.template, m.replyTo])).toEqual([
      ['acknowledgement', address],
      ['extension-notice', address],
      ['answer-cover', address],
    ]);
  });

  it('the workflow and the staff commands agree on the address of a case', async () => {
    const h = harness();
    await h.seed();
    const { address } = await h.replyAddresses.addressFor(CASE_ID, 'marie.gagnon@example.org');

    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    expect(h.notifier.sent[0]?.replyTo).toBe(address);
  });

  it('a letter by post creates no reply address', async () => {
    const h = harness();
    await h.seed({ requester: LETTER_REQUESTER });
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    expect(h.notifier.sent).toEqual([]);
    expect(await h.replyAddresses.find(CASE_ID)).toBeUndefined();
  });
});
