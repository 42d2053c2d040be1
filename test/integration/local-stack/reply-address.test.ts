import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client, sendSmtp } from './support';

/**
 * Threading on the local stack: the messages Jalon sends a requester (the workflow's receipt, a staff
 * acknowledgement) carry the case's own reply address as Reply-To, and the requester's reply to it over SMTP
 * joins that case (`message.received`), through the same email-intake handler as any received mail.
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

const REQUESTER = 'lea.roy@example.com';
const REPLY_ADDRESS = /^demandes\+[a-z2-7]{26}@sct\.example$/;

describe('reply address on the local stack', () => {
  it('the form’s receipt and the staff acknowledgement carry the case’s address; a reply to it joins the case', async () => {
    const submitted = await api.request('POST', '/api/requests', {
      category: 'statistics',
      name: 'Léa Roy',
      email: REQUESTER,
      subject: 'Effectifs 2025',
      message: 'Bonjour, les effectifs par ministère, svp.',
      website: '',
    });
    const caseId = submitted.json['caseId'] as string;
    await api.clock({ advance: 'PT0S' });
    const token = await api.login('agent');
    const acknowledged = await api.request(
      'POST',
      `/api/staff/cases/${encodeURIComponent(caseId)}/acknowledge`,
      { answerBy: '2027-01-29' },
      { authorization: `Bearer ${token}` },
    );
    const toRequester = (await api.outbox()).filter((message) => message.to.includes(REQUESTER));
    const replyTo = toRequester[0]?.replyTo[0] ?? '';

    const replies = await sendSmtp(
      stack.ports.smtp,
      REQUESTER,
      replyTo,
      `From: Léa Roy <${REQUESTER}>\nTo: ${replyTo}\nSubject: Re: Réception de votre demande\n` +
        'Message-ID: <reply-0001@example.com>\nDate: Fri, 18 Dec 2026 15:30:00 +0000\n\nMerci, voici une précision.',
    );
    await api.clock({ advance: 'PT0S' });
    const events = await stack.ledger.read(caseId);
    const staffBound = (await api.outbox()).filter((message) => !message.to.includes(REQUESTER));

    expect(submitted.status).toBe(201);
    expect(acknowledged.status).toBe(201);
    expect(toRequester.map((message) => message.subject)).toEqual([
      expect.stringMatching(/^Réception de votre demande/),
      expect.stringMatching(/^Accusé de réception/),
    ]);
    expect(replyTo).toMatch(REPLY_ADDRESS);
    expect(toRequester.map((message) => message.replyTo)).toEqual([[replyTo], [replyTo]]);
    expect(staffBound.length).toBeGreaterThan(0);
    for (const message of staffBound) expect(message.replyTo).toEqual([]);
    expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
    const received = events.filter((event) => event.type === 'message.received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      data: { from: 'requester', subject: 'Re: Réception de votre demande' },
    });
  }, 60_000);

  // The envelope sender of the reply: the local SMTP server (smtp-server) cuts `MAIL FROM` at blanks, so a
  // quoted local part with a space cannot be one there; intake matches the `From:` header, not the envelope.
  it.each([
    ['lea=roy@example.org', 'lea=roy@example.org'],
    ['"lea roy"@example.org', 'bounces+lea=example.org@example.org'],
  ])(
    'a requester at %s (RFC 5322 allows it) sends the form, gets the receipt there, and a reply from it joins the case',
    async (address, envelope) => {
      const submitted = await api.request('POST', '/api/requests', {
        category: 'statistics',
        name: 'Léa Roy',
        email: address,
        subject: 'Effectifs 2025',
        message: 'Bonjour, les effectifs par ministère, svp.',
        website: '',
      });
      const caseId = submitted.json['caseId'] as string;
      await api.clock({ advance: 'PT0S' });
      const receipts = (await api.outbox()).filter((message) => message.to.includes(address));
      const replyTo = receipts[0]?.replyTo[0] ?? '';

      const replies = await sendSmtp(
        stack.ports.smtp,
        envelope,
        replyTo,
        `From: Léa Roy <${address}>\nTo: ${replyTo}\nSubject: Re: Réception de votre demande\n` +
          `Message-ID: <reply-${caseId}@example.org>\nDate: Fri, 18 Dec 2026 15:30:00 +0000\n\nUne précision.`,
      );
      await api.clock({ advance: 'PT0S' });
      const events = await stack.ledger.read(caseId);

      expect(submitted.status).toBe(201);
      expect(receipts.map((message) => [message.to, message.subject])).toEqual([
        [[address], expect.stringMatching(/^Réception de votre demande/)],
      ]);
      expect(replyTo).toMatch(REPLY_ADDRESS);
      expect(replies).toContainEqual(expect.stringMatching(/^250 Message accepted/));
      expect(events.filter((event) => event.type === 'message.received')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ from: 'requester' }) }),
      ]);
    },
    60_000,
  );
});
