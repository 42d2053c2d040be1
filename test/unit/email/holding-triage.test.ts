import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { automaticRepliesBarred } from '../../../shared/domain/messaging/automatic-replies';
import {
  AccessDeniedError,
  BusinessRuleError,
  CaseNotFoundError,
  HoldingItemNotFoundError,
  HoldingItemResolvedError,
  ValidationError,
} from '../../../shared/errors';
import { toDetail } from '../../../shared/domain/case/commands/views';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  attachHeldMessage,
  dismissHeldMessage,
  getHoldingItem,
  listHoldingItems,
  registerHeldMessage,
} from '../../../shared/domain/intake/email/holding-triage';
import type { HoldingTriageDeps } from '../../../shared/domain/intake/email/holding-triage';
import { receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
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
} from './fakes';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';

const BUCKET = 'raw';
const DOMAIN = 'intake.sct.example';
const STAMP_AT = 'Tue, 03 Mar 2026 14:12:00 +0000';

const agentStats: StaffIdentity = { id: 'agent-stats', roles: ['agent'], units: ['statistics'] };
const agentPolicies: StaffIdentity = { id: 'agent-pol', roles: ['agent'], units: ['management-policies'] };
const supervisorStats: StaffIdentity = { id: 'sup-stats', roles: ['supervisor'], units: ['statistics'] };
const officer: StaffIdentity = { id: 'officer', roles: ['complaints-officer'], units: [] };
const auditor: StaffIdentity = { id: 'auditor', roles: ['auditor'], units: [] };

function setup() {
  const rawMail = new InMemoryRawMail();
  const ledger = new InMemoryCaseLedger();
  const holdingPen = new InMemoryHoldingPen();
  const attachments = new InMemoryAttachmentStore();
  const workflow = new RecordingWorkflow();
  let now = new Date('2026-03-03T14:12:07.000Z');
  const common = {
    ledger,
    references: new InMemoryReferenceAllocator(),
    rateCounter: new InMemoryRateCounter(),
    workflow,
    clock: { now: () => now },
    policy: loadSctPolicy(),
    rawMail,
    attachments,
    holdingPen,
    caseReferences: ledger,
  };
  const intake: EmailIntakeDeps = {
    ...common,
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    notifier: new RecordingNotifier(),
    settings: { intakeDomain: DOMAIN, ownAddresses: ['no-reply@sct.example'], routing: SCT_EMAIL_ROUTING },
  };
  const deps: HoldingTriageDeps = { ...common, rawMailBucket: BUCKET };
  let count = 0;
  const deliver = async (lines: readonly string[], body = 'Bonjour,\r\nune question.\r\n') => {
    count += 1;
    const key = `inbound/message-${count}`;
    rawMail.put(
      BUCKET,
      key,
      `${[`Received: from mx by smtp; ${STAMP_AT}`, ...lines].join('\r\n')}\r\n\r\n${body}`,
    );
    return receiveEmail(intake, { bucket: BUCKET, key });
  };
  const later = (iso: string) => {
    now = new Date(iso);
  };
  return { deps, ledger, holdingPen, attachments, workflow, deliver, later };
}

async function heldId(result: Awaited<ReturnType<ReturnType<typeof setup>['deliver']>>): Promise<string> {
  if (result.outcome !== 'held') throw new Error(`expected a held message, got ${result.outcome}`);
  return result.itemId;
}

const STRANGER_WITH_REFERENCE = (reference: string) => [
  'From: Jean Inconnu <jean@autre.example>',
  `To: statistiques@${DOMAIN}`,
  `Subject: Suivi du dossier ${reference}`,
  'Message-ID: <stranger-1@autre.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"',
];
const STRANGER_BODY =
  '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJ’ajoute une pièce au dossier.\r\n' +
  '--b\r\nContent-Type: application/pdf; name="annexe.pdf"\r\nContent-Disposition: attachment; filename="annexe.pdf"\r\n' +
  'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJSVFT0YK\r\n--b--\r\n';

async function statisticsCase(world: ReturnType<typeof setup>) {
  const result = await world.deliver([
    'From: Marie Tremblay <marie@example.com>',
    `To: statistiques@${DOMAIN}`,
    'Subject: Effectifs 2025',
    'Message-ID: <m-1@example.com>',
  ]);
  if (result.outcome !== 'case') throw new Error('expected a case');
  return result;
}

describe('listHoldingItems', () => {
  it('lists open items of the unit the mailbox routes to, metadata only, in either order with a cursor', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY);
    await world.deliver(
      [
        'From: Paul <paul@ailleurs.example>',
        `To: statistiques@${DOMAIN}`,
        `Subject: Re ${created.reference}`,
      ],
      'autre\r\n',
    );

    const first = await listHoldingItems(world.deps, agentStats, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.cursor).toBeDefined();
    const second = await listHoldingItems(world.deps, agentStats, { limit: 1, cursor: first.cursor! });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.itemId).not.toBe(first.items[0]!.itemId);
    const row = [...first.items, ...second.items].find((item) => item.fromDomain === 'autre.example')!;
    expect(row).toMatchObject({
      kind: 'reference-without-token',
      status: 'open',
      mailbox: 'statistiques',
      fromDomain: 'autre.example',
      legalHold: false,
    });
    expect(row.subject).toContain(created.reference);
    expect(JSON.stringify(first)).not.toContain('@');

    const newest = await listHoldingItems(world.deps, agentStats, { order: 'newest', limit: 1 });
    expect(newest.items[0]!.itemId).toBe(second.items[0]!.itemId);
  });

  it('hides items from other units, shows auditors metadata without the subject', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY);

    expect((await listHoldingItems(world.deps, agentPolicies)).items).toEqual([]);
    const audited = await listHoldingItems(world.deps, auditor);
    expect(audited.items).toHaveLength(1);
    expect(audited.items[0]!.subject).toBeUndefined();
    expect((await listHoldingItems(world.deps, supervisorStats)).items).toHaveLength(1);
  });

  it('keeps mail to the complaints mailbox for the complaints officer', async () => {
    const world = setup();
    await world.deliver(
      [
        'From: Bureau <absent@example.com>',
        `To: plaintes@${DOMAIN}`,
        'Subject: Absence du bureau',
        'Auto-Submitted: auto-replied',
      ],
      'Je suis absent.\r\n',
    );
    expect((await listHoldingItems(world.deps, agentStats, { status: 'recorded' })).items).toEqual([]);
    const mine = await listHoldingItems(world.deps, officer, { status: 'recorded', kind: 'auto-reply' });
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ mailbox: 'plaintes', kind: 'auto-reply' });
    const itemId = mine.items[0]!.itemId;
    await expect(getHoldingItem(world.deps, agentStats, itemId)).rejects.toBeInstanceOf(
      HoldingItemNotFoundError,
    );
    await expect(
      dismissHeldMessage(world.deps, supervisorStats, itemId, { reason: 'auto-reply' }),
    ).rejects.toBeInstanceOf(HoldingItemNotFoundError);
  });

  it('refuses a bad cursor and a person without a staff role', async () => {
    const world = setup();
    await expect(listHoldingItems(world.deps, { id: 'x', roles: [], units: [] })).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    await expect(listHoldingItems(world.deps, agentStats, { kind: 'nope' as never })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('getHoldingItem', () => {
  it('shows content readers the sanitized message, its attachments and the suggested case; auditors metadata', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    await world.deliver(
      [
        'From: Jean <jean@autre.example>',
        `To: statistiques@${DOMAIN}`,
        'Subject: Bonjour',
        'Auto-Submitted: auto-replied',
      ],
      'absent\r\n',
    );
    const itemId = await heldId(
      await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY),
    );

    const detail = await getHoldingItem(world.deps, agentStats, itemId);
    expect(detail.scope).toBe('content');
    expect(detail.rawKey).toBe('inbound/message-3');
    expect(detail.reference).toBe(created.reference);
    expect(detail.message).toEqual({
      from: { address: 'jean@autre.example', name: 'Jean Inconnu' },
      subject: `Suivi du dossier ${created.reference}`,
      text: 'J’ajoute une pièce au dossier.',
      attachments: [{ filename: 'annexe.pdf', contentType: 'application/pdf', size: 15 }],
    });

    const audited = await getHoldingItem(world.deps, auditor, itemId);
    expect(audited.scope).toBe('metadata');
    expect(audited.message).toBeUndefined();
    expect(audited.subject).toBeUndefined();
    expect(audited.rawKey).toBe('inbound/message-3');
    await expect(getHoldingItem(world.deps, agentPolicies, itemId)).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(getHoldingItem(world.deps, agentStats, 'f'.repeat(64))).rejects.toBeInstanceOf(
      HoldingItemNotFoundError,
    );
  });
});

describe('a message the parser cannot read', () => {
  /** MIME nested deeper than postal-mime reads (256 levels): it throws instead of guessing. */
  function nestedTooDeep(depth: number): string {
    const levels = Array.from(
      { length: depth },
      (_, level) => `--n${level}\r\nContent-Type: multipart/mixed; boundary="n${level + 1}"\r\n\r\n`,
    );
    return `${levels.join('')}--n${depth}\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n`;
  }
  const HEAD = [
    'From: Marie Tremblay <marie@example.com>',
    `To: statistiques@${DOMAIN}`,
    'Subject: Effectifs 2025',
    'Message-ID: <deep@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="n0"',
  ];

  it('is held as a processing error and shown to the complaints officer (recipients unread) without content', async () => {
    const world = setup();
    const result = await world.deliver(HEAD, nestedTooDeep(300));

    expect(result).toMatchObject({ outcome: 'held', kind: 'processing-error', errorName: 'Error' });
    const itemId = await heldId(result);
    const detail = await getHoldingItem(world.deps, officer, itemId);
    expect(detail.confidential).toBe(true);
    expect(detail.rawKey).toBe('inbound/message-1');
    expect(detail.message).toBeUndefined();
  });

  it('is read when it nests no deeper than the parser allows', async () => {
    const world = setup();
    const result = await world.deliver(HEAD, nestedTooDeep(200));

    expect(result).toMatchObject({ outcome: 'case', created: true });
  });
});

describe('attachHeldMessage', () => {
  it('files the message on the case as message.received, marks the item triaged, and replays', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    const itemId = await heldId(
      await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY),
    );
    world.later('2026-03-04T15:00:00.000Z');

    const result = await attachHeldMessage(world.deps, agentStats, itemId, { caseId: created.caseId });
    expect(result).toMatchObject({
      replayed: false,
      caseId: created.caseId,
      triage: { outcome: 'attached', by: 'agent-stats', role: 'agent', at: '2026-03-04T15:00:00.000Z' },
    });
    const events = await world.ledger.read(created.caseId);
    const received = events.filter((event) => event.type === 'message.received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      actor: { kind: 'staff', id: 'agent-stats', role: 'agent' },
      data: {
        from: 'other',
        fromAddress: 'jean@autre.example',
        text: 'J’ajoute une pièce au dossier.',
        receivedAt: '2026-03-03T14:12:00.000Z',
        holdingItemId: itemId,
        attachments: [{ filename: 'annexe.pdf', contentType: 'application/pdf', size: 15 }],
      },
    });
    expect([...world.attachments.objects.keys()]).toContain(
      (received[0]!.type === 'message.received' && received[0]!.data.attachments[0]?.key) || 'missing',
    );
    expect(await world.holdingPen.get(itemId)).toMatchObject({
      status: 'resolved',
      resolution: 'attached',
      resolvedCaseId: created.caseId,
      resolvedBy: 'agent-stats',
    });

    const again = await attachHeldMessage(world.deps, agentStats, itemId, { caseId: created.caseId });
    expect(again.replayed).toBe(true);
    expect(
      (await world.ledger.read(created.caseId)).filter((e) => e.type === 'message.received'),
    ).toHaveLength(1);

    const projection = (await world.ledger.getCase(created.caseId))!;
    const page = toDetail(projection, await world.ledger.read(created.caseId), 'content', new Date());
    expect(page.content?.messages).toEqual([
      expect.objectContaining({
        from: 'other',
        text: 'J’ajoute une pièce au dossier.',
        holdingItemId: itemId,
      }),
    ]);
    expect(
      toDetail(projection, await world.ledger.read(created.caseId), 'metadata', new Date()).content,
    ).toBeUndefined();
  });

  it('refuses a second, different triage, a case the person may not handle, and auditors', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    const itemId = await heldId(
      await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY),
    );

    await expect(
      attachHeldMessage(world.deps, auditor, itemId, { caseId: created.caseId }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      attachHeldMessage(world.deps, agentStats, itemId, { caseId: 'sct-00000000000000000000000000000000' }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await dismissHeldMessage(world.deps, agentStats, itemId, { reason: 'duplicate' });
    await expect(
      attachHeldMessage(world.deps, supervisorStats, itemId, { caseId: created.caseId }),
    ).rejects.toBeInstanceOf(HoldingItemResolvedError);
    expect((await world.ledger.read(created.caseId)).some((e) => e.type === 'message.received')).toBe(false);
  });

  it('names who triaged an item by their directory name, the id alone without a directory', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    const itemId = await heldId(
      await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY),
    );
    await dismissHeldMessage(world.deps, agentStats, itemId, { reason: 'duplicate' });
    const directory = new StaticStaffDirectory({}, [
      { id: 'agent-stats', roles: ['agent'], units: ['statistics'], name: 'Marie Tremblay' },
    ]);

    const named = await getHoldingItem({ ...world.deps, directory }, agentStats, itemId);
    const bare = await getHoldingItem(world.deps, agentStats, itemId);

    expect(named.triage?.by).toBe('agent-stats');
    expect(named.staffNames).toEqual({ 'agent-stats': 'Marie Tremblay' });
    expect(bare.staffNames).toEqual({});
  });

  it('lets exactly one of two concurrent different triages through', async () => {
    const world = setup();
    const created = await statisticsCase(world);
    const itemId = await heldId(
      await world.deliver(STRANGER_WITH_REFERENCE(created.reference), STRANGER_BODY),
    );
    const outcomes = await Promise.allSettled([
      attachHeldMessage(world.deps, agentStats, itemId, { caseId: created.caseId }),
      dismissHeldMessage(world.deps, supervisorStats, itemId, { reason: 'spam' }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(HoldingItemResolvedError);
  });
});

describe('registerHeldMessage', () => {
  it('registers a case whose legal clock starts at the original receipt, once, and starts its workflow', async () => {
    const world = setup();
    const itemId = await heldId(
      await world.deliver(
        [`To: statistiques@${DOMAIN}`, 'Subject: Demande de statistiques', 'Message-ID: <j-1@example.org>'],
        'Combien de postes ?\r\n',
      ),
    );
    world.later('2026-03-20T15:00:00.000Z');

    const input = {
      category: 'statistics',
      requester: { name: 'Julie Roy', email: 'julie@example.org', language: 'fr' as const },
    };
    const result = await registerHeldMessage(world.deps, agentStats, itemId, input);
    expect(result.replayed).toBe(false);
    expect(result.caseId).toBe(caseIdFor(world.deps.policy, `holding:${itemId}`));
    expect(result.receivedAt).toBe('2026-03-03T14:12:00.000Z');
    const projection = await world.ledger.getCase(result.caseId);
    expect(projection).toMatchObject({
      receivedAt: '2026-03-03T14:12:00.000Z',
      registeredAt: '2026-03-20T15:00:00.000Z',
      channel: 'email',
      category: 'statistics',
      body: 'Combien de postes ?',
      receiptEvidence: { kind: 'mail-server-time' },
    });
    expect(world.workflow.started.map((start) => start.caseId)).toContain(result.caseId);
    expect(await world.holdingPen.get(itemId)).toMatchObject({
      resolution: 'case-created',
      resolvedCaseId: result.caseId,
      resolvedRole: 'agent',
    });

    const again = await registerHeldMessage(world.deps, agentStats, itemId, input);
    expect(again).toMatchObject({ replayed: true, caseId: result.caseId, reference: result.reference });
    expect((await world.ledger.read(result.caseId)).filter((e) => e.type === 'case.received')).toHaveLength(
      1,
    );
  });

  it('records the receiving server’s verdicts on the sender, so a forged sender gets no automatic message', async () => {
    const world = setup();
    const itemId = await heldId(
      await world.deliver([
        'Authentication-Results: amazonses.com; spf=fail; dkim=none; dmarc=fail',
        `To: statistiques@${DOMAIN}`,
        'Subject: Demande',
        'Message-ID: <forged-1@example.org>',
      ]),
    );

    const result = await registerHeldMessage(world.deps, agentStats, itemId, {
      category: 'statistics',
      requester: { name: 'Julie Roy', email: 'julie@example.org', language: 'fr' as const },
    });

    const [received] = await world.ledger.read(result.caseId);
    expect(received?.type === 'case.received' && received.data.senderAuthentication).toEqual({
      spf: 'fail',
      dkim: 'none',
      dmarc: 'fail',
    });
    expect(automaticRepliesBarred(await world.ledger.read(result.caseId))).toBe('sender-unauthenticated');
  });

  it('refuses a category that takes no email', async () => {
    const world = setup();
    const itemId = await heldId(
      await world.deliver([`To: statistiques@${DOMAIN}`, 'Subject: Sans expéditeur'], 'texte\r\n'),
    );
    const policy = world.deps.policy;
    const noEmail = {
      ...policy,
      categories: policy.categories.map((category) =>
        category.id === 'media' ? { ...category, channels: ['web' as const] } : category,
      ),
    };
    await expect(
      registerHeldMessage({ ...world.deps, policy: noEmail }, agentStats, itemId, {
        category: 'media',
        requester: { name: 'X', language: 'fr' },
      }),
    ).rejects.toBeInstanceOf(BusinessRuleError);
  });
});

describe('dismissHeldMessage', () => {
  it('records who, when and why, keeps the item and its legal hold, and replays the same dismissal', async () => {
    const world = setup();
    const itemId = await heldId(
      await world.deliver(
        [
          'From: Spam <x@spam.example>',
          `To: statistiques@${DOMAIN}`,
          'Subject: Gagnez',
          'X-SES-Spam-Verdict: FAIL',
        ],
        'offre\r\n',
      ),
    );
    const result = await dismissHeldMessage(world.deps, supervisorStats, itemId, { reason: 'spam' });
    expect(result).toMatchObject({
      replayed: false,
      legalHold: true,
      triage: { outcome: 'dismissed', by: 'sup-stats', role: 'supervisor', reason: 'spam' },
    });
    expect(await world.holdingPen.get(itemId)).toMatchObject({ legalHold: true, status: 'resolved' });
    expect((await dismissHeldMessage(world.deps, supervisorStats, itemId, { reason: 'spam' })).replayed).toBe(
      true,
    );
    await expect(
      dismissHeldMessage(world.deps, supervisorStats, itemId, { reason: 'other', note: 'autre' }),
    ).rejects.toBeInstanceOf(HoldingItemResolvedError);
  });

  it('requires a note for "other"', async () => {
    const world = setup();
    const itemId = await heldId(await world.deliver([`To: statistiques@${DOMAIN}`, 'Subject: x'], 'y\r\n'));
    await expect(dismissHeldMessage(world.deps, officer, itemId, { reason: 'other' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
