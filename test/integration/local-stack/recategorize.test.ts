import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client, sendSmtp } from './support';

/**
 * The everyday recategorization over HTTP on the local stack: a supplier complaint mailed to `plaintes@` is
 * filed as a (confidential) service complaint; the complaints officer moves it to the supplier-complaint
 * category, and from then on the public contracts unit sees it and gets its reminders and escalations.
 */
const START = '2027-02-08T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

describe('recategorize on the local stack', () => {
  it('a supplier complaint mailed to plaintes@ goes to the public contracts unit, which then gets its reminders', async () => {
    const [officer, supervisor, agent] = await Promise.all([
      api.login('complaints-officer'),
      api.login('supervisor'),
      api.login('agent'),
    ]);
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const replies = await sendSmtp(
      stack.ports.smtp,
      'ventes@fournisseur.example',
      'plaintes@sct.example',
      'From: Fournisseur Inc. <ventes@fournisseur.example>\nTo: plaintes@sct.example\n' +
        'Subject: Plainte sur l’appel d’offres 2027-014\nMessage-ID: <supplier-0001@fournisseur.example>',
    );
    expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
    await api.clock({ advance: 'PT0S' });
    const cases = (await api.request('GET', '/api/staff/cases', undefined, as(officer))).json['cases'] as {
      caseId: string;
      category: string;
    }[];
    expect(cases).toHaveLength(1);
    const { caseId, category } = cases[0]!;
    expect(category).toBe('service-complaint');
    const path = `/api/staff/cases/${caseId}/recategorize`;
    expect((await api.request('GET', `/api/staff/cases/${caseId}`, undefined, as(supervisor))).status).toBe(
      404,
    );

    const byAgent = await api.request(
      'POST',
      path,
      { category: 'supplier-complaint', reason: 'wrong-mailbox' },
      as(agent),
    );
    expect(byAgent.status).toBe(403);
    const invalid = await api.request(
      'POST',
      path,
      { category: 'supplier-complaint', reason: 'bored' },
      { ...as(officer), 'accept-language': 'en' },
    );
    expect(invalid.status).toBe(400);
    expect((invalid.json['errors'] as { field: string }[]).map((error) => error.field)).toEqual(['reason']);

    const moved = await api.request(
      'POST',
      path,
      { category: 'supplier-complaint', reason: 'wrong-mailbox' },
      { ...as(officer), 'idempotency-key': 'recat-0001' },
    );
    expect(moved.status).toBe(201);
    expect(moved.json).toMatchObject({
      from: 'service-complaint',
      category: 'supplier-complaint',
      unit: 'supplier-complaints',
      confidential: false,
    });
    const retried = await api.request(
      'POST',
      path,
      { category: 'supplier-complaint', reason: 'wrong-mailbox' },
      { ...as(officer), 'idempotency-key': 'recat-0001' },
    );
    expect(retried.status).toBe(200);

    const page = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, as(supervisor));
    expect(page.status).toBe(200);
    const detail = page.json['case'] as {
      category: string;
      unit: string;
      history: { type: string }[];
    };
    expect(detail).toMatchObject({ category: 'supplier-complaint', unit: 'supplier-complaints' });
    expect(detail.history.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['case.recategorized', 'case.reassigned']),
    );

    const sentBefore = (await api.outbox()).length;
    await api.clock({ to: '2027-02-20T15:00:00.000Z' });
    const later = (await api.outbox()).slice(sentBefore);
    const recipients = later.flatMap((message) => message.to);
    expect(recipients).toContain('public-contracts-officers@sct.example');
    expect(recipients).toContain('superviseure.demo@sct.example');
    expect(recipients).not.toContain('plaintes.demo@sct.example');
    expect(recipients).not.toContain('secretariat-general@sct.example');
  });
});
