import { createHash } from 'node:crypto';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { client, sendSmtp } from './support';

/**
 * The local SMTP intake stands in for SES's sender checks: it writes `Authentication-Results: jalon.local; …`
 * from the stack's `mailAuthentication` function, so a test forges both outcomes. Mail failing DMARC becomes a
 * case with its verdicts recorded and gets no receipt; a passing one gets its receipt.
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
    mailAuthentication: ({ mailFrom }) =>
      mailFrom.endsWith('@bank.example')
        ? { spf: 'fail', dkim: 'none', dmarc: 'fail' }
        : { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
  });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

function caseOf(messageId: string): string {
  const hash = createHash('sha256').update(messageId, 'utf8').digest('hex');
  return caseIdFor(loadSctPolicy(), `email:${hash}`);
}

function message(from: string, messageId: string, extra = ''): string {
  return (
    `${extra}From: Someone <${from}>\nTo: statistiques@sct.example\nSubject: BUY CHEAP PILLS\n` +
    `Message-ID: <${messageId}>\nDate: Fri, 18 Dec 2026 15:30:00 +0000\n\nhttp://pills.example`
  );
}

describe('sender checks on the local stack', () => {
  it('records the verdicts on the case, and answers only the mail that passes', async () => {
    await sendSmtp(
      stack.ports.smtp,
      'ceo@bank.example',
      'statistiques@sct.example',
      // A sender's own field, claiming a pass: below the intake's, never read.
      message(
        'ceo@bank.example',
        'forged-1@bank.example',
        'Authentication-Results: jalon.local; dmarc=pass\n',
      ),
    );
    await sendSmtp(
      stack.ports.smtp,
      'lea.roy@example.com',
      'statistiques@sct.example',
      message('lea.roy@example.com', 'honest-1@example.com'),
    );
    await api.clock({ advance: 'PT0S' });

    const outbox = await api.outbox();
    const forged = await stack.ledger.read(caseOf('forged-1@bank.example'));
    const honest = await stack.ledger.read(caseOf('honest-1@example.com'));
    const listed = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${await api.login('agent')}`,
    });

    expect(outbox.filter((sent) => sent.to.includes('ceo@bank.example'))).toEqual([]);
    expect(outbox.filter((sent) => sent.to.includes('lea.roy@example.com'))).toHaveLength(1);
    expect(forged[0]).toMatchObject({
      type: 'case.received',
      data: { senderAuthentication: { spf: 'fail', dkim: 'none', dmarc: 'fail' } },
    });
    expect(forged.filter((event) => event.type === 'receipt.withheld')).toMatchObject([
      { data: { reason: 'sender-unauthenticated' } },
    ]);
    // The case projection with its verdicts is valid: both cases are on the work list.
    expect((listed.json['cases'] as { caseId: string }[]).map((row) => row.caseId).sort()).toEqual(
      [caseOf('forged-1@bank.example'), caseOf('honest-1@example.com')].sort(),
    );
    expect(honest[0]).toMatchObject({
      data: { senderAuthentication: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } },
    });
  }, 60_000);
});
