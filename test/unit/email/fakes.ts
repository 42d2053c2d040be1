import {
  HoldingItemNotFoundError,
  HoldingItemResolvedError,
  RawMailNotFoundError,
} from '../../../shared/errors';
import { HoldingAccessRecordSchema } from '../../../shared/domain/intake/email/holding-pen';
import type {
  HoldingAccessRecord,
  HoldingItem,
  HoldingPage,
  HoldingQuery,
  HoldingPen,
  HoldingResolution,
  HoldingStatus,
} from '../../../shared/domain/intake/email/holding-pen';
import type {
  AttachmentStore,
  AttachmentUpload,
  RawMail,
  RawMailLocation,
  RawMailReader,
} from '../../../shared/domain/intake/email/ports';
import { formatReplyAddress, newReplyToken } from '../../../shared/domain/intake/email/reply-addresses';
import type {
  ReplyAddress,
  ReplyAddressBook,
  ReplyAddressFormat,
  ReplyTarget,
} from '../../../shared/domain/intake/email/reply-addresses';
import type { Notifier, OutgoingMessage } from '../../../shared/domain/messaging/ports';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { renderMessage } from '../../../shared/templates/render';
import type { RenderedMessage } from '../../../shared/templates/catalog';

/** Raw mail in memory: `put` stores a message as SES would, `read` never changes it. */
export class InMemoryRawMail implements RawMailReader {
  readonly objects = new Map<string, { bytes: Buffer; storedAt: Date }>();
  reads = 0;

  put(
    bucket: string,
    key: string,
    bytes: Buffer | string,
    storedAt = new Date('2026-03-03T14:12:05.000Z'),
  ): void {
    this.objects.set(`${bucket}/${key}`, { bytes: Buffer.from(bytes), storedAt });
  }

  async read(location: RawMailLocation, options: { maxBytes?: number } = {}): Promise<RawMail> {
    this.reads += 1;
    const object = this.objects.get(`${location.bucket}/${location.key}`);
    if (object === undefined) throw new RawMailNotFoundError(location);
    if (options.maxBytes !== undefined && object.bytes.length > options.maxBytes) {
      return { bytes: Buffer.alloc(0), size: object.bytes.length, storedAt: object.storedAt };
    }
    return { bytes: Buffer.from(object.bytes), size: object.bytes.length, storedAt: object.storedAt };
  }
}

export class InMemoryAttachmentStore implements AttachmentStore {
  readonly objects = new Map<string, AttachmentUpload>();
  puts = 0;

  async put(upload: AttachmentUpload): Promise<{ stored: boolean }> {
    this.puts += 1;
    const existing = this.objects.get(upload.key);
    if (existing !== undefined && existing.content.length === upload.content.length) return { stored: false };
    this.objects.set(upload.key, upload);
    return { stored: true };
  }
}

export class InMemoryHoldingPen implements HoldingPen {
  readonly items = new Map<string, HoldingItem>();
  readonly journal: HoldingAccessRecord[] = [];

  async recordAccess(record: HoldingAccessRecord): Promise<void> {
    this.journal.push(structuredClone(HoldingAccessRecordSchema.parse(record)));
  }

  async accessRecords(itemId: string): Promise<HoldingAccessRecord[]> {
    return structuredClone(this.journal.filter((record) => record.itemIds.includes(itemId)));
  }

  async hold(item: HoldingItem): Promise<{ item: HoldingItem; created: boolean }> {
    const existing = this.items.get(item.itemId);
    if (existing !== undefined) return { item: existing, created: false };
    this.items.set(item.itemId, structuredClone(item));
    return { item, created: true };
  }

  async get(itemId: string): Promise<HoldingItem | undefined> {
    return this.items.get(itemId);
  }

  async listByStatus(status: HoldingStatus): Promise<HoldingPage> {
    return this.list({ status, limit: 100 });
  }

  async list(query: HoldingQuery): Promise<HoldingPage> {
    const all = [...this.items.values()]
      .filter(
        (item) => item.status === query.status && (query.kind === undefined || item.kind === query.kind),
      )
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.itemId.localeCompare(b.itemId));
    if (query.order === 'newest') all.reverse();
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const limit = query.limit ?? 50;
    const items = all.slice(start, start + limit);
    return { items, ...(start + limit < all.length ? { cursor: String(start + limit) } : {}) };
  }

  async resolve(itemId: string, resolution: HoldingResolution): Promise<HoldingItem> {
    const item = this.items.get(itemId);
    if (item === undefined) throw new HoldingItemNotFoundError(itemId);
    if (item.status === 'resolved') throw new HoldingItemResolvedError(itemId);
    const resolved: HoldingItem = {
      ...item,
      status: 'resolved',
      resolvedAt: resolution.at,
      resolvedBy: resolution.by,
      resolution: resolution.resolution,
      ...(resolution.role !== undefined ? { resolvedRole: resolution.role } : {}),
      ...(resolution.caseId !== undefined ? { resolvedCaseId: resolution.caseId } : {}),
      ...(resolution.dismissReason !== undefined ? { dismissReason: resolution.dismissReason } : {}),
      ...(resolution.dismissNote !== undefined ? { dismissNote: resolution.dismissNote } : {}),
    };
    this.items.set(itemId, resolved);
    return resolved;
  }
}

export class InMemoryReplyAddressBook implements ReplyAddressBook {
  readonly byCase = new Map<string, { token: string; requesterEmail: string }>();
  readonly byToken = new Map<string, ReplyTarget>();

  constructor(
    private readonly format: ReplyAddressFormat,
    private readonly newToken: () => string = () => newReplyToken(),
  ) {}

  async addressFor(caseId: string, requesterEmail: string): Promise<ReplyAddress> {
    let record = this.byCase.get(caseId);
    if (record === undefined) {
      record = { token: this.newToken(), requesterEmail: requesterEmail.toLowerCase() };
      this.byCase.set(caseId, record);
      this.byToken.set(record.token, { caseId, requesterEmail: record.requesterEmail });
    }
    return { caseId, token: record.token, address: formatReplyAddress(record.token, this.format) };
  }

  async find(caseId: string): Promise<ReplyAddress | undefined> {
    const record = this.byCase.get(caseId);
    return record === undefined
      ? undefined
      : { caseId, token: record.token, address: formatReplyAddress(record.token, this.format) };
  }

  async resolve(token: string): Promise<ReplyTarget | undefined> {
    return this.byToken.get(token.toLowerCase());
  }
}

/** Renders every message (so a template/value mismatch fails the test) and keeps it; can be told to fail. */
export class RecordingNotifier implements Notifier {
  readonly sent: { message: OutgoingMessage; rendered: RenderedMessage; messageId: string }[] = [];
  failWith: Error | undefined;

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.failWith !== undefined) throw this.failWith;
    const rendered = renderMessage(message);
    const messageId = `recorded-${this.sent.length + 1}`;
    this.sent.push({ message, rendered, messageId });
    return { messageId };
  }
}

export class RecordingWorkflow implements Workflow {
  readonly started: WorkflowStart[] = [];

  async start(input: WorkflowStart): Promise<void> {
    this.started.push(input);
  }
}
