import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client, sendSmtp } from './support';

/**
 * Holding-pen triage end to end on the local stack: mail sent over SMTP that email intake holds, listed,
 * read and triaged through the staff API, with the results seen on the case page.
 */
const START = '2027-02-08T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let agent: string;

interface HeldRow {
  readonly itemId: string;
  readonly kind: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly subject?: string;
  readonly mailbox?: string;
}

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
  agent = await api.login('agent');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

async function mail(from: string, to: string, headers: string, body: string): Promise<void> {
  const replies = await sendSmtp(stack.ports.smtp, from, to, `${headers}\n\n${body}`);
  expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
  await api.clock({ advance: 'PT0S' });
}

function staff(method: string, path: string, body?: unknown, token = agent) {
  return api.request(method, path, body, { authorization: `Bearer ${token}` });
}

async function held(query: string): Promise<HeldRow[]> {
  const response = await staff('GET', `/api/staff/holding${query}`);
  expect(response.status).toBe(200);
  return response.json['items'] as HeldRow[];
}

describe('holding pen on the local stack', () => {
  it('attaches a stranger’s mail quoting a case reference, and the case page shows it', async () => {
    await mail(
      'alex@example.org',
      'statistiques@sct.example',
      'From: Alex Martin <alex@example.org>\nTo: statistiques@sct.example\nSubject: Effectifs 2026\n' +
        'Message-ID: <hold-0001@example.org>',
      'Bonjour, les effectifs svp.',
    );
    const cases = (await staff('GET', '/api/staff/cases')).json['cases'] as {
      caseId: string;
      reference: string;
    }[];
    expect(cases).toHaveLength(1);
    const { caseId, reference } = cases[0]!;

    await mail(
      'jean@autre.example',
      'statistiques@sct.example',
      `From: Jean Inconnu <jean@autre.example>\nTo: statistiques@sct.example\nSubject: Dossier ${reference}\n` +
        'Message-ID: <hold-0002@autre.example>',
      'Je suis le collègue d’Alex : voici une précision.',
    );
    const open = await held('?status=open');
    const row = open.find((item) => item.subject === `Dossier ${reference}`);
    expect(row).toMatchObject({ kind: 'reference-without-token', mailbox: 'statistiques' });

    const item = await staff('GET', `/api/staff/holding/${row!.itemId}`);
    expect(item.status).toBe(200);
    expect(item.json['item']).toMatchObject({
      rawKey: expect.stringMatching(/^inbound\//),
      message: {
        from: { address: 'jean@autre.example' },
        text: 'Je suis le collègue d’Alex : voici une précision.',
      },
    });

    const attached = await staff('POST', `/api/staff/holding/${row!.itemId}/attach`, { caseId });
    expect(attached.status).toBe(201);
    const again = await staff('POST', `/api/staff/holding/${row!.itemId}/attach`, { caseId });
    expect(again.status).toBe(200);

    const page = await staff('GET', `/api/staff/cases/${caseId}`);
    const detail = page.json['case'] as {
      content: { messages: { from: string; text?: string; receivedAt: string }[] };
      history: { type: string; actor: { id?: string } }[];
    };
    expect(detail.content.messages).toEqual([
      expect.objectContaining({
        from: 'other',
        text: 'Je suis le collègue d’Alex : voici une précision.',
        receivedAt: row!.receivedAt,
      }),
    ]);
    expect(detail.history.filter((entry) => entry.type === 'message.received')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: 'demo-agent' }) }),
    ]);
    expect((await held('?status=open')).map((item) => item.itemId)).not.toContain(row!.itemId);
  });

  it('keeps a complainant’s mail to demandes@ quoting the complaint as confidential as the complaint', async () => {
    const [officer, auditor, supervisor, admin] = await Promise.all(
      ['complaints-officer', 'auditor', 'supervisor', 'admin'].map((role) => api.login(role)),
    );
    await mail(
      'marie@example.org',
      'plaintes@sct.example',
      'From: Marie Tremblay <marie@example.org>\nTo: plaintes@sct.example\nSubject: Accueil au comptoir\n' +
        'Message-ID: <complaint-0001@example.org>',
      'Je me plains de l’accueil reçu le 3 février.',
    );
    const complaints = (await staff('GET', '/api/staff/cases', undefined, officer)).json['cases'] as {
      caseId: string;
      reference: string;
      category: string;
    }[];
    const complaint = complaints.find((entry) => entry.category === 'service-complaint');
    expect(complaint).toBeDefined();
    const { caseId, reference } = complaint!;

    await mail(
      'marie@example.org',
      'demandes@sct.example',
      `From: Marie Tremblay <marie@example.org>\nTo: demandes@sct.example\nSubject: Re: ma plainte ${reference}\n` +
        'Message-ID: <complaint-0002@example.org>',
      'Précision confidentielle sur ma plainte.',
    );
    const officerRows = (await staff('GET', '/api/staff/holding?status=open', undefined, officer)).json[
      'items'
    ] as HeldRow[];
    const row = officerRows.find((item) => item.subject === `Re: ma plainte ${reference}`);
    expect(row).toMatchObject({ kind: 'reference-without-token', mailbox: 'demandes' });
    const itemPath = `/api/staff/holding/${row!.itemId}`;

    // Agents, supervisors and admins: not listed, and the item does not exist for them.
    for (const token of [agent, supervisor!, admin!]) {
      const rows = (await staff('GET', '/api/staff/holding?status=open', undefined, token)).json[
        'items'
      ] as HeldRow[];
      expect(rows.map((item) => item.itemId)).not.toContain(row!.itemId);
      expect((await staff('GET', itemPath, undefined, token)).status).toBe(404);
    }
    const registerBody = {
      category: 'policies',
      requester: { name: 'Marie Tremblay', email: 'marie@example.org', language: 'fr' },
    };
    expect((await staff('POST', `${itemPath}/register`, registerBody)).status).toBe(404);
    expect((await staff('POST', `${itemPath}/attach`, { caseId })).status).toBe(404);

    // Auditors: metadata only.
    const audited = await staff('GET', itemPath, undefined, auditor);
    expect(audited.status).toBe(200);
    expect(audited.json['item']).toMatchObject({
      scope: 'metadata',
      confidential: true,
      // The officer's list request that showed it: one journal record, ids only.
      accessRecords: expect.arrayContaining([
        expect.objectContaining({
          action: 'list',
          by: 'demo-complaints-officer',
          itemIds: expect.arrayContaining([row!.itemId]),
          caseIds: [caseId],
        }),
      ]),
    });
    expect(JSON.stringify(audited.json)).not.toMatch(/Précision|ma plainte|marie/i);

    // The complaints officer reads it, and each read is on the complaint's ledger, visible to auditors.
    const read = await staff('GET', itemPath, undefined, officer);
    expect(read.status).toBe(200);
    expect(read.json['item']).toMatchObject({
      confidential: true,
      message: { text: 'Précision confidentielle sur ma plainte.' },
      suggestedCase: { caseId, reference },
    });
    const timeline = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, {
      authorization: `Bearer ${auditor}`,
    });
    const reads = (
      timeline.json['events'] as { type: string; actor: { id?: string }; details: object }[]
    ).filter((event) => event.type === 'case.read' && 'holdingItemId' in event.details);
    expect(reads).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'demo-auditor' }),
        details: { scope: 'metadata', holdingItemId: row!.itemId },
      }),
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'demo-complaints-officer' }),
        details: { scope: 'content', holdingItemId: row!.itemId },
      }),
    ]);

    // Registered by the officer, it becomes a confidential case the agent cannot see.
    const registered = await staff('POST', `${itemPath}/register`, registerBody, officer);
    expect(registered.status).toBe(201);
    const created = (registered.json as { caseId: string }).caseId;
    expect((await staff('GET', `/api/staff/cases/${created}`)).status).toBe(404);
    expect((await staff('GET', `/api/staff/cases/${created}`, undefined, officer)).status).toBe(200);
  });

  it('dismisses an auto-reply, keeping it in the pen', async () => {
    await mail(
      'absent@example.org',
      'statistiques@sct.example',
      'From: Bureau <absent@example.org>\nTo: statistiques@sct.example\nSubject: Absence du bureau\n' +
        'Auto-Submitted: auto-replied\nMessage-ID: <hold-0003@example.org>',
      'Je suis absent jusqu’au 15.',
    );
    const [autoReply] = await held('?status=recorded&kind=auto-reply');
    expect(autoReply).toBeDefined();

    const dismissed = await staff('POST', `/api/staff/holding/${autoReply!.itemId}/dismiss`, {
      reason: 'auto-reply',
    });
    expect(dismissed.status).toBe(201);
    expect(dismissed.json['triage']).toMatchObject({
      outcome: 'dismissed',
      by: 'demo-agent',
      reason: 'auto-reply',
    });
    const resolved = await held('?status=resolved&kind=auto-reply');
    expect(resolved.map((item) => item.itemId)).toEqual([autoReply!.itemId]);
  });

  it('registers a quarantined new request as a case whose clock started when the mail arrived', async () => {
    await mail(
      'lea@example.net',
      'statistiques@sct.example',
      'From: Léa Roy <lea@example.net>\nTo: statistiques@sct.example\nSubject: Demande de données\n' +
        'X-SES-Spam-Verdict: FAIL\nMessage-ID: <hold-0004@example.net>',
      'Pourriez-vous m’envoyer les données de 2026 ?',
    );
    const [spam] = await held('?kind=spam');
    expect(spam).toBeDefined();
    await api.clock({ advance: 'P2D' });

    const registered = await staff('POST', `/api/staff/holding/${spam!.itemId}/register`, {
      category: 'statistics',
      requester: { name: 'Léa Roy', email: 'lea@example.net', language: 'fr' },
    });
    expect(registered.status).toBe(201);
    const { caseId } = registered.json as { caseId: string };
    const page = await staff('GET', `/api/staff/cases/${caseId}`);
    const detail = page.json['case'] as {
      receivedAt: string;
      registeredAt: string;
      content: { body: string };
    };
    expect(detail.receivedAt).toBe(spam!.receivedAt);
    expect(Date.parse(detail.registeredAt) - Date.parse(detail.receivedAt)).toBeGreaterThanOrEqual(
      2 * 24 * 3600 * 1000,
    );
    expect(detail.content.body).toBe('Pourriez-vous m’envoyer les données de 2026 ?');

    const item = await staff('GET', `/api/staff/holding/${spam!.itemId}`);
    expect(item.json['item']).toMatchObject({
      legalHold: true,
      status: 'resolved',
      triage: { outcome: 'case-created', caseId },
    });
  });
});
