import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbHoldingPen, DynamoDbReplyAddressBook } from '../../../shared/adapters/dynamodb';
import { S3AttachmentWriter, S3RawMailReader } from '../../../shared/adapters/s3';
import {
  HoldingItemNotFoundError,
  HoldingItemResolvedError,
  RawMailNotFoundError,
} from '../../../shared/errors';
import { holdingItemId } from '../../../shared/domain/intake/email/holding-pen';
import type { HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
import { countingClient, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';

jest.setTimeout(60_000);

let dynamo: LocalDynamo;
let s3: LocalS3;

beforeAll(async () => {
  [dynamo, s3] = await Promise.all([startDynalite('adapters'), startS3rver('adapters')]);
});

afterAll(async () => {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
});

function item(rawKey: string, overrides: Partial<HoldingItem> = {}): HoldingItem {
  return {
    itemId: holdingItemId(rawKey),
    kind: 'auto-reply',
    status: 'recorded',
    legalHold: false,
    rawKey,
    receivedAt: '2026-03-03T14:12:00.000Z',
    recordedAt: '2026-03-03T14:12:07.000Z',
    detail: 'auto-submitted',
    ...overrides,
  };
}

describe('DynamoDbHoldingPen on dynalite', () => {
  it('holds a raw message once; a redelivery gets the first item back unchanged', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    const first = item('inbound/once', { kind: 'processing-error', status: 'open', errorName: 'TypeError' });

    expect(await pen.hold(first)).toEqual({ item: first, created: true });
    expect(await pen.hold(item('inbound/once'))).toEqual({ item: first, created: false });
    expect(await pen.get(first.itemId)).toEqual(first);
  });

  it('lists items by status, oldest receipt first, page by page', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    const times = ['2026-03-05T10:00:00.000Z', '2026-03-04T10:00:00.000Z', '2026-03-06T10:00:00.000Z'];
    for (const [index, receivedAt] of times.entries()) {
      await pen.hold(
        item(`inbound/spam-${index}`, { kind: 'spam', status: 'open', legalHold: true, receivedAt }),
      );
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await pen.listByStatus('open', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.filter((entry) => entry.kind === 'spam').map((entry) => entry.receivedAt));
      cursor = page.cursor;
    } while (cursor !== undefined);

    expect(seen).toEqual([...times].sort());
    expect((await pen.listByStatus('recorded')).items.every((entry) => entry.status === 'recorded')).toBe(
      true,
    );
  });

  it('resolves an item once and keeps its legal hold; it then lists as resolved', async () => {
    const pen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
    const held = item('inbound/virus', { kind: 'virus', status: 'open', legalHold: true });
    await pen.hold(held);
    const resolution = { at: '2026-03-04T15:00:00.000Z', by: 'agent-roy', resolution: 'dismissed' };

    const resolved = await pen.resolve(held.itemId, resolution);

    expect(resolved).toMatchObject({
      status: 'resolved',
      legalHold: true,
      resolvedBy: 'agent-roy',
      kind: 'virus',
    });
    await expect(pen.resolve(held.itemId, resolution)).rejects.toBeInstanceOf(HoldingItemResolvedError);
    await expect(pen.resolve(holdingItemId('inbound/none'), resolution)).rejects.toBeInstanceOf(
      HoldingItemNotFoundError,
    );
    expect((await pen.listByStatus('resolved')).items.map((entry) => entry.itemId)).toContain(held.itemId);
  });
});

describe('DynamoDbReplyAddressBook on dynalite', () => {
  const CASE_ID = 'sct-00112233445566778899aabbccddeeff';
  const book = () =>
    new DynamoDbReplyAddressBook({
      client: dynamo.client,
      tables: dynamo.tables,
      format: { mailbox: 'demandes', domain: 'intake.sct.example' },
    });

  it('gives a case one address, even to 20 concurrent callers, and resolves its token', async () => {
    const addresses = await Promise.all(
      Array.from({ length: 20 }, () => book().addressFor(CASE_ID, 'Marie@Example.com')),
    );

    expect(new Set(addresses.map((address) => address.token)).size).toBe(1);
    const [address] = addresses;
    expect(address?.address).toMatch(/^demandes\+[a-z2-7]{26}@intake\.sct\.example$/);
    expect(await book().resolve(address!.token)).toEqual({
      caseId: CASE_ID,
      requesterEmail: 'marie@example.com',
    });
    expect(await book().find(CASE_ID)).toEqual(address);
    expect(await book().addressFor(CASE_ID, 'someone.else@example.com')).toEqual(address);
  });

  it('writes a new case’s address in two requests, three when another instance gave it first', async () => {
    const calls: string[] = [];
    const counted = () =>
      new DynamoDbReplyAddressBook({
        client: countingClient(dynamo.client, calls, (command) => command.constructor.name),
        tables: dynamo.tables,
        format: { mailbox: 'demandes', domain: 'intake.sct.example' },
      });
    const caseId = 'sct-0123456789abcdef0123456789abcdef';

    const first = await counted().addressFor(caseId, 'marie@example.com');
    const forNewCase = calls.splice(0);
    const again = await counted().addressFor(caseId, 'marie@example.com');

    expect(forNewCase).toEqual(['PutCommand', 'PutCommand']);
    expect(calls).toEqual(['PutCommand', 'GetCommand', 'PutCommand']);
    expect(again).toEqual(first);
    expect(await book().resolve(first.token)).toEqual({ caseId, requesterEmail: 'marie@example.com' });
  });

  it('binds the token again when a crash came between the two writes', async () => {
    const caseId = 'sct-fedcba9876543210fedcba9876543210';
    const address = await book().addressFor(caseId, 'marie@example.com');
    await dynamo.client.send(
      new DeleteCommand({ TableName: dynamo.tables.control, Key: { pk: `reply#${address.token}` } }),
    );
    expect(await book().resolve(address.token)).toBeUndefined();

    expect(await book().addressFor(caseId, 'marie@example.com')).toEqual(address);
    expect(await book().resolve(address.token)).toEqual({ caseId, requesterEmail: 'marie@example.com' });
  });

  it('resolves nothing for a token nobody was given, and finds nothing for a case without an address', async () => {
    expect(await book().resolve('aaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(await book().find('sct-ffffffffffffffffffffffffffffffff')).toBeUndefined();
  });
});

describe('S3 adapters on s3rver', () => {
  it('reads raw mail as stored, with its stored time, and names a missing object', async () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nCorps\r\n');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.buckets.rawMail, Key: 'inbound/one', Body: raw }));
    const reader = new S3RawMailReader({ client: s3.client });

    const read = await reader.read({ bucket: s3.buckets.rawMail, key: 'inbound/one' });

    expect(read.bytes.equals(raw)).toBe(true);
    expect(read.size).toBe(raw.length);
    expect(Math.abs((read.storedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(
      await reader.read({ bucket: s3.buckets.rawMail, key: 'inbound/one' }, { maxBytes: 10 }),
    ).toMatchObject({
      bytes: Buffer.alloc(0),
      size: raw.length,
    });
    await expect(reader.read({ bucket: s3.buckets.rawMail, key: 'inbound/none' })).rejects.toBeInstanceOf(
      RawMailNotFoundError,
    );
  });

  it('stores an attachment with its type and download name, once', async () => {
    const writer = new S3AttachmentWriter({ client: s3.client, bucket: s3.buckets.attachments });
    const upload = {
      key: 'sct-0011/aabb/01-Releve.pdf',
      filename: 'Relevé.pdf',
      contentType: 'application/pdf',
      content: Buffer.from('%PDF-1.4 relevé'),
    };

    expect(await writer.put(upload)).toEqual({ stored: true });
    expect(await writer.put(upload)).toEqual({ stored: false });

    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: s3.buckets.attachments, Key: upload.key }),
    );
    expect(head).toMatchObject({ ContentType: 'application/pdf', ContentLength: upload.content.length });
    expect(head.ContentDisposition).toContain("filename*=UTF-8''Relev%C3%A9.pdf");
    const object = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.buckets.attachments, Key: upload.key }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(upload.content)).toBe(true);
  });
});
