import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import * as z from '../../zod-mini';

import {
  copyOfMember,
  StaffGroupAddressesSchema,
  StaffGroupNameSchema,
  StaffMemberEntrySchema,
} from '../config/static-directory';
import type { StaffDirectory, StaffMember } from '../../domain/identity/staff-directory';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

/** The partitions of the staff table (`STAFF_TABLE`): what the functions read, and the record of changes. */
export const STAFF_PARTITIONS = { member: 'member', group: 'group', change: 'change' } as const;

/** How long a read of the directory is used before the table is read again: an edit shows within a minute. */
export const STAFF_DIRECTORY_MAX_AGE_MS = 60_000;

/** After a failed read, the previous one serves at least this long before the table is tried again. */
const STALE_RETRY_MS = 5_000;

/** Who changed an entry last, and when (ISO instant): on every member and group item. */
const ChangeStampSchema = {
  changedAt: z.iso.datetime({ offset: true }),
  changedBy: z.string().check(z.minLength(1), z.maxLength(256)),
};

/** A staff member's item: `sk` is their id, `member` what the directory says of them. */
export const StaffMemberItemSchema = z
  .object({
    pk: z.literal(STAFF_PARTITIONS.member),
    sk: z.string().check(z.minLength(1)),
    member: StaffMemberEntrySchema,
    ...ChangeStampSchema,
  })
  .check(
    z.refine((item) => item.sk === item.member.id, { message: 'the key is not the member id', path: ['sk'] }),
  );
export type StaffMemberItem = z.infer<typeof StaffMemberItemSchema>;

/** A staff group's item: `sk` is its name, `addresses` where its notifications go. */
export const StaffGroupItemSchema = z.object({
  pk: z.literal(STAFF_PARTITIONS.group),
  sk: StaffGroupNameSchema,
  addresses: StaffGroupAddressesSchema,
  ...ChangeStampSchema,
});
export type StaffGroupItem = z.infer<typeof StaffGroupItemSchema>;

/** An item of the directory that fails its schema: its partition and key, and the failing fields' paths. */
export interface InvalidStaffItem {
  readonly partition: string;
  readonly key: string;
  readonly paths: readonly string[];
}

/** Every item of one partition of the staff table, page after page. */
export async function queryStaffPartition(
  client: DynamoDBDocumentClient,
  table: string,
  partition: string,
  options: { readonly newestFirst?: boolean; readonly limit?: number } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    let output: QueryCommandOutput;
    try {
      output = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: options.newestFirst !== true,
          ...(options.limit !== undefined ? { Limit: options.limit - items.length } : {}),
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
    } catch (error) {
      throw toStoreError(error, { operation: 'Query', table: 'staff' });
    }
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start !== undefined && (options.limit === undefined || items.length < options.limit));
  return items;
}

/** An item that fails `schema`, described without its values (ids and paths only). */
export function invalidStaffItem(item: Record<string, unknown>, error: z.core.$ZodError): InvalidStaffItem {
  return {
    partition: String(item['pk']),
    key: String(item['sk']),
    paths: error.issues.map((issue) => issue.path.map(String).join('.')),
  };
}

/** The directory as read at one instant. */
interface Snapshot {
  readonly readAt: number;
  readonly members: ReadonlyMap<string, StaffMember>;
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** Groups already reported missing from this read, so each is logged once per read. */
  readonly reportedMissing: Set<string>;
}

export interface DynamoDbStaffDirectoryConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'staff'>;
  /** How long one read serves (milliseconds); `STAFF_DIRECTORY_MAX_AGE_MS` by default. */
  readonly maxAgeMs?: number;
  /**
   * Milliseconds of a monotonic clock, the cache's only notion of time: `performance.now` by default, real time
   * that neither a wall-clock step nor the local stack's virtual clock (which fakes `Date` and the timers, not
   * `performance`) moves, so a read serves for 60 real seconds as in a Lambda container.
   */
  readonly now?: () => number;
  /** An item that fails its schema: it is left out (the rest of the directory still serves). */
  readonly onInvalidItem?: (item: InvalidStaffItem) => void;
  /** A group the policy notifies has no item: its notifications reach only the people named otherwise. */
  readonly onMissingGroup?: (group: string) => void;
  /** The table could not be read again; the previous read keeps serving until the next attempt. */
  readonly onStaleRead?: (failure: { readonly errorName: string; readonly ageMs: number }) => void;
}

/**
 * `StaffDirectory` on the staff table (`docs/staff-directory.md`): the member and group partitions are read
 * whole (two Queries, about 300 members in one page) at most once per `maxAgeMs` per container, so an edit made
 * with `npx jalon staff` takes effect within that time, without a deploy. Reads happen only when a caller
 * asks, so a route that never needs the directory never fails because of it.
 *
 * Invalid items are left out and reported (`onInvalidItem`), never thrown: one bad entry must not stop
 * notifications to everyone else. When a later read fails, the previous one keeps serving (`onStaleRead`);
 * only a container that never read the directory throws the `StoreError`.
 */
export class DynamoDbStaffDirectory implements StaffDirectory {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly config: DynamoDbStaffDirectoryConfig;
  private snapshot: Snapshot | undefined;
  private reading: Promise<Snapshot> | undefined;
  private retryNotBefore = 0;

  constructor(config: DynamoDbStaffDirectoryConfig) {
    this.client = config.client;
    this.table = config.tables.staff;
    this.maxAgeMs = config.maxAgeMs ?? STAFF_DIRECTORY_MAX_AGE_MS;
    this.now = config.now ?? (() => performance.now());
    this.config = config;
  }

  async addressesOf(group: string): Promise<string[]> {
    const snapshot = await this.current();
    const addresses = snapshot.groups.get(group);
    if (addresses === undefined) {
      if (!snapshot.reportedMissing.has(group)) {
        snapshot.reportedMissing.add(group);
        this.config.onMissingGroup?.(group);
      }
      return [];
    }
    return [...addresses];
  }

  async member(id: string): Promise<StaffMember | undefined> {
    const member = (await this.current()).members.get(id);
    return member === undefined ? undefined : copyOfMember(member);
  }

  async members(): Promise<StaffMember[]> {
    return [...(await this.current()).members.values()].map(copyOfMember);
  }

  /** The current read: the cached one while younger than `maxAgeMs`, else a new one (one at a time). */
  private async current(): Promise<Snapshot> {
    const cached = this.snapshot;
    const now = this.now();
    if (cached !== undefined && (now - cached.readAt < this.maxAgeMs || now < this.retryNotBefore)) {
      return cached;
    }
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    try {
      this.snapshot = await this.reading;
    } catch (error) {
      if (cached === undefined) throw error;
      this.retryNotBefore = this.now() + STALE_RETRY_MS;
      this.config.onStaleRead?.({
        errorName: error instanceof Error ? error.name : 'unknown',
        ageMs: this.now() - cached.readAt,
      });
      return cached;
    }
    return this.snapshot;
  }

  private async read(): Promise<Snapshot> {
    const readAt = this.now();
    const [memberItems, groupItems] = await Promise.all([
      queryStaffPartition(this.client, this.table, STAFF_PARTITIONS.member),
      queryStaffPartition(this.client, this.table, STAFF_PARTITIONS.group),
    ]);
    const members = new Map<string, StaffMember>();
    for (const item of memberItems) {
      const parsed = StaffMemberItemSchema.safeParse(item);
      if (parsed.success) members.set(parsed.data.member.id, parsed.data.member);
      else this.config.onInvalidItem?.(invalidStaffItem(item, parsed.error));
    }
    const groups = new Map<string, readonly string[]>();
    for (const item of groupItems) {
      const parsed = StaffGroupItemSchema.safeParse(item);
      if (parsed.success) groups.set(parsed.data.sk, parsed.data.addresses);
      else this.config.onInvalidItem?.(invalidStaffItem(item, parsed.error));
    }
    return { readAt, members, groups, reportedMissing: new Set() };
  }
}

/** What the directory logs with: Powertools' `Logger` in Lambda, the local console locally. */
export interface StaffDirectoryLogger {
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * The staff table's directory with its problems logged (item keys and field paths, never names or
 * addresses): how every function and the local stack build it.
 */
export function loggedStaffDirectory(
  config: Omit<DynamoDbStaffDirectoryConfig, 'onInvalidItem' | 'onMissingGroup' | 'onStaleRead'> & {
    readonly logger: StaffDirectoryLogger;
  },
): DynamoDbStaffDirectory {
  const { logger, ...rest } = config;
  return new DynamoDbStaffDirectory({
    ...rest,
    onInvalidItem: (item) =>
      logger.error('staff directory item fails its schema and is ignored; fix it with npx jalon staff put', {
        ...item,
      }),
    onMissingGroup: (group) =>
      logger.error(
        'staff group has no addresses in the staff directory; add them with npx jalon staff group put',
        {
          group,
        },
      ),
    onStaleRead: (failure) =>
      logger.warn('staff directory could not be read again; the previous read still serves', { ...failure }),
  });
}
