import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client, sendSmtp } from './support';

/**
 * Attachment downloads end to end on the local stack: a mail with a PDF becomes a case, the case page lists
 * the attachment with its id, the staff API gives a link on s3rver, and following that link (as the
 * browser does) downloads the very bytes under the sender's file name.
 */
const START = '2027-02-08T15:00:00.000Z';
const PDF = Buffer.from('%PDF-1.4\n% pièce jointe de test\n%%EOF\n');
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

async function mailWithPdf(to: string, subject: string, messageId: string): Promise<void> {
  const message = [
    `From: Marie Tremblay <marie@example.org>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bonjour, voici mon document.',
    '--b1',
    'Content-Type: application/pdf',
    'Content-Transfer-Encoding: base64',
    "Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%281%29.pdf",
    '',
    PDF.toString('base64'),
    '--b1--',
  ].join('\n');
  const replies = await sendSmtp(stack.ports.smtp, 'marie@example.org', to, message);
  expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
  await api.clock({ advance: 'PT0S' });
}

interface Attachment {
  readonly attachmentId: string;
  readonly filename: string;
  readonly size: number;
}

async function onlyCase(token: string, subject: string) {
  const auth = { authorization: `Bearer ${token}` };
  const cases = (await api.request('GET', '/api/staff/cases', undefined, auth)).json['cases'] as {
    caseId: string;
    subject?: string;
  }[];
  const found = [];
  for (const row of cases) {
    const detail = await api.request('GET', `/api/staff/cases/${row.caseId}`, undefined, auth);
    const content = (detail.json['case'] as { content?: { subject: string; attachments: Attachment[] } })
      .content;
    if (content?.subject === subject) found.push({ caseId: row.caseId, attachments: content.attachments });
  }
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('attachment downloads on the local stack', () => {
  it('the link is on s3rver and downloads the bytes under the file name', async () => {
    await mailWithPdf('statistiques@sct.example', 'Effectifs 2026', 'att-0001@example.org');
    const agent = await api.login('agent');
    const { caseId, attachments } = await onlyCase(agent, 'Effectifs 2026');
    expect(attachments).toEqual([
      expect.objectContaining({ filename: 'Résumé (1).pdf', size: PDF.length }) as unknown,
    ]);

    const link = await api.request(
      'GET',
      `/api/staff/cases/${caseId}/attachments/${attachments[0]!.attachmentId}`,
      undefined,
      { authorization: `Bearer ${agent}` },
    );

    expect(link.status).toBe(200);
    expect(link.headers.get('cache-control')).toBe('no-store');
    const url = new URL(link.json['url'] as string);
    expect(url.origin).toBe(new URL(stack.urls.s3).origin);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
    expect(download.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''R%C3%A9sum%C3%A9%20%281%29.pdf",
    );
    expect(download.headers.get('content-type')).toBe('application/pdf');
  });

  it("a complaint's attachment: the complaints officer's download is recorded, an agent gets 404", async () => {
    await mailWithPdf('plaintes@sct.example', 'Accueil au comptoir', 'att-0002@example.org');
    const [officer, agent] = await Promise.all([api.login('complaints-officer'), api.login('agent')]);
    const { caseId, attachments } = await onlyCase(officer, 'Accueil au comptoir');
    const path = `/api/staff/cases/${caseId}/attachments/${attachments[0]!.attachmentId}`;

    const refused = await api.request('GET', path, undefined, { authorization: `Bearer ${agent}` });
    const granted = await api.request('GET', path, undefined, { authorization: `Bearer ${officer}` });

    expect(refused.status).toBe(404);
    expect(granted.status).toBe(200);
    expect((await fetch(granted.json['url'] as string)).status).toBe(200);
    const auditor = await api.login('auditor');
    const timeline = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, {
      authorization: `Bearer ${auditor}`,
    });
    expect(JSON.stringify(timeline.json)).toContain(`"attachmentId":"${attachments[0]!.attachmentId}"`);
  });
});
