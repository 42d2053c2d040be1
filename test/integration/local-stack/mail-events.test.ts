import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { MAILBOX_SIMULATOR } from '../../../infra/local/mail-events';
import { client } from './support';

/**
 * What SES reports about sent mail, on the local stack: each message the SES emulator accepts produces its
 * SES event, handled by the mail-events handler (the Lambda's code). A receipt to an ordinary address is
 * recorded as delivered; one to the mailbox simulator's bounce address bounces for good, and the case shows
 * the bounce (staff history, audit timeline) and the "reach the requester" task on the work list, until staff
 * record that they reached the requester another way.
 */
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
  });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const SUBMISSION = {
  category: 'statistics',
  name: 'Marie Tremblay',
  subject: 'Effectifs de la fonction publique 2025',
  message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
  website: '',
};

interface HistoryEntry {
  type: string;
  recipient?: string;
  bounceType?: string;
  channel?: string;
}

/** Submits the form with `email`, waits until the stack is idle, and reads the case as an agent. */
async function submitAndRead(email: string, key: string) {
  const submitted = await api.request(
    'POST',
    '/api/requests',
    { ...SUBMISSION, email },
    { 'idempotency-key': key },
  );
  expect(submitted.status).toBe(201);
  const caseId = submitted.json['caseId'] as string;
  await api.clock({ advance: 'PT0S' });
  const auth = { authorization: `Bearer ${await api.login('agent')}` };
  const detail = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, auth);
  expect(detail.status).toBe(200);
  const page = detail.json['case'] as { undeliveredMessages?: number; history: HistoryEntry[] };
  const list = (await api.request('GET', '/api/staff/cases', undefined, auth)).json['cases'] as {
    caseId: string;
    undeliveredMessages?: number;
  }[];
  return { caseId, page, row: list.find((item) => item.caseId === caseId) };
}

describe('mail events on the local stack', () => {
  it('records the delivery of a receipt the SES emulator accepted', async () => {
    const { page, row } = await submitAndRead('marie.tremblay@example.com', 'mail-events-delivered-1');

    const mailEvents = page.history.filter((entry) => entry.recipient === 'requester');
    expect(mailEvents).toEqual([
      expect.objectContaining({ type: 'message.delivered', recipient: 'requester' }),
    ]);
    expect(page.undeliveredMessages).toBeUndefined();
    expect(row?.undeliveredMessages).toBeUndefined();
  });

  it('records a receipt that bounced as message.bounced and makes it a staff task, seen by the auditor too', async () => {
    const { caseId, page, row } = await submitAndRead(MAILBOX_SIMULATOR.bounce, 'mail-events-bounced-1');

    expect(page.history).toContainEqual(
      expect.objectContaining({ type: 'message.bounced', recipient: 'requester', bounceType: 'permanent' }),
    );
    expect(
      page.history.some((entry) => entry.type === 'message.delivered' && entry.recipient === 'requester'),
    ).toBe(false);
    expect(page.undeliveredMessages).toBe(1);
    expect(row?.undeliveredMessages).toBe(1);

    const auditor = { authorization: `Bearer ${await api.login('auditor')}` };
    const timeline = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, auditor);
    const events = timeline.json['events'] as { type: string; details: Record<string, unknown> }[];
    const bounced = events.filter((event) => event.type === 'message.bounced');
    expect(bounced).toHaveLength(1);
    expect(bounced[0]?.details).toMatchObject({
      recipient: 'requester',
      purpose: 'receipt',
      bounceType: 'permanent',
    });
    expect(JSON.stringify(bounced[0]?.details)).not.toContain('simulator.amazonses.com');
  });

  it('clears the task once staff record that they reached the requester another way, seen in the timeline', async () => {
    const { caseId, page, row } = await submitAndRead(MAILBOX_SIMULATOR.bounce, 'mail-events-reached-1');
    expect(page.undeliveredMessages).toBe(1);
    expect(row?.undeliveredMessages).toBe(1);
    await api.clock({ advance: 'PT1H' });
    const agent = { authorization: `Bearer ${await api.login('agent')}` };
    const path = `/api/staff/cases/${caseId}/requester-reached`;
    const contact = {
      channel: 'phone',
      reachedAt: '2026-12-18T10:45:00-05:00',
      note: 'Joint au téléphone : son adresse courriel avait changé.',
    };

    const future = await api.request(
      'POST',
      path,
      { ...contact, reachedAt: '2026-12-19T10:45:00-05:00' },
      { ...agent, 'idempotency-key': 'reached-future', 'accept-language': 'en' },
    );
    const recorded = await api.request('POST', path, contact, { ...agent, 'idempotency-key': 'reached-1' });

    expect(future.status).toBe(422);
    expect(future.json).toMatchObject({
      code: 'REACHED_AT_IN_FUTURE',
      errors: [{ field: 'reachedAt', pointer: '/reachedAt', messages: { fr: expect.any(String) as string } }],
    });
    expect(recorded.status).toBe(201);
    expect(recorded.json).toMatchObject({ channel: 'phone', undeliveredMessages: 0 });
    const detail = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, agent);
    const after = detail.json['case'] as { undeliveredMessages?: number; history: HistoryEntry[] };
    expect(after.undeliveredMessages).toBeUndefined();
    expect(after.history.at(-1)).toMatchObject({ type: 'requester.reached', channel: 'phone' });
    const list = (await api.request('GET', '/api/staff/cases', undefined, agent)).json['cases'] as {
      caseId: string;
      undeliveredMessages?: number;
    }[];
    expect(list.find((item) => item.caseId === caseId)?.undeliveredMessages).toBeUndefined();

    const auditor = { authorization: `Bearer ${await api.login('auditor')}` };
    const timeline = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, auditor);
    const events = timeline.json['events'] as { type: string; details: Record<string, unknown> }[];
    const reached = events.find((event) => event.type === 'requester.reached');
    expect(reached?.details).toEqual({
      channel: 'phone',
      reachedAt: '2026-12-18T15:45:00.000Z',
      messageIds: [expect.any(String)],
      noteLength: contact.note.length,
    });
  });
});
