import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * Paper on the local stack, over HTTP: a letter registered by a clerk for a requester without email is
 * acknowledged; the acknowledgement becomes a PDF kept in s3rver, listed and served as `application/pdf`,
 * and recording its mailing meets the acknowledgement deadline.
 */
const START = '2026-12-18T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let agent: string;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
  agent = await api.login('agent');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'letter-'));
  try {
    writeFileSync(path.join(dir, 'l.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'l.pdf'), '-'], { encoding: 'utf8' })
      .replace(/\s+/gu, ' ')
      .trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('letters on the local stack', () => {
  it('acknowledgement by letter: listed, served as PDF, mailed, deadline met', async () => {
    const auth = { authorization: `Bearer ${agent}` };
    const intake = await api.request(
      'POST',
      '/api/staff/intake',
      {
        channel: 'mail',
        category: 'statistics',
        requester: {
          name: 'Paul Bédard',
          postalAddress: { lines: ['12, rue des Érables'], municipality: 'Lévis', country: 'CA' },
          language: 'fr',
        },
        subject: 'Effectif de la fonction publique 2025',
        body: 'Bonjour, je souhaite obtenir les statistiques.',
        receivedAt: '2026-12-18T14:00:00Z',
        evidence: { kind: 'postmark', reference: 'scan-0042' },
      },
      { ...auth, 'idempotency-key': 'letters-0001' },
    );
    expect(intake.status).toBe(201);
    const { caseId, reference } = intake.json as { caseId: string; reference: string };
    await api.clock({ advance: 'PT0S' });

    const ack = await api.request(
      'POST',
      `/api/staff/cases/${caseId}/acknowledge`,
      { answerBy: '2027-01-29' },
      auth,
    );
    expect(ack.status).toBe(201);

    const listed = await api.request('GET', `/api/staff/cases/${caseId}/letters`, undefined, auth);
    expect(listed.status).toBe(200);
    const letters = listed.json['letters'] as { letterId: string; template: string; pdf: string }[];
    expect(letters.map((l) => l.template)).toEqual(['acknowledgement']);

    const pdf = await fetch(new URL(letters[0]!.pdf, stack.urls.web), { headers: auth });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain(reference);
    expect(text).toContain('vendredi 29 janvier 2027');
    expect(text).toContain('Paul Bédard');
    expect(text).toContain('12, rue des Érables');

    // Kept in the letters bucket, as in AWS (its own bucket, not the mail attachments').
    const s3 = new S3Client({
      endpoint: stack.urls.s3,
      region: 'ca-central-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const keys = async (bucket: string) =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
    const stored = {
      letters: await keys(stack.buckets.letters),
      attachments: await keys(stack.buckets.attachments),
    };
    s3.destroy();
    expect(stored).toEqual({
      letters: [`letters/${encodeURIComponent(caseId)}/${letters[0]!.letterId}.pdf`],
      attachments: [],
    });

    const toMail = await api.request('GET', '/api/staff/cases?toMail=true', undefined, auth);
    expect(
      (toMail.json['cases'] as { caseId: string; lettersToMail?: number }[]).map((c) => [
        c.caseId,
        c.lettersToMail,
      ]),
    ).toEqual([[caseId, 1]]);

    const mailed = await api.request(
      'POST',
      `/api/staff/cases/${caseId}/letters/${letters[0]!.letterId}/mailed`,
      { mailedOn: '2026-12-18' },
      auth,
    );
    expect(mailed.status).toBe(201);
    const detail = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, auth);
    const deadlines = (detail.json['case'] as { deadlines: Record<string, { metAt?: string }> }).deadlines;
    expect(deadlines['acknowledgement']?.metAt).toBeDefined();
  }, 60_000);

  it('a case closed with a letter still to post stays on the to-mail list until the posting is recorded', async () => {
    const auth = { authorization: `Bearer ${agent}` };
    const intake = await api.request(
      'POST',
      '/api/staff/intake',
      {
        channel: 'mail',
        category: 'statistics',
        requester: {
          name: 'Lucie Gagnon',
          postalAddress: { lines: ['4, rue du Parc'], municipality: 'Lévis', country: 'CA' },
          language: 'fr',
        },
        subject: 'Acquisitions 2025',
        body: 'Bonjour, je souhaite obtenir les chiffres.',
        receivedAt: '2026-12-18T14:30:00Z',
        evidence: { kind: 'postmark', reference: 'scan-0043' },
      },
      { ...auth, 'idempotency-key': 'letters-0002' },
    );
    expect(intake.status).toBe(201);
    const { caseId } = intake.json as { caseId: string };
    await api.clock({ advance: 'PT0S' });
    const ack = await api.request(
      'POST',
      `/api/staff/cases/${caseId}/acknowledge`,
      { answerBy: '2027-01-29' },
      auth,
    );
    expect(ack.status).toBe(201);
    const closed = await api.request('POST', `/api/staff/cases/${caseId}/close`, { outcome: 'other' }, auth);
    expect(closed.status).toBe(201);
    await api.clock({ advance: 'PT0S' });

    const toMail = await api.request('GET', '/api/staff/cases?toMail=true', undefined, auth);
    expect(toMail.status).toBe(200);
    const listed = (
      toMail.json['cases'] as { caseId: string; status: string; lettersToMail?: number }[]
    ).find((c) => c.caseId === caseId);
    expect(listed).toMatchObject({ status: 'closed', lettersToMail: 1 });
    const everyOpen = await api.request('GET', '/api/staff/cases', undefined, auth);
    expect((everyOpen.json['cases'] as { caseId: string }[]).map((c) => c.caseId)).not.toContain(caseId);

    const letters = (await api.request('GET', `/api/staff/cases/${caseId}/letters`, undefined, auth)).json[
      'letters'
    ] as { letterId: string }[];
    const mailed = await api.request(
      'POST',
      `/api/staff/cases/${caseId}/letters/${letters[0]!.letterId}/mailed`,
      { mailedOn: '2026-12-18' },
      auth,
    );
    expect(mailed.status).toBe(201);

    const after = await api.request('GET', '/api/staff/cases?toMail=true', undefined, auth);
    expect((after.json['cases'] as { caseId: string }[]).map((c) => c.caseId)).not.toContain(caseId);
  }, 60_000);

  it("the letters list gives today's date in Québec by the stack's clock (the mailing form's default)", async () => {
    const auth = { authorization: `Bearer ${agent}` };
    const open = (await api.request('GET', '/api/staff/cases', undefined, auth)).json['cases'] as {
      caseId: string;
    }[];
    const lettersOf = async () =>
      (await api.request('GET', `/api/staff/cases/${open[0]!.caseId}/letters`, undefined, auth)).json;

    expect(await lettersOf()).toMatchObject({ today: '2026-12-18' });
    // 18 December, 23:30 in Québec: already the 19th in UTC, still the 18th for the legal day.
    await api.clock({ to: '2026-12-19T04:30:00.000Z' });
    expect(await lettersOf()).toMatchObject({ today: '2026-12-18' });
    await api.clock({ advance: 'PT1H' });
    expect(await lettersOf()).toMatchObject({ today: '2026-12-19' });
  }, 60_000);
});
