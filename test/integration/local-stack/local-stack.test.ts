import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client, sendSmtp, summary } from './support';

/**
 * The whole local stack in this process, in memory, on free ports and a virtual clock, exercised through its
 * HTTP routes as a newcomer would: demo login, the staff API behind the JWT check, staff intake, the outbox,
 * the clock, the Step Functions API and the SMTP intake.
 */
const START = '2026-12-18T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

describe('local stack', () => {
  it('is healthy once started, on the virtual clock it was given', async () => {
    const health = await api.request('GET', '/healthz');
    const clock = await api.request('GET', '/api/local/clock');

    expect(health.status).toBe(200);
    expect(clock.json).toEqual({ now: START, virtual: true });
    expect(stack.dataDir).toBeUndefined();
  });

  it('answers 401 to the staff API without a valid token, as the JWT authorizer does, and 200 with one', async () => {
    const token = await api.login('agent');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        'cognito:groups': ['admin'],
      }),
    ).toString('base64url');

    const none = await api.request('GET', '/api/staff/cases');
    const garbage = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: 'Bearer abc.def.ghi',
    });
    const tampered = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${header}.${forged}.${signature}`,
    });
    const valid = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${token}`,
    });

    expect([none.status, garbage.status, tampered.status]).toEqual([401, 401, 401]);
    expect(none.json).toEqual({ message: 'Unauthorized' });
    expect(valid.status).toBe(200);
    expect(valid.json).toEqual({ cases: [], staffNames: {} });
  });

  it('refuses unknown demo roles and routes API Gateway does not have', async () => {
    const badRole = await api.request('POST', '/api/local/login', { role: 'janitor' });
    const noRoute = await api.request('DELETE', '/api/staff/cases/abc');

    expect(badRole.status).toBe(400);
    expect(noRoute.status).toBe(404);
    expect(noRoute.json).toEqual({ message: 'Not Found' });
  });

  let caseId = '';
  let reference = '';

  it('registers a letter through the staff API: the automatic receipt reaches the outbox', async () => {
    const token = await api.login('agent');

    ({ caseId, reference } = await api.registerLetter(token, 'letter-0001', '2026-12-18T14:00:00Z'));
    await api.clock({ advance: 'PT0S' });
    const messages = await api.outbox();

    const receipt = messages.find((message) => message.to.includes('marie@example.com'));
    expect(receipt?.subject).toContain(reference);
    expect(receipt?.sentAt).toBe(START);
    expect(receipt?.text).toContain(reference);
    expect(summary(messages)).toContain(
      `agent.demo@sct.example | Nouveau dossier ${reference} – Statistiques sur l’effectif et les acquisitions`,
    );
    const listed = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect((listed.json['cases'] as { caseId: string }[]).map((item) => item.caseId)).toEqual([caseId]);
  });

  it('runs the workflow on the real engine, visible through the Step Functions API with an endpoint override', async () => {
    const sfn = new SFNClient({
      endpoint: stack.urls.sfn,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    sfn.destroy();

    expect(execution.status).toBe('RUNNING');
    expect(history.events?.[0]?.type).toBe('ExecutionStarted');
    expect(history.events?.map((event) => event.type)).toContain('WaitStateEntered');
  });

  it('advancing the clock to 2027-01-08 sends the reminder and the escalation to staff, nothing to the requester', async () => {
    const before = await api.outbox();

    const now = await api.clock({ to: '2027-01-08T18:00:00Z' });
    const after = await api.outbox();

    expect(now).toBe('2027-01-08T18:00:00.000Z');
    const added = after.slice(before.length);
    expect(summary(added)).toEqual([
      `agent.demo@sct.example | Rappel – dossier ${reference}\u00a0: accusé de réception au plus tard le lundi 11 janvier 2027`,
      `superviseure.demo@sct.example | Escalade – dossier ${reference}\u00a0: accusé de réception (lundi 11 janvier 2027)`,
    ]);
    // Sent in working hours (08:30 in Québec), on the virtual clock.
    expect(added.map((message) => message.sentAt)).toEqual([
      '2027-01-06T13:30:00.000Z',
      '2027-01-08T13:30:00.000Z',
    ]);
  });

  it('rejects malformed or backward clock moves', async () => {
    const malformed = await api.request('POST', '/api/local/clock', { advance: 'soon' });
    const backward = await api.request('POST', '/api/local/clock', { to: '2026-01-01T00:00:00Z' });

    expect(malformed.status).toBe(400);
    expect(backward.status).toBe(400);
    expect((await api.request('GET', '/api/local/clock')).json['now']).toBe('2027-01-08T18:00:00.000Z');
  });

  it('turns a message received over SMTP into a case (raw message kept with a Received header)', async () => {
    const before = await api.outbox();

    const replies = await sendSmtp(
      stack.ports.smtp,
      'alex@example.org',
      'statistiques@sct.example',
      'From: Alex Martin <alex@example.org>\nTo: statistiques@sct.example\nSubject: Effectifs 2025\n' +
        'Message-ID: <smtp-0001@example.org>\nDate: Fri, 08 Jan 2027 17:59:00 +0000\n\nBonjour, les effectifs svp.',
    );
    await api.clock({ advance: 'PT0S' });
    const added = (await api.outbox()).slice(before.length);
    const s3 = new S3Client({
      endpoint: stack.urls.s3,
      region: 'ca-central-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.buckets.rawMail, Prefix: 'inbound/' }),
    );
    const key = listed.Contents?.[0]?.Key ?? '';
    const raw = await (
      await s3.send(new GetObjectCommand({ Bucket: stack.buckets.rawMail, Key: key }))
    ).Body?.transformToString();
    s3.destroy();

    expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
    expect(listed.KeyCount).toBe(1);
    expect(raw).toMatch(
      /^Received: from .*\r\n\tby jalon\.local .*\r\n\tfor <statistiques@sct\.example>;\r\n\tFri, 08 Jan 2027 18:00:00 \+0000\r\n/,
    );
    expect(raw).toContain('Subject: Effectifs 2025');
    const receipt = added.find((message) => message.to.includes('alex@example.org'));
    expect(receipt?.subject).toMatch(/^Réception de votre demande – SCT-2027-\d{6}$/);
  });

  it('shows the outbox as an escaped HTML page', async () => {
    const page = await api.request('GET', '/local/outbox');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain(`Réception de votre demande – ${reference}`);
    // The HTML part is shown in a sandboxed frame, escaped into its attribute.
    expect(page.text).toMatch(/<iframe sandbox="" title="[^"]*" srcdoc="&lt;/);
  });
});
