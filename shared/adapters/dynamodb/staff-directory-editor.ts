import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import * as z from '../../zod-mini';

import { DomainError, type RequestIssue } from '../../errors';
import { toRequestIssues } from '../../schemas/staff-api';
import {
  StaffGroupAddressesSchema,
  StaffGroupNameSchema,
  StaffMemberEntrySchema,
  type StaffMemberEntry,
} from '../config/static-directory';
import {
  invalidStaffItem,
  queryStaffPartition,
  STAFF_PARTITIONS,
  StaffGroupItemSchema,
  StaffMemberItemSchema,
  type InvalidStaffItem,
  type StaffGroupItem,
  type StaffMemberItem,
} from './staff-directory';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

/** An entry given to the editor failed its schema: each field's problem in French and English. */
export class InvalidStaffEntryError extends DomainError {
  static override readonly status = 400;
  override readonly name = 'InvalidStaffEntryError';
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[]) {
    super(
      'INVALID_STAFF_ENTRY',
      'The staff directory entry has invalid fields.',
      { paths: issues.map((issue) => issue.path) },
      {
        fr: 'L’entrée de l’annuaire du personnel contient des champs invalides.',
        en: 'The staff directory entry has invalid fields.',
      },
    );
    this.issues = issues;
  }
}

/** `remove` named a member or group the directory does not have. */
export class StaffEntryNotFoundError extends DomainError {
  static override readonly status = 404;
  override readonly name = 'StaffEntryNotFoundError';

  constructor(kind: StaffEntryKind, key: string) {
    super(
      'STAFF_ENTRY_NOT_FOUND',
      `The staff directory has no ${kind} ${key}.`,
      { kind, key },
      kind === 'member'
        ? { fr: `L’annuaire n’a aucun membre ${key}.`, en: `The directory has no member ${key}.` }
        : { fr: `L’annuaire n’a aucun groupe ${key}.`, en: `The directory has no group ${key}.` },
    );
  }
}

/** Someone else changed the entry between this edit's read and its write: nothing was written; run it again. */
export class StaffDirectoryConflictError extends DomainError {
  static override readonly status = 409;
  override readonly name = 'StaffDirectoryConflictError';

  constructor(kind: StaffEntryKind, key: string) {
    super(
      'STAFF_DIRECTORY_CONFLICT',
      `The ${kind} ${key} was changed at the same time; run the command again.`,
      { kind, key },
      {
        fr: `L’entrée ${key} a été modifiée en même temps; relancez la commande.`,
        en: `The entry ${key} was changed at the same time; run the command again.`,
      },
    );
  }
}

export type StaffEntryKind = 'member' | 'group';

/** One change of the directory as recorded before it was made (`pk` `change`). */
export const StaffDirectoryChangeSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  by: z.string().check(z.minLength(1), z.maxLength(256)),
  action: z.enum(['put', 'remove']),
  kind: z.enum(['member', 'group']),
  key: z.string().check(z.minLength(1)),
  /** The entry before the change (absent when it was created). */
  before: z.optional(z.unknown()),
  /** The entry after the change (absent when it was removed). */
  after: z.optional(z.unknown()),
});
export type StaffDirectoryChange = z.infer<typeof StaffDirectoryChangeSchema>;

/** What a `put` did: a new entry, a changed one, or nothing because the entry already said exactly that. */
export type StaffPutOutcome = 'created' | 'updated' | 'unchanged';

/** The whole directory as the editor reads it, invalid items named apart. */
export interface StaffDirectoryListing {
  readonly members: readonly StaffMemberItem[];
  readonly groups: readonly StaffGroupItem[];
  readonly invalid: readonly InvalidStaffItem[];
}

export interface DynamoDbStaffDirectoryEditorConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'staff'>;
  /** The instant recorded on each change. */
  readonly clock: { now(): Date };
}

/** The input of `putGroup`, validated like a member so a refusal names its field. */
const GroupEntrySchema = z.strictObject({ name: StaffGroupNameSchema, addresses: StaffGroupAddressesSchema });

const ChangedBySchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));

/**
 * Edits the staff table (`docs/staff-directory.md`), for operators (`npx jalon staff`), never for the
 * functions, whose roles may only read it. Each edit:
 * 1. validates the entry (field by field, `InvalidStaffEntryError`);
 * 2. reads the entry as it is, and does nothing if it already says the same;
 * 3. records the change (`{at, by, action, kind, key, before, after}`, a new item, never overwritten);
 * 4. writes the entry with `changedAt` and `changedBy`, on condition that it is still as read in 2, so two
 *    operators editing at once cannot silently undo each other (`StaffDirectoryConflictError`).
 * dynalite has no transactions, so 3 and 4 are two writes: a change record whose entry does not carry its
 * `changedAt` is an edit that failed at 4 (the command said so).
 */
export class DynamoDbStaffDirectoryEditor {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: { now(): Date };

  constructor(config: DynamoDbStaffDirectoryEditorConfig) {
    this.client = config.client;
    this.table = config.tables.staff;
    this.clock = config.clock;
  }

  /** Every member and group, sorted by key; items that fail their schema are listed apart. */
  async list(): Promise<StaffDirectoryListing> {
    const [memberItems, groupItems] = await Promise.all([
      queryStaffPartition(this.client, this.table, STAFF_PARTITIONS.member),
      queryStaffPartition(this.client, this.table, STAFF_PARTITIONS.group),
    ]);
    const invalid: InvalidStaffItem[] = [];
    const members: StaffMemberItem[] = [];
    for (const item of memberItems) {
      const parsed = StaffMemberItemSchema.safeParse(item);
      if (parsed.success) members.push(parsed.data);
      else invalid.push(invalidStaffItem(item, parsed.error));
    }
    const groups: StaffGroupItem[] = [];
    for (const item of groupItems) {
      const parsed = StaffGroupItemSchema.safeParse(item);
      if (parsed.success) groups.push(parsed.data);
      else invalid.push(invalidStaffItem(item, parsed.error));
    }
    return { members, groups, invalid };
  }

  /**
   * Adds or replaces a staff member (`{id, roles, units, email?, name?}`).
   *
   * @throws InvalidStaffEntryError, StaffDirectoryConflictError, StoreError
   */
  async putMember(entry: unknown, changedBy: string): Promise<StaffPutOutcome> {
    const member = parseEntry(StaffMemberEntrySchema, entry);
    return this.put('member', member.id, { member }, member, changedBy);
  }

  /**
   * Adds or replaces the notification addresses of a staff group.
   *
   * @throws InvalidStaffEntryError, StaffDirectoryConflictError, StoreError
   */
  async putGroup(name: string, addresses: unknown, changedBy: string): Promise<StaffPutOutcome> {
    const group = parseEntry(GroupEntrySchema, { name, addresses });
    return this.put('group', group.name, { addresses: group.addresses }, group.addresses, changedBy);
  }

  /**
   * Removes a staff member: cases keep their id; the console shows the id instead of the name.
   *
   * @throws StaffEntryNotFoundError, StaffDirectoryConflictError, StoreError
   */
  async removeMember(id: string, changedBy: string): Promise<void> {
    await this.remove('member', id, changedBy);
  }

  /**
   * Removes a staff group: its notifications then reach nobody, which the functions log as an error.
   *
   * @throws StaffEntryNotFoundError, StaffDirectoryConflictError, StoreError
   */
  async removeGroup(name: string, changedBy: string): Promise<void> {
    await this.remove('group', name, changedBy);
  }

  /** The recorded changes, newest first (at most `limit`). */
  async changes(limit = 100): Promise<StaffDirectoryChange[]> {
    const items = await queryStaffPartition(this.client, this.table, STAFF_PARTITIONS.change, {
      newestFirst: true,
      limit,
    });
    return items.map((item) => StaffDirectoryChangeSchema.parse(item['change']));
  }

  private async put(
    kind: StaffEntryKind,
    key: string,
    attributes: Record<string, unknown>,
    after: StaffMemberEntry | readonly string[],
    changedBy: string,
  ): Promise<StaffPutOutcome> {
    const by = parseEntry(ChangedBySchema, changedBy);
    const before = await this.current(kind, key);
    const previous = before === undefined ? undefined : entryOf(kind, before);
    if (previous !== undefined && isDeepStrictEqual(previous, after)) return 'unchanged';
    const at = this.clock.now().toISOString();
    await this.record({
      at,
      by,
      action: 'put',
      kind,
      key,
      ...(previous !== undefined ? { before: previous } : {}),
      after,
    });
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: kind, sk: key, ...attributes, changedAt: at, changedBy: by },
          ...unchangedSince(before),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new StaffDirectoryConflictError(kind, key);
      throw toStoreError(error, { operation: 'PutItem', table: 'staff' });
    }
    return before === undefined ? 'created' : 'updated';
  }

  private async remove(kind: StaffEntryKind, key: string, changedBy: string): Promise<void> {
    const by = parseEntry(ChangedBySchema, changedBy);
    const before = await this.current(kind, key);
    if (before === undefined) throw new StaffEntryNotFoundError(kind, key);
    const at = this.clock.now().toISOString();
    await this.record({ at, by, action: 'remove', kind, key, before: entryOf(kind, before) });
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.table, Key: { pk: kind, sk: key }, ...unchangedSince(before) }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new StaffDirectoryConflictError(kind, key);
      throw toStoreError(error, { operation: 'DeleteItem', table: 'staff' });
    }
  }

  /** The item as stored now (consistent read), whatever its shape: an invalid item may be replaced. */
  private async current(kind: StaffEntryKind, key: string): Promise<Record<string, unknown> | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: kind, sk: key }, ConsistentRead: true }),
      );
      return output.Item;
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'staff' });
    }
  }

  private async record(change: StaffDirectoryChange): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: STAFF_PARTITIONS.change,
            sk: `${change.at}#${change.kind}#${change.key}`,
            change,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The same entry changed twice in one millisecond: the second one waits for a new instant.
      if (isConditionalCheckFailed(error)) throw new StaffDirectoryConflictError(change.kind, change.key);
      throw toStoreError(error, { operation: 'PutItem', table: 'staff' });
    }
  }
}

/** What an item says, as the change record keeps it: the member entry, or the group's addresses. */
function entryOf(kind: StaffEntryKind, item: Record<string, unknown>): unknown {
  return kind === 'member' ? item['member'] : item['addresses'];
}

/** The write's condition: the item is still as read (same `changedAt`), or still absent. */
function unchangedSince(before: Record<string, unknown> | undefined): {
  ConditionExpression: string;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  if (before === undefined) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (before['changedAt'] === undefined) return { ConditionExpression: 'attribute_not_exists(changedAt)' };
  return {
    ConditionExpression: 'changedAt = :changedAt',
    ExpressionAttributeValues: { ':changedAt': before['changedAt'] },
  };
}

function parseEntry<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new InvalidStaffEntryError(result.error.issues.flatMap((issue) => toRequestIssues(issue)));
}
