import { deliveryKeyOf } from '../../../shared/domain/messaging/delivery-key';
import { createHash } from 'node:crypto';

import {
  EmailRejectedError,
  EmailServiceUnavailableError,
  ObjectStoreUnavailableError,
  RawMailNotFoundError,
  StoreUnavailableError,
} from '../../../shared/errors';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { MAX_RAW_MESSAGE_BYTES, receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import { holdingItemId } from '../../../shared/domain/intake/email/holding-pen';
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
const STORED_AT = new Date('2026-03-03T14:12:05.000Z');
const STAMP =
  'Received: from mail.example.com by inbound-smtp with SMTP id x; Tue, 03 Mar 2026 14:12:00 +0000';

function setup() {
  const rawMail = new InMemoryRawMail();
  const ledger = new InMemoryCaseLedger();
  const holdingPen = new InMemoryHoldingPen();
  const attachments = new InMemoryAttachmentStore();
  const notifier = new RecordingNotifier();
  const workflow = new RecordingWorkflow();
  const replyAddresses = new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN });
  const deps: EmailIntakeDeps = {
    ledger,
    references: new InMemoryReferenceAllocator(),
    rateCounter: new InMemoryRateCounter(),
    workflow,
    clock: { now: () => new Date('2026-03-03T14:12:07.000Z') },
    policy: loadSctPolicy(),
    rawMail,
    attachments,
    holdingPen,
    caseReferences: ledger,
    replyAddresses,
    notifier,
    settings: { intakeDomain: DOMAIN, ownAddresses: ['no-reply@sct.example'], routing: SCT_EMAIL_ROUTING },
  };
  let count = 0;
  const deliver = (lines: readonly string[], body?: string) => {
    count += 1;
    const key = `inbound/message-${count}`;
    rawMail.put(BUCKET, key, message(lines, body), STORED_AT);
    return receiveEmail(deps, { bucket: BUCKET, key });
  };
  return { deps, rawMail, ledger, holdingPen, attachments, notifier, workflow, replyAddresses, deliver };
}

/** A raw message as SES stores it: the server stamp on top. */
function message(lines: readonly string[], body = 'Bonjour,\r\nune question.\r\n'): string {
  return `${[STAMP, ...lines].join('\r\n')}\r\n\r\n${body}`;
}

const REQUEST = [
  'From: Marie Tremblay <marie@example.com>',
  `To: statistiques@${DOMAIN}`,
  'Subject: Effectifs 2025',
  'Message-ID: <m-1@example.com>',
];

function withAttachments(
  headers: readonly string[],
  parts: readonly { name: string; type: string; base64: string }[],
) {
  const lines = [...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'];
  const body = [
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Voir les pièces jointes.',
    ...parts.flatMap((part) => [
      '--b',
      `Content-Type: ${part.type}; name="${part.name}"`,
      `Content-Disposition: attachment; filename="${part.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      part.base64,
    ]),
    '--b--',
    '',
  ].join('\r\n');
  return { lines, body };
}

/** The contact block of the first message sent. */
function sentContact(notifier: RecordingNotifier): string {
  const values: Record<string, string> | undefined = notifier.sent[0]?.message.values;
  return values?.['contact'] ?? '';
}

const PDF = {
  name: 'tableau.pdf',
  type: 'application/pdf',
  base64: Buffer.from('%PDF-1.4 tableau').toString('base64'),
};
const EXE = {
  name: 'outil.exe',
  type: 'application/octet-stream',
  base64: Buffer.from('MZ\x90\x00', 'latin1').toString('base64'),
};

describe('receiveEmail: new requests', () => {
  it('registers a case once per Message-ID, from the server stamp, with a reply address', async () => {
    const { deliver, ledger, workflow, replyAddresses, deps, notifier } = setup();

    const result = await deliver(REQUEST);

    expect(result).toMatchObject({
      caseId: caseIdFor(deps.policy, `email:${createHash('sha256').update('m-1@example.com').digest('hex')}`),
      outcome: 'case',
      created: true,
      category: 'statistics',
      reference: 'SCT-2026-000001',
      receiptSource: 'received-header',
    });
    if (result.outcome !== 'case') return;
    const projection = await ledger.getCase(result.caseId);
    expect(projection).toMatchObject({
      channel: 'email',
      category: 'statistics',
      requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
      subject: 'Effectifs 2025',
      body: 'Bonjour,\nune question.',
      receivedAt: '2026-03-03T14:12:00.000Z',
      receiptEvidence: { kind: 'mail-server-time', note: 'raw-mail inbound/message-1 (Received stamp)' },
    });
    expect(workflow.started).toEqual([{ caseId: result.caseId }]);
    expect(await replyAddresses.find(result.caseId)).toMatchObject({
      address: expect.stringMatching(/^demandes\+[a-z2-7]{26}@intake\.sct\.example$/),
    });
    expect(notifier.sent).toEqual([]);
  });

  it('gives the same case for the same Message-ID delivered as another object', async () => {
    const { deliver, ledger } = setup();

    const first = await deliver(REQUEST);
    const second = await deliver([...REQUEST.slice(0, 2), 'Subject: Effectifs 2025 (renvoi)', REQUEST[3]!]);

    expect(second).toMatchObject({ outcome: 'case', created: false });
    expect(first.outcome === 'case' && second.outcome === 'case' && first.caseId === second.caseId).toBe(
      true,
    );
    if (first.outcome === 'case') expect(await ledger.read(first.caseId)).toHaveLength(5);
  });

  it('keeps safe attachments, refuses dangerous ones, notes it in the body and tells the sender once', async () => {
    const { deliver, ledger, attachments, notifier, rawMail, deps } = setup();
    const { lines, body } = withAttachments(REQUEST, [PDF, EXE]);

    const result = await deliver(lines, body);

    expect(result).toMatchObject({ outcome: 'case', attachments: 1, refused: 1, notice: 'sent' });
    if (result.outcome !== 'case') return;
    const projection = await ledger.getCase(result.caseId);
    expect(projection?.attachments).toEqual([
      {
        key: expect.stringMatching(new RegExp(`^${result.caseId}/[0-9a-f]{16}/01-tableau\\.pdf$`)),
        filename: 'tableau.pdf',
        contentType: 'application/pdf',
        size: 16,
      },
    ]);
    expect([...attachments.objects.keys()]).toEqual([projection?.attachments[0]?.key]);
    expect(projection?.body).toContain('Pièces jointes refusées');
    expect(projection?.body).toContain('- outil.exe\u00a0: type de fichier non accepté');
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]?.message).toMatchObject({
      template: 'attachment-refused',
      language: 'fr',
      to: ['marie@example.com'],
      replyTo: expect.stringMatching(/^demandes\+/),
      caseId: result.caseId,
      values: {
        reference: 'SCT-2026-000001',
        refusedFiles: expect.stringMatching(/^- pièce jointe refusée n°\s1/),
      },
    });
    expect(JSON.stringify(notifier.sent[0]?.message.values)).not.toMatch(/Marie|Effectifs|outil/);
    const sent = (await ledger.read(result.caseId)).filter((event) => event.type === 'message.sent');
    expect(sent).toEqual([
      expect.objectContaining({
        idempotencyKey: expect.stringMatching(/^attachment-refused:[0-9a-f]{64}$/),
        data: expect.objectContaining({
          template: 'attachment-refused',
          recipient: 'requester',
          purpose: 'other',
        }),
      }),
    ]);
    // Sent through the outbox: the delivery key of that record, for the mail service's record of accepted mail.
    expect(notifier.sent[0]?.message.deliveryKey).toBe(
      deliveryKeyOf(result.caseId, sent[0]?.idempotencyKey ?? ''),
    );

    const again = await receiveEmail(deps, { bucket: BUCKET, key: 'inbound/message-1' });
    expect(again).toMatchObject({ outcome: 'case', created: false, notice: 'already-sent' });
    expect(notifier.sent).toHaveLength(1);
    expect(rawMail.objects.size).toBe(1);
  });

  it('the notice of a request gives the unit as the contact and the complaints officer only to complain', async () => {
    const { deliver, notifier } = setup();
    const { lines, body } = withAttachments(REQUEST, [EXE]);

    await deliver(lines, body);

    const contact = sentContact(notifier);
    const [unitBlock, complain] = contact.split('\n\n');
    expect(unitBlock).toMatch(/^Secrétariat du Conseil du trésor – Statistiques/);
    expect(unitBlock).toContain('statistiques@sct.gouv.qc.ca');
    expect(unitBlock).not.toContain('Responsable des plaintes');
    expect(unitBlock).not.toContain('responsable-plaintes@');
    expect(complain).toBe(
      'Pour formuler une plainte sur nos services : Responsable des plaintes, responsable-plaintes@sct.gouv.qc.ca, 418 644-4767',
    );
  });

  it('the notice of a service complaint gives the complaints officer (with the fax)', async () => {
    const { deliver, notifier } = setup();
    const { lines, body } = withAttachments(
      [
        'From: Marie Tremblay <marie@example.com>',
        `To: plaintes@${DOMAIN}`,
        'Subject: Service',
        'Message-ID: <m-9@example.com>',
      ],
      [EXE],
    );

    const first = await deliver(lines, body);

    expect(first).toMatchObject({ outcome: 'case', category: 'service-complaint', notice: 'sent' });
    const contact = sentContact(notifier);
    expect(contact.split('\n')[0]).toBe('Responsable des plaintes');
    expect(contact).toContain('Télécopieur : 418 643-9226');
    expect(contact).not.toContain('Pour formuler une plainte');
  });

  it('records a notice the mail service refuses, and does not try again', async () => {
    const { deliver, ledger, notifier, deps } = setup();
    notifier.failWith = new EmailRejectedError({ template: 'attachment-refused' });
    const { lines, body } = withAttachments(REQUEST, [EXE]);

    const result = await deliver(lines, body);

    expect(result).toMatchObject({ outcome: 'case', notice: 'failed' });
    if (result.outcome !== 'case') return;
    const failures = (await ledger.read(result.caseId)).filter((event) => event.type === 'failure.recorded');
    expect(failures).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ code: 'ATTACHMENT_NOTICE_FAILED', message: 'EmailRejectedError' }),
      }),
    ]);
    notifier.failWith = undefined;
    expect(await receiveEmail(deps, { bucket: BUCKET, key: 'inbound/message-1' })).toMatchObject({
      notice: 'failed',
    });
    expect(notifier.sent).toEqual([]);
  });

  it('throws when the mail service is unavailable, so the event is retried (the case already exists)', async () => {
    const { deliver, notifier, ledger, deps } = setup();
    notifier.failWith = new EmailServiceUnavailableError({});
    const { lines, body } = withAttachments(REQUEST, [EXE]);

    await expect(deliver(lines, body)).rejects.toBeInstanceOf(EmailServiceUnavailableError);

    notifier.failWith = undefined;
    const retried = await receiveEmail(deps, { bucket: BUCKET, key: 'inbound/message-1' });
    expect(retried).toMatchObject({ outcome: 'case', created: false, notice: 'sent' });
    if (retried.outcome === 'case')
      expect((await ledger.read(retried.caseId)).map((e) => e.type)).toContain('message.sent');
  });
});

describe('receiveEmail: replies', () => {
  async function withCase() {
    const context = setup();
    const first = await context.deliver(REQUEST);
    if (first.outcome !== 'case') throw new Error('no case');
    const address = await context.replyAddresses.addressFor(first.caseId, 'marie@example.com');
    return { ...context, caseId: first.caseId, address: address.address };
  }

  it('files a reply from the requester on the case (no address recorded), with its attachments', async () => {
    const { deliver, ledger, caseId, address, workflow } = await withCase();
    const { lines, body } = withAttachments(
      [
        'From: Marie <MARIE@example.com>',
        `To: ${address}`,
        'Subject: RE: précisions',
        'Message-ID: <r-1@example.com>',
      ],
      [PDF],
    );

    const result = await deliver(lines, body);

    expect(result).toMatchObject({ outcome: 'reply', caseId, appended: true, attachments: 1, refused: 0 });
    const events = await ledger.read(caseId);
    const received = events.find((event) => event.type === 'message.received');
    expect(received).toMatchObject({
      actor: { kind: 'citizen' },
      idempotencyKey: expect.stringMatching(/^email:[0-9a-f]{64}$/),
      data: {
        rawKey: 'inbound/message-2',
        from: 'requester',
        subject: 'RE: précisions',
        receivedAt: '2026-03-03T14:12:00.000Z',
        attachments: [expect.objectContaining({ filename: 'tableau.pdf' })],
      },
    });
    expect(JSON.stringify(received)).not.toContain('@');
    expect(workflow.started).toHaveLength(1);
  });

  it('holds the case address used by a stranger, naming the case', async () => {
    const { deliver, holdingPen, caseId, address } = await withCase();

    const result = await deliver(['From: autre@example.net', `To: ${address}`, 'Subject: RE: x']);

    expect(result).toMatchObject({ outcome: 'held', kind: 'token-mismatch', caseId, created: true });
    const item = holdingPen.items.get(holdingItemId('inbound/message-2'));
    expect(item).toMatchObject({
      status: 'open',
      legalHold: false,
      fromDomain: 'example.net',
      subject: 'RE: x',
    });
  });

  it('refuses a dangerous attachment on a reply and tells the requester', async () => {
    const { deliver, ledger, caseId, address, notifier } = await withCase();
    const { lines, body } = withAttachments(
      ['From: marie@example.com', `To: ${address}`, 'Message-ID: <r-2@example.com>'],
      [EXE],
    );

    const result = await deliver(lines, body);

    expect(result).toMatchObject({ outcome: 'reply', refused: 1, notice: 'sent' });
    const received = (await ledger.read(caseId)).find((event) => event.type === 'message.received');
    expect(received?.type === 'message.received' && received.data.refusedAttachments).toEqual([
      { filename: 'outil.exe', contentType: 'application/octet-stream', size: 4, reason: 'dangerous-type' },
    ]);
    expect(notifier.sent[0]?.message).toMatchObject({
      to: ['marie@example.com'],
      values: { reference: expect.any(String) },
    });
    expect(JSON.stringify(notifier.sent[0]?.message.values)).not.toMatch(/Effectifs|outil/);
    expect(sentContact(notifier)).toMatch(
      /^Secrétariat du Conseil du trésor – Statistiques[^]*statistiques@sct\.gouv\.qc\.ca\n\nPour formuler une plainte sur nos services : Responsable des plaintes/,
    );
  });
});

describe('receiveEmail: the holding pen', () => {
  it('holds machine mail without answering it, even with a dangerous attachment', async () => {
    const { deliver, notifier, workflow } = setup();
    const { lines, body } = withAttachments(
      ['From: marie@example.com', 'Auto-Submitted: auto-replied', 'Subject: Absent'],
      [EXE],
    );

    expect(await deliver(lines, body)).toMatchObject({ outcome: 'held', kind: 'auto-reply' });
    expect(notifier.sent).toEqual([]);
    expect(workflow.started).toEqual([]);
  });

  it('quarantines a virus under legal hold and stores none of its attachments', async () => {
    const { deliver, holdingPen, attachments } = setup();
    const { lines, body } = withAttachments(['X-SES-Virus-Verdict: FAIL', ...REQUEST], [PDF]);

    const result = await deliver(lines, body);

    expect(result).toMatchObject({ outcome: 'held', kind: 'virus' });
    expect([...holdingPen.items.values()][0]).toMatchObject({
      status: 'open',
      legalHold: true,
      detail: 'x-ses-virus-verdict',
      receivedAt: '2026-03-03T14:12:00.000Z',
      attachmentCount: 1,
    });
    expect(attachments.puts).toBe(0);
  });

  it('holds a message too large for any mail server without parsing it', async () => {
    const { rawMail, deps, holdingPen } = setup();
    rawMail.put(BUCKET, 'inbound/huge', Buffer.alloc(MAX_RAW_MESSAGE_BYTES + 1, 0x41), STORED_AT);

    const result = await receiveEmail(deps, { bucket: BUCKET, key: 'inbound/huge' });

    expect(result).toMatchObject({ outcome: 'held', kind: 'oversize-message' });
    expect([...holdingPen.items.values()][0]).toMatchObject({ receivedAt: STORED_AT.toISOString() });
  });

  it('files an unexpected error as a processing-error item and succeeds', async () => {
    const { rawMail, deps, holdingPen } = setup();
    const broken: EmailIntakeDeps = {
      ...deps,
      attachments: {
        put: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    };
    const { lines, body } = withAttachments(REQUEST, [PDF]);
    rawMail.put(BUCKET, 'inbound/odd', message(lines, body), STORED_AT);

    const result = await receiveEmail(broken, { bucket: BUCKET, key: 'inbound/odd' });

    expect(result).toMatchObject({
      outcome: 'held',
      kind: 'processing-error',
      errorName: 'TypeError',
      created: true,
    });
    const item = holdingPen.items.get(holdingItemId('inbound/odd'));
    expect(item).toMatchObject({ status: 'open', subject: 'Effectifs 2025', fromDomain: 'example.com' });
    expect(JSON.stringify(item)).not.toContain('cannot read');
  });

  it('throws infrastructure failures so that Lambda retries the event', async () => {
    const { rawMail, deps } = setup();
    const storeDown: EmailIntakeDeps = {
      ...deps,
      holdingPen: {
        ...deps.holdingPen,
        hold: () => Promise.reject(new StoreUnavailableError({ table: 'holding' })),
      },
    };
    const s3Down: EmailIntakeDeps = {
      ...deps,
      attachments: { put: () => Promise.reject(new ObjectStoreUnavailableError({ bucket: 'attachments' })) },
    };
    const sdkDown: EmailIntakeDeps = {
      ...deps,
      workflow: {
        start: () =>
          Promise.reject(
            Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }),
          ),
      },
    };
    rawMail.put(BUCKET, 'inbound/automatic', message(['Auto-Submitted: auto-generated', ...REQUEST]));
    const attached = withAttachments(REQUEST, [PDF]);
    rawMail.put(BUCKET, 'inbound/with-pdf', message(attached.lines, attached.body));

    await expect(
      receiveEmail(storeDown, { bucket: BUCKET, key: 'inbound/automatic' }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(receiveEmail(s3Down, { bucket: BUCKET, key: 'inbound/with-pdf' })).rejects.toBeInstanceOf(
      ObjectStoreUnavailableError,
    );
    await expect(receiveEmail(sdkDown, { bucket: BUCKET, key: 'inbound/with-pdf' })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('throws for a raw object that does not exist', async () => {
    const { deps } = setup();

    await expect(receiveEmail(deps, { bucket: BUCKET, key: 'inbound/missing' })).rejects.toBeInstanceOf(
      RawMailNotFoundError,
    );
  });
});
