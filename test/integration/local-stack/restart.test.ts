import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { client, summary } from './support';

/**
 * Restart safety: stop the stack while a case waits for its next timer, start it again on the same data folder,
 * and check that the case's timers resume (the steps due after the restart happen) and that nothing is sent
 * twice (every message in the outbox is recorded once in the ledger, and no message repeats).
 */
let dataDir: string;
let stack: LocalStack | undefined;
const errors: string[] = [];

function start(virtualClock: string | true): Promise<LocalStack> {
  return startLocalStack({
    dataDir,
    virtualClock,
    port: 0,
    smtpPort: 0,
    quiet: true,
    stderr: (text) => {
      if (text.startsWith('[error]')) errors.push(text);
    },
  });
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-restart-'));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function sent(events: readonly LedgerEvent[]): number {
  return events.filter((event) => event.type === 'message.sent').length;
}

function stepsDone(events: readonly LedgerEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'step.done' ? [event.data.stepId] : []));
}

describe('restart in the middle of a waiting workflow', () => {
  it('resumes the timers of every open case and sends nothing twice', async () => {
    stack = await start('2026-12-18T15:00:00Z');
    let api = client(stack.urls.web);
    const { caseId, reference } = await api.registerLetter(
      await api.login('agent'),
      'letter-r1',
      '2026-12-18T14:00:00Z',
    );
    await api.clock({ to: '2027-01-07T12:00:00Z' });
    const before = await api.outbox();
    const eventsBefore = await stack.ledger.read(caseId);
    await stack.stop();

    stack = await start(true);
    api = client(stack.urls.web);
    const resumedAt = (await api.request('GET', '/api/local/clock')).json['now'];
    const afterRestart = await api.outbox();
    const eventsAfterRestart = await stack.ledger.read(caseId);
    await api.clock({ to: '2027-01-12T18:00:00Z' });
    const after = await api.outbox();
    const events = await stack.ledger.read(caseId);

    // Before the stop: receipt, task notification, the first reminder (6 January).
    expect(stepsDone(eventsBefore)).toEqual(['ack-reminder']);
    expect(sent(eventsBefore)).toBe(before.length);
    // The second run resumed the virtual clock where the first stopped, and started the case's workflow again.
    expect(stack.resumedCases).toBe(1);
    expect(resumedAt).toBe('2027-01-07T12:00:00.000Z');
    // Re-planning from the ledger sent nothing and recorded nothing.
    expect(summary(afterRestart)).toEqual(summary(before));
    expect(eventsAfterRestart.map((event) => event.type)).toEqual(eventsBefore.map((event) => event.type));
    // The steps due after the restart happened, once each: escalation on the 8th, deadline action after the 11th.
    expect(stepsDone(events)).toEqual(expect.arrayContaining(['ack-reminder', 'ack-escalation-supervisor']));
    expect(new Set(stepsDone(events)).size).toBe(stepsDone(events).length);
    expect(stepsDone(events).length).toBeGreaterThan(2);
    expect(events.some((event) => event.type === 'case.acknowledged')).toBe(true);
    // Every message in the outbox is exactly one ledger record (a resent message would be an orphan in SES).
    const recorded = events.flatMap((event) => (event.type === 'message.sent' ? [event.data.messageId] : []));
    expect(after.map((message) => message.id).sort()).toEqual([...recorded].sort());
    expect(new Set(recorded).size).toBe(recorded.length);
    expect(after.filter((message) => message.to.includes('marie@example.com')).map((m) => m.subject)).toEqual(
      [`Réception de votre demande – ${reference}`, expect.stringContaining(reference)],
    );
    expect(errors).toEqual([]);
  }, 60_000);
});
