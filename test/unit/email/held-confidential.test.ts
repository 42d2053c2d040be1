import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { AccessDeniedError, HoldingItemNotFoundError, StoreError } from '../../../shared/errors';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import {
  attachHeldMessage,
  dismissHeldMessage,
  getHoldingItem,
  listHoldingItems,
  registerHeldMessage,
} from '../../../shared/domain/intake/email/holding-triage';
import type { HoldingTriageDeps } from '../../../shared/domain/intake/email/holding-triage';
import type { HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
import { receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps } from '../../../shared/domain/intake/email/receive-email';
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
} from './fakes';

const BUCKET = 'raw';
const DOMAIN = 'intake.sct.example';
const STAMP_AT = 'Tue, 03 Mar 2026 14:12:00 +0000';

const agent: StaffIdentity = { id: 'agent-pol', roles: ['agent'], units: ['management-policies'] };
const supervisor: StaffIdentity = { id: 'sup-pol', roles: ['supervisor'], units: ['management-policies'] };
const admin: StaffIdentity = { id: 'admin-1', roles: ['admin'], units: [] };
const officer: StaffIdentity = { id: 'officer', roles: ['complaints-officer'], units: [] };
const auditor: StaffIdentity = { id: 'auditor', roles: ['auditor'], units: [] };

function setup() {
  const rawMail = new InMemoryRawMail();
  const ledger = new InMemoryCaseLedger();
  const holdingPen = new InMemoryHoldingPen();
  const common = {
    ledger,
    references: new InMemoryReferenceAllocator(),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date('2026-03-03T14:12:07.000Z') },
    policy: loadSctPolicy(),
    rawMail,
    attachments: new InMemoryAttachmentStore(),
    holdingPen,
    caseReferences: ledger,
  };
  const intake: EmailIntakeDeps = {
    ...common,
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    notifier: new RecordingNotifier(),
    settings: { intakeDomain: DOMAIN, ownAddresses: ['no-reply@sct.example'], routing: SCT_EMAIL_ROUTING },
    rateCounter: new InMemoryRateCounter(),
  };
  const deps: HoldingTriageDeps = { ...common, rawMailBucket: BUCKET };
  let count = 0;
  const deliver = async (lines: readonly string[], body: string) => {
    count += 1;
    const key = `inbound/message-${count}`;
    rawMail.put(
      BUCKET,
      key,
      `${[`Received: from mx by smtp; ${STAMP_AT}`, ...lines].join('\r\n')}\r\n\r\n${body}`,
    );
    return receiveEmail(intake, { bucket: BUCKET, key });
  };
  return { deps, ledger, holdingPen, deliver };
}

/** A complaint by email (a confidential case), then the complainant's follow-up to demandes@ quoting it. */
async function complaintAndFollowUp(world: ReturnType<typeof setup>) {
  const complaint = await world.deliver(
    [
      'From: Marie Tremblay <marie@example.com>',
      `To: plaintes@${DOMAIN}`,
      'Subject: Accueil inacceptable',
      'Message-ID: <c-1@example.com>',
    ],
    'Ma plainte confidentielle.\r\n',
  );
  if (complaint.outcome !== 'case') throw new Error('expected a complaint case');
  const followUp = await world.deliver(
    [
      'From: Marie Tremblay <marie@example.com>',
      `To: demandes@${DOMAIN}`,
      `Subject: Re: ma plainte ${complaint.reference}`,
      'Message-ID: <c-2@example.com>',
    ],
    'Précision sur ma plainte.\r\n',
  );
  if (followUp.outcome !== 'held') throw new Error('expected a held follow-up');
  return { complaint, itemId: followUp.itemId };
}

const REGISTER = {
  category: 'policies',
  requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' as const },
};

describe('held mail that names a confidential case', () => {
  it('is held as confidential and names the case its reference points to', async () => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    const item = await world.holdingPen.get(itemId);
    expect(item).toMatchObject({
      kind: 'reference-without-token',
      reference: complaint.reference,
      referencedCaseId: complaint.caseId,
      confidential: true,
    });
  });

  it.each([
    ['agent', agent],
    ['supervisor', supervisor],
    ['admin', admin],
  ])('is hidden from the %s: not listed, 404 on read, attach, register and dismiss', async (_, who) => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    expect((await listHoldingItems(world.deps, who)).items).toEqual([]);
    await expect(getHoldingItem(world.deps, who, itemId)).rejects.toThrow(HoldingItemNotFoundError);
    const attach = attachHeldMessage(world.deps, who, itemId, { caseId: complaint.caseId });
    const register = registerHeldMessage(world.deps, who, itemId, REGISTER);
    const dismiss = dismissHeldMessage(world.deps, who, itemId, { reason: 'duplicate' });
    // Admins and auditors can never act: they are refused before any item is looked up (403, no item named).
    const refusal = who === admin ? AccessDeniedError : HoldingItemNotFoundError;
    await expect(attach).rejects.toThrow(refusal);
    await expect(register).rejects.toThrow(refusal);
    await expect(dismiss).rejects.toThrow(refusal);
    expect((await world.holdingPen.get(itemId))?.status).toBe('open');
    expect(await world.ledger.read(complaint.caseId)).not.toContainEqual(
      expect.objectContaining({ type: 'message.received' }),
    );
  });

  it('is shown to auditors as metadata only, and they cannot triage it', async () => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    const list = await listHoldingItems(world.deps, auditor);
    expect(list.items).toEqual([expect.objectContaining({ itemId, kind: 'reference-without-token' })]);
    expect(list.items[0]).not.toHaveProperty('subject');
    const detail = await getHoldingItem(world.deps, auditor, itemId);
    expect(detail).toMatchObject({ scope: 'metadata', confidential: true });
    expect(detail.message).toBeUndefined();
    expect(JSON.stringify(detail)).not.toMatch(/Précision|ma plainte|marie/i);
    await expect(
      attachHeldMessage(world.deps, auditor, itemId, { caseId: complaint.caseId }),
    ).rejects.toThrow(AccessDeniedError);
    await expect(registerHeldMessage(world.deps, auditor, itemId, REGISTER)).rejects.toThrow(
      AccessDeniedError,
    );
    await expect(
      dismissHeldMessage(world.deps, auditor, itemId, { reason: 'other', note: 'x' }),
    ).rejects.toThrow(AccessDeniedError);
  });

  it('is read, listed and attached by the complaints officer', async () => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    const list = await listHoldingItems(world.deps, officer);
    expect(list.items).toEqual([expect.objectContaining({ itemId, subject: expect.any(String) })]);
    const detail = await getHoldingItem(world.deps, officer, itemId);
    expect(detail).toMatchObject({
      scope: 'content',
      confidential: true,
      message: { text: 'Précision sur ma plainte.' },
      suggestedCase: { caseId: complaint.caseId, reference: complaint.reference },
    });
    const attached = await attachHeldMessage(world.deps, officer, itemId, { caseId: complaint.caseId });
    expect(attached).toMatchObject({ caseId: complaint.caseId, triage: { outcome: 'attached' } });
  });

  it('registered by the complaints officer, makes a confidential case whatever the category', async () => {
    const world = setup();
    const { itemId } = await complaintAndFollowUp(world);
    const registered = await registerHeldMessage(world.deps, officer, itemId, REGISTER);
    const created = await world.ledger.getCase(registered.caseId);
    expect(created).toMatchObject({ category: 'policies', confidential: true });
  });

  it('dismissed by the complaints officer', async () => {
    const world = setup();
    const { itemId } = await complaintAndFollowUp(world);
    const dismissed = await dismissHeldMessage(world.deps, officer, itemId, { reason: 'duplicate' });
    expect(dismissed.triage).toMatchObject({ outcome: 'dismissed', by: 'officer' });
  });

  it('protects an item stored before the rule (a reference only, not marked confidential)', async () => {
    const world = setup();
    const { itemId } = await complaintAndFollowUp(world);
    const stored = (await world.holdingPen.get(itemId)) as HoldingItem;
    // The item as intake wrote it before: no link to the case, no confidentiality decided.
    const legacy: HoldingItem = { ...stored };
    delete legacy.referencedCaseId;
    delete legacy.confidential;
    world.holdingPen.items.set(itemId, legacy);
    expect((await listHoldingItems(world.deps, agent)).items).toEqual([]);
    await expect(getHoldingItem(world.deps, agent, itemId)).rejects.toThrow(HoldingItemNotFoundError);
    await expect(registerHeldMessage(world.deps, agent, itemId, REGISTER)).rejects.toThrow(
      HoldingItemNotFoundError,
    );
    expect(await getHoldingItem(world.deps, officer, itemId)).toMatchObject({ confidential: true });
  });

  it('follows a case that became confidential after the item was held', async () => {
    const world = setup();
    const request = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Directive',
        'Message-ID: <p-1@example.com>',
      ],
      'Question.\r\n',
    );
    if (request.outcome !== 'case') throw new Error('expected a case');
    const followUp = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: statistiques@${DOMAIN}`,
        `Subject: Suivi ${request.reference}`,
        'Message-ID: <p-2@example.com>',
      ],
      'Suite.\r\n',
    );
    if (followUp.outcome !== 'held') throw new Error('expected a held follow-up');
    // Sent to another service's mailbox, it still goes to the unit of the case it names.
    expect((await listHoldingItems(world.deps, agent)).items).toHaveLength(1);

    // The category becomes confidential in the policy: its cases, and the mail naming them, are protected.
    const policy = loadSctPolicy();
    const confidentialPolicy = {
      ...policy,
      categories: policy.categories.map((c) => (c.id === 'policies' ? { ...c, confidential: true } : c)),
    };
    const deps = { ...world.deps, policy: confidentialPolicy };
    expect((await listHoldingItems(deps, agent)).items).toEqual([]);
    await expect(getHoldingItem(deps, agent, followUp.itemId)).rejects.toThrow(HoldingItemNotFoundError);
  });

  it('keeps a mail quoting an ordinary case with that case’s unit', async () => {
    const world = setup();
    const request = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Directive',
        'Message-ID: <p-1@example.com>',
      ],
      'Question.\r\n',
    );
    if (request.outcome !== 'case') throw new Error('expected a case');
    const followUp = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        `Subject: Suivi ${request.reference}`,
        'Message-ID: <p-2@example.com>',
      ],
      'Suite.\r\n',
    );
    if (followUp.outcome !== 'held') throw new Error('expected a held follow-up');
    expect(await world.holdingPen.get(followUp.itemId)).toMatchObject({
      referencedCaseId: request.caseId,
      confidential: false,
    });
    expect(await getHoldingItem(world.deps, agent, followUp.itemId)).toMatchObject({
      confidential: false,
      scope: 'content',
    });
  });

  it('looks a reference that names no case up once, at intake', async () => {
    const world = setup();
    const held = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Suivi SCT-2026-000777',
        'Message-ID: <p-9@example.com>',
      ],
      'Suite.\r\n',
    );
    if (held.outcome !== 'held') throw new Error('expected a held message');
    expect(await world.holdingPen.get(held.itemId)).toMatchObject({
      reference: 'SCT-2026-000777',
      referenceFound: false,
      confidential: false,
    });
    const lookup = jest.spyOn(world.ledger, 'caseIdOf');
    expect((await listHoldingItems(world.deps, agent)).items).toHaveLength(1);
    expect(await getHoldingItem(world.deps, agent, held.itemId)).toMatchObject({ scope: 'content' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('links a held message to the case made from a message it answers (In-Reply-To, References)', async () => {
    const world = setup();
    const { complaint } = await complaintAndFollowUp(world);
    const held = await world.deliver(
      [
        'From: Marie Tremblay <marie@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Re: suite',
        'Auto-Submitted: auto-replied',
        'Message-ID: <c-4@example.com>',
        'In-Reply-To: <unknown@example.com>',
        'References: <c-1@example.com> <unknown@example.com>',
      ],
      'Réponse automatique sur ma plainte.\r\n',
    );
    if (held.outcome !== 'held') throw new Error('expected a held message');
    expect(await world.holdingPen.get(held.itemId)).toMatchObject({
      threadCaseId: complaint.caseId,
      confidential: true,
    });
    expect(await listHoldingItems(world.deps, agent, { status: 'recorded' })).toEqual({ items: [] });
    await expect(getHoldingItem(world.deps, agent, held.itemId)).rejects.toThrow(HoldingItemNotFoundError);
    expect(await getHoldingItem(world.deps, officer, held.itemId)).toMatchObject({
      suggestedCase: { caseId: complaint.caseId },
    });

    // Held before intake recorded thread links: read again from the raw message.
    const legacy: HoldingItem = { ...(await world.holdingPen.get(held.itemId))! };
    delete legacy.threadCaseId;
    delete legacy.confidential;
    world.holdingPen.items.set(held.itemId, legacy);
    expect(await listHoldingItems(world.deps, agent, { status: 'recorded' })).toEqual({ items: [] });
    await expect(getHoldingItem(world.deps, agent, held.itemId)).rejects.toThrow(HoldingItemNotFoundError);
  });

  it('holds a new message answering a complaint’s message instead of making an ordinary case', async () => {
    const world = setup();
    const { complaint } = await complaintAndFollowUp(world);
    const answer = await world.deliver(
      [
        'From: Marie Tremblay <marie@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Re: Accueil inacceptable',
        'Message-ID: <c-5@example.com>',
        'In-Reply-To: <c-1@example.com>',
      ],
      'Encore un détail de ma plainte.\r\n',
    );
    expect(answer).toMatchObject({ outcome: 'held', kind: 'reference-without-token' });
    if (answer.outcome !== 'held') throw new Error('expected a held message');
    expect(await world.holdingPen.get(answer.itemId)).toMatchObject({
      detail: 'thread-of-case',
      threadCaseId: complaint.caseId,
      confidential: true,
    });
    await expect(getHoldingItem(world.deps, agent, answer.itemId)).rejects.toThrow(HoldingItemNotFoundError);

    // Answering a message of an ordinary case is still a new request.
    const request = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Directive',
        'Message-ID: <p-1@example.com>',
      ],
      'Question.\r\n',
    );
    expect(request.outcome).toBe('case');
    const again = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Re: Directive',
        'Message-ID: <p-3@example.com>',
        'In-Reply-To: <p-1@example.com>',
      ],
      'Autre question.\r\n',
    );
    expect(again.outcome).toBe('case');
  });

  it('refuses to file a confidential held message on a case that is not confidential', async () => {
    const world = setup();
    const { itemId } = await complaintAndFollowUp(world);
    const other = await world.deliver(
      [
        'From: Paul <paul@example.com>',
        `To: demandes@${DOMAIN}`,
        'Subject: Directive',
        'Message-ID: <p-1@example.com>',
      ],
      'Question.\r\n',
    );
    if (other.outcome !== 'case') throw new Error('expected a case');
    const both: StaffIdentity = {
      id: 'officer-agent',
      roles: ['complaints-officer'],
      units: ['management-policies'],
    };
    await expect(attachHeldMessage(world.deps, both, itemId, { caseId: other.caseId })).rejects.toMatchObject(
      {
        code: 'CONFIDENTIAL_MESSAGE',
      },
    );
    expect((await world.holdingPen.get(itemId))?.status).toBe('open');
  });
});

describe('reads of confidential held items are recorded', () => {
  it('records each read of an item naming a case on that case’s ledger (who, scope, which item)', async () => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    await getHoldingItem(world.deps, officer, itemId);
    await getHoldingItem(world.deps, auditor, itemId);
    const reads = (await world.ledger.read(complaint.caseId)).filter((event) => event.type === 'case.read');
    expect(reads).toEqual([
      expect.objectContaining({
        actor: { kind: 'staff', id: 'officer', role: 'complaints-officer' },
        data: { scope: 'content', holdingItemId: itemId },
      }),
      expect.objectContaining({
        actor: { kind: 'staff', id: 'auditor', role: 'auditor' },
        data: { scope: 'metadata', holdingItemId: itemId },
      }),
    ]);
  });

  it('shows nothing when the read cannot be recorded', async () => {
    const world = setup();
    const { itemId } = await complaintAndFollowUp(world);
    const failing = new StoreError('down', { transient: true, details: { operation: 'PutItem' } });
    jest.spyOn(world.ledger, 'append').mockRejectedValue(failing);
    await expect(getHoldingItem(world.deps, officer, itemId)).rejects.toBe(failing);
  });

  it('records a read of a confidential item naming no case in the holding pen’s access journal', async () => {
    const world = setup();
    const held = await world.deliver(
      [
        'From: Marie <marie@example.com>',
        `To: plaintes@${DOMAIN}`,
        'Subject: Absence',
        'Auto-Submitted: auto-replied',
      ],
      'Plainte confidentielle.\r\n',
    );
    if (held.outcome !== 'held') throw new Error('expected a held message');
    await getHoldingItem(world.deps, officer, held.itemId);
    const audited = await getHoldingItem(world.deps, auditor, held.itemId);
    expect(audited.accessRecords).toEqual([
      expect.objectContaining({
        action: 'read',
        by: 'officer',
        role: 'complaints-officer',
        scope: 'content',
      }),
      expect.objectContaining({ action: 'read', by: 'auditor', role: 'auditor', scope: 'metadata' }),
    ]);
    expect(JSON.stringify(audited.accessRecords)).not.toMatch(/marie|Plainte|Absence/i);

    jest
      .spyOn(world.holdingPen, 'recordAccess')
      .mockRejectedValue(new StoreError('down', { transient: true, details: {} }));
    await expect(getHoldingItem(world.deps, officer, held.itemId)).rejects.toThrow(StoreError);
  });

  it('records one access record per list request that shows confidential items, none otherwise', async () => {
    const world = setup();
    const { complaint, itemId } = await complaintAndFollowUp(world);
    const second = await world.deliver(
      [
        'From: Marie Tremblay <marie@example.com>',
        `To: demandes@${DOMAIN}`,
        `Subject: Encore ${complaint.reference}`,
        'Message-ID: <c-3@example.com>',
      ],
      'Autre précision.\r\n',
    );
    if (second.outcome !== 'held') throw new Error('expected a held follow-up');
    const before = (await world.ledger.read(complaint.caseId)).length;

    await listHoldingItems(world.deps, officer);
    await listHoldingItems(world.deps, agent);
    const journal = await world.holdingPen.accessRecords(itemId);
    expect(journal).toEqual([
      expect.objectContaining({
        action: 'list',
        by: 'officer',
        role: 'complaints-officer',
        itemIds: expect.arrayContaining([itemId, second.itemId]),
        caseIds: [complaint.caseId],
      }),
    ]);
    // The list is one record, not one ledger write per row.
    expect((await world.ledger.read(complaint.caseId)).length).toBe(before);

    jest
      .spyOn(world.holdingPen, 'recordAccess')
      .mockRejectedValue(new StoreError('down', { transient: true, details: {} }));
    await expect(listHoldingItems(world.deps, officer)).rejects.toThrow(StoreError);
    expect((await listHoldingItems(world.deps, agent)).items).toEqual([]);
  });
});
