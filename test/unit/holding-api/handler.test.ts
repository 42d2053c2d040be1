import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/holding-api/handler';
import { makeHandler as makeStaffHandler } from '../../../functions/staff-api/handler';
import { PdfkitLetterRenderer } from '../../../shared/adapters/pdf/pdfkit-letter-renderer';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { InMemoryCaseSearchIndex } from '../../../shared/domain/case/commands';
import { InMemoryLetterStore } from '../../../shared/domain/letters/ports';
import { StoreError } from '../../../shared/errors';
import type { HoldingApiDeps } from '../../../functions/holding-api/handler';
import { receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import {
  InMemoryAttachmentStore,
  InMemoryHoldingPen,
  InMemoryRawMail,
  InMemoryReplyAddressBook,
  RecordingNotifier,
  RecordingWorkflow,
} from '../email/fakes';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { fieldIssues } from '../../support/problem';
import type { ProblemBody } from '../../support/problem';

const BUCKET = 'raw';
const DOMAIN = 'intake.sct.example';
const AGENT = { sub: 'agent-stats', 'cognito:groups': ['agent'], 'custom:units': 'statistics' };
const OTHER_AGENT = { sub: 'agent-pol', 'cognito:groups': ['agent'], 'custom:units': 'management-policies' };
const AUDITOR = { sub: 'auditor-1', 'cognito:groups': ['auditor'] };

interface Call {
  readonly method?: string;
  readonly path: string;
  readonly claims?: Record<string, unknown>;
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  readonly language?: string;
}

function event(call: Call): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = call.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: call.path,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: {
      'content-type': 'application/json',
      ...(call.language !== undefined ? { 'accept-language': call.language } : {}),
    },
    ...(call.query !== undefined ? { queryStringParameters: call.query } : {}),
    requestContext: {
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: (call.claims ?? AGENT) as never, scopes: [] },
      },
      http: { method, path: call.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(call.body !== undefined
      ? { body: JSON.stringify(call.body), isBase64Encoded: false }
      : { isBase64Encoded: false }),
  };
}

/** What the tests read from response bodies. */
interface Body {
  readonly [key: string]: unknown;
  readonly items: readonly unknown[];
  readonly item: unknown;
  readonly case: { readonly content?: { readonly messages: readonly unknown[] } };
  readonly code: string;
  readonly detail: string;
  readonly errors?: ProblemBody['errors'];
}

async function setup(overrides: Partial<HoldingApiDeps> = {}) {
  const rawMail = new InMemoryRawMail();
  const ledger = new InMemoryCaseLedger();
  const holdingPen = new InMemoryHoldingPen();
  const attachments = new InMemoryAttachmentStore();
  const workflow = new RecordingWorkflow();
  const notifier = new RecordingNotifier();
  const references = new InMemoryReferenceAllocator();
  const clock = { now: () => new Date('2026-03-04T15:00:00.000Z') };
  const policy = loadSctPolicy();
  let count = 0;
  const deliver = async (lines: readonly string[], body: string) => {
    count += 1;
    const key = `inbound/m-${count}`;
    rawMail.put(
      BUCKET,
      key,
      `${['Received: from mx by smtp; Tue, 03 Mar 2026 14:12:00 +0000', ...lines].join('\r\n')}\r\n\r\n${body}`,
    );
    return receiveEmail(
      {
        ledger,
        references,
        rateCounter: new InMemoryRateCounter(),
        workflow,
        clock,
        policy,
        rawMail,
        attachments,
        holdingPen,
        caseReferences: ledger,
        notifier,
        replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
        settings: { intakeDomain: DOMAIN, ownAddresses: [], routing: SCT_EMAIL_ROUTING },
      },
      { bucket: BUCKET, key },
    );
  };
  const handle = makeHandler({
    ledger,
    references,
    workflow,
    clock,
    policy,
    holdingPen,
    caseReferences: ledger,
    rawMail,
    rawMailBucket: BUCKET,
    attachments,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
    ...overrides,
  });
  // The case page is the staff API's (another function on the same HTTP API).
  const staff = makeStaffHandler({
    ledger,
    notifier,
    clock,
    policy,
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    letters: { renderer: new PdfkitLetterRenderer(), store: new InMemoryLetterStore() },
    queries: { listOpenCases: async () => [] },
    search: new InMemoryCaseSearchIndex(ledger),
    accessJournal: new InMemoryAccessJournal(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
  });
  const call = async (options: Call) => {
    const served = options.path.startsWith('/api/staff/holding') ? handle : staff;
    const response = (await served(event(options))) as APIGatewayProxyStructuredResultV2 & { body: string };
    return { status: response.statusCode, json: JSON.parse(response.body) as Body };
  };
  const created = await deliver(
    [
      'From: Marie <marie@example.com>',
      `To: statistiques@${DOMAIN}`,
      'Subject: Effectifs',
      'Message-ID: <a@x>',
    ],
    'Bonjour\r\n',
  );
  if (created.outcome !== 'case') throw new Error('expected a case');
  const held = await deliver(
    ['From: Jean <jean@autre.example>', `To: statistiques@${DOMAIN}`, `Subject: Suivi ${created.reference}`],
    'Une précision.\r\n',
  );
  if (held.outcome !== 'held') throw new Error('expected a held message');
  return {
    call,
    deliver,
    ledger,
    holdingPen,
    caseId: created.caseId,
    reference: created.reference,
    itemId: held.itemId,
  };
}

describe('holding-pen API', () => {
  it('lists, reads, attaches (201 then 200) and the case page shows the message', async () => {
    const { call, itemId, caseId } = await setup();

    const list = await call({ path: '/api/staff/holding', query: { order: 'newest' } });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([expect.objectContaining({ itemId, kind: 'reference-without-token' })]);

    const item = await call({ path: `/api/staff/holding/${itemId}` });
    expect(item.status).toBe(200);
    expect(item.json.item).toMatchObject({
      itemId,
      rawKey: 'inbound/m-2',
      message: { text: 'Une précision.' },
    });

    const attach = { method: 'POST', path: `/api/staff/holding/${itemId}/attach`, body: { caseId } };
    const first = await call(attach);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      caseId,
      replayed: false,
      triage: { outcome: 'attached', by: 'agent-stats' },
    });
    expect((await call(attach)).status).toBe(200);

    const page = await call({ path: `/api/staff/cases/${caseId}` });
    expect(page.json.case.content?.messages).toEqual([
      expect.objectContaining({ from: 'other', fromAddress: 'jean@autre.example', text: 'Une précision.' }),
    ]);
    const audited = await call({ path: `/api/staff/cases/${caseId}`, claims: AUDITOR });
    expect(audited.json.case.content).toBeUndefined();
    expect(JSON.stringify(audited.json)).not.toContain('Une précision');
  });

  it('attaches to a case named by its reference, in any letter case', async () => {
    const { call, itemId, caseId, reference } = await setup();

    const attached = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/attach`,
      body: { caseId: reference.toLowerCase() },
    });

    expect(attached.status).toBe(201);
    expect(attached.json).toMatchObject({ caseId, triage: { outcome: 'attached' } });
  });

  it('registers a case at the original receipt time, and dismisses with 409 for a second triage', async () => {
    const { call, itemId } = await setup();
    const registered = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/register`,
      body: {
        category: 'statistics',
        requester: { name: 'Jean', email: 'jean@autre.example', language: 'fr' },
      },
    });
    expect(registered.status).toBe(201);
    expect(registered.json).toMatchObject({ receivedAt: '2026-03-03T14:12:00.000Z', replayed: false });

    const dismissed = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/dismiss`,
      body: { reason: 'duplicate' },
      language: 'en',
    });
    expect(dismissed.status).toBe(409);
    expect(dismissed.json).toMatchObject({ code: 'HOLDING_ITEM_RESOLVED', status: 409 });
    expect(dismissed.json.detail).toMatch(/already triaged/);
  });

  it('refuses: 403 to auditors acting and to agents of another unit, 404 for an unknown item', async () => {
    const { call, itemId, caseId } = await setup();
    const byAuditor = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/attach`,
      body: { caseId },
      claims: AUDITOR,
    });
    expect(byAuditor.status).toBe(403);
    const byOther = await call({ path: `/api/staff/holding/${itemId}`, claims: OTHER_AGENT });
    expect(byOther.status).toBe(403);
    expect((await call({ path: '/api/staff/holding', claims: OTHER_AGENT })).json.items).toEqual([]);
    const unknown = await call({ path: `/api/staff/holding/${'a'.repeat(64)}` });
    expect(unknown.status).toBe(404);
    expect(unknown.json.detail).toBe('Aucun courriel en attente ne correspond à cet identifiant.');
    expect((await call({ method: 'DELETE', path: `/api/staff/holding/${itemId}` })).status).toBe(405);
    expect((await call({ method: 'POST', path: `/api/staff/holding/${itemId}/delete` })).status).toBe(404);
  });

  it('400: field by field in French or English', async () => {
    const { call, itemId } = await setup();
    const fr = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/dismiss`,
      body: { reason: 'other' },
    });
    expect(fr.status).toBe(400);
    expect(fieldIssues(fr.json)).toEqual([
      { path: 'note', message: 'est obligatoire quand le motif est « other »' },
    ]);
    const en = await call({
      method: 'POST',
      path: `/api/staff/holding/${itemId}/register`,
      body: { category: 'statistics', requester: { name: 'X', language: 'fr' }, extra: 1 },
      language: 'en',
    });
    expect(en.status).toBe(400);
    expect(fieldIssues(en.json)).toEqual([{ path: 'extra', message: 'is not a known field' }]);
    const query = await call({ path: '/api/staff/holding', query: { kind: 'nope' }, language: 'en' });
    expect(query.status).toBe(400);
    expect(fieldIssues(query.json)[0]).toMatchObject({ path: 'query.kind' });
  });

  it('logs each read of a confidential held item (who, which item, scope), never its content', async () => {
    const logged: { message: string; extra: unknown[] }[] = [];
    const record = (message: string, ...extra: unknown[]) => void logged.push({ message, extra });
    const { call, deliver, itemId } = await setup({ logger: { info: record, warn: record, error: record } });
    const complaint = await deliver(
      [
        'From: Marie <marie@example.com>',
        `To: plaintes@${DOMAIN}`,
        'Subject: Absence',
        'Auto-Submitted: auto-replied',
      ],
      'Plainte confidentielle.\r\n',
    );
    if (complaint.outcome !== 'held') throw new Error('expected a held message');
    const OFFICER = { sub: 'officer-1', 'cognito:groups': ['complaints-officer'] };

    const read = await call({ path: `/api/staff/holding/${complaint.itemId}`, claims: OFFICER });
    const audited = await call({ path: `/api/staff/holding/${complaint.itemId}`, claims: AUDITOR });
    const hidden = await call({ path: `/api/staff/holding/${complaint.itemId}` });
    const ordinary = await call({ path: `/api/staff/holding/${itemId}` });

    expect([read.status, audited.status, hidden.status, ordinary.status]).toEqual([200, 200, 404, 200]);
    expect(read.json.item).toMatchObject({
      confidential: true,
      message: { text: 'Plainte confidentielle.' },
    });
    expect(ordinary.json.item).toMatchObject({ confidential: false });
    const reads = logged.filter((entry) => entry.message === 'confidential held item read');
    expect(reads.map((entry) => entry.extra)).toEqual([
      [{ itemId: complaint.itemId, staffId: 'officer-1', scope: 'content' }],
      [{ itemId: complaint.itemId, staffId: 'auditor-1', scope: 'metadata' }],
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/marie|Plainte|Absence/i);
  });

  it('answers the complaints officer only for mail quoting a complaint, and shows nothing unrecorded', async () => {
    const { call, deliver, ledger } = await setup();
    const complaint = await deliver(
      [
        'From: Marie <marie@example.com>',
        `To: plaintes@${DOMAIN}`,
        'Subject: Accueil',
        'Message-ID: <p-1@x>',
      ],
      'Ma plainte.\r\n',
    );
    if (complaint.outcome !== 'case') throw new Error('expected a complaint case');
    const followUp = await deliver(
      [
        'From: Marie <marie@example.com>',
        `To: demandes@${DOMAIN}`,
        `Subject: Re: ${complaint.reference}`,
        'Message-ID: <p-2@x>',
      ],
      'Précision confidentielle.\r\n',
    );
    if (followUp.outcome !== 'held') throw new Error('expected a held message');
    const OFFICER = { sub: 'officer-1', 'cognito:groups': ['complaints-officer'] };
    const POLICY_AGENT = {
      sub: 'agent-pol',
      'cognito:groups': ['agent'],
      'custom:units': 'management-policies',
    };
    const path = `/api/staff/holding/${followUp.itemId}`;

    expect((await call({ path, claims: POLICY_AGENT })).status).toBe(404);
    const listed = await call({ path: '/api/staff/holding', claims: POLICY_AGENT });
    expect(JSON.stringify(listed.json)).not.toContain(followUp.itemId);
    const register = await call({
      method: 'POST',
      path: `${path}/register`,
      body: {
        category: 'policies',
        requester: { name: 'Marie', email: 'marie@example.com', language: 'fr' },
      },
      claims: POLICY_AGENT,
    });
    expect(register.status).toBe(404);
    expect((await call({ path, claims: OFFICER })).status).toBe(200);

    jest
      .spyOn(ledger, 'append')
      .mockRejectedValue(new StoreError('down', { transient: true, details: { operation: 'PutItem' } }));
    const unrecorded = await call({ path, claims: OFFICER });
    expect(unrecorded.status).toBe(500);
    expect(JSON.stringify(unrecorded.json)).not.toContain('Précision');
  });
});
