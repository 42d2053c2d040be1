import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB tables of Jalon, declared once. CDK (`infra/aws/`) and the local bootstrap
 * (`infra/local/`) both build their tables from these definitions, so the keys and indexes the
 * adapters rely on cannot drift between AWS and the emulator.
 */

export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Logical id, used for construct ids and for the default physical name `jalon-<stage>-<id>`. */
  readonly id: 'cases' | 'ledger' | 'control' | 'holding' | 'reports' | 'staff';
  readonly description: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /**
   * Attribute (epoch seconds) after which AWS may delete an item (DynamoDB TTL): housekeeping only, nothing
   * relies on it (dynalite has no TTL).
   */
  readonly timeToLiveAttribute?: string;
  /**
   * A DynamoDB stream of the table's keys (AWS only; dynalite has none): the ledger's feeds the report
   * aggregates (`docs/service-statement-report.md`).
   */
  readonly stream?: 'KEYS_ONLY';
}

/** Attribute and index names the case projection uses for its access paths. */
export const CASE_INDEXES = {
  /** Sparse: only open cases carry `openMarker`; sorted by the next deadline instant. */
  openByDue: 'OpenByDue',
  byAssignee: 'ByAssignee',
  byRequesterEmail: 'ByRequesterEmail',
  byReference: 'ByReference',
  /**
   * Every case under `listPartition` (its status and unit: `CLOSED#unit#statistics`, `OPEN#confidential`…), by
   * receipt instant (`docs/case-search.md`).
   */
  listByReceived: 'ListByReceived',
  /** The same partitions by `listDueAt` (next deadline while open, the answer deadline once closed). */
  listByDeadline: 'ListByDeadline',
  /** The same partitions by reference. */
  listByReference: 'ListByReference',
  /**
   * Search-term items (`term#…`): the cases a word prefix finds, by the term's first two letters; and, under
   * the bucket `list-partitions`, one item per list partition that ever held a case.
   */
  byTerm: 'ByTerm',
} as const;

export const CASES_TABLE: TableDefinition = {
  id: 'cases',
  description:
    'Case projections (rebuilt from the ledger when they lag) and the search terms of each case (docs/case-search.md).',
  partitionKey: { name: 'caseId', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: CASE_INDEXES.openByDue,
      partitionKey: { name: 'openMarker', type: 'S' },
      sortKey: { name: 'nextDueAt', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.byAssignee,
      partitionKey: { name: 'assignee', type: 'S' },
      sortKey: { name: 'nextDueAt', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.byRequesterEmail,
      partitionKey: { name: 'requesterEmail', type: 'S' },
      sortKey: { name: 'receivedAt', type: 'S' },
    },
    {
      // A case by the reference a citizen quotes (`SCT-2026-000123`): one item per reference.
      indexName: CASE_INDEXES.byReference,
      partitionKey: { name: 'reference', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.listByReceived,
      partitionKey: { name: 'listPartition', type: 'S' },
      sortKey: { name: 'receivedAt', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.listByDeadline,
      partitionKey: { name: 'listPartition', type: 'S' },
      sortKey: { name: 'listDueAt', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.listByReference,
      partitionKey: { name: 'listPartition', type: 'S' },
      sortKey: { name: 'reference', type: 'S' },
    },
    {
      indexName: CASE_INDEXES.byTerm,
      partitionKey: { name: 'searchBucket', type: 'S' },
      sortKey: { name: 'searchTerm', type: 'S' },
    },
  ],
};

export const LEDGER_TABLE: TableDefinition = {
  id: 'ledger',
  description: 'Append-only, hash-chained events per case: the source of truth.',
  partitionKey: { name: 'caseId', type: 'S' },
  sortKey: { name: 'seq', type: 'N' },
  globalSecondaryIndexes: [],
  stream: 'KEYS_ONLY',
};

export const CONTROL_TABLE: TableDefinition = {
  id: 'control',
  description:
    'Reference counters per organization and year, idempotency records, and rate counters (automatic receipts, mail floods).',
  partitionKey: { name: 'pk', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
};

/** Index names of the holding table. */
export const HOLDING_INDEXES = {
  /** Items by triage status (`open`, `recorded`, `resolved`), oldest receipt first. */
  byStatus: 'ByStatus',
} as const;

/**
 * Inbound mail that did not become a case or a reply on one (auto-replies, bounces, quarantined spam and
 * viruses, unknown senders, processing errors): kept for staff triage, never deleted by the system. Items
 * hold the sender's domain only, never the full address.
 */
export const HOLDING_TABLE: TableDefinition = {
  id: 'holding',
  description:
    'Holding pen of inbound mail awaiting triage (auto-replies, bounces, quarantine, unsure senders).',
  partitionKey: { name: 'itemId', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: HOLDING_INDEXES.byStatus,
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'receivedAt', type: 'S' },
    },
  ],
};

/** Index names of the reports table. */
export const REPORT_INDEXES = {
  /** Each case's aggregate under the Québec date of its receipt: a period's cases, one Query per day. */
  byReceivedDay: 'ByReceivedDay',
  /**
   * Each case's aggregate under `OPEN`, or the month it settled (`SETTLED#YYYY-MM`), by receipt day: the cases
   * received before a period and still open at its cut-off.
   */
  bySettledMonth: 'BySettledMonth',
} as const;

/**
 * The service-statement report's aggregates, kept from the ledger's stream: one item per case (its report
 * state after each instant it changed, `docs/service-statement-report.md`), and the latest replay check.
 */
export const REPORTS_TABLE: TableDefinition = {
  id: 'reports',
  description:
    'Service-statement report aggregates kept from the ledger stream (one item per case) and the latest replay check.',
  partitionKey: { name: 'caseId', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: REPORT_INDEXES.byReceivedDay,
      partitionKey: { name: 'receivedDay', type: 'S' },
      sortKey: { name: 'caseId', type: 'S' },
    },
    {
      indexName: REPORT_INDEXES.bySettledMonth,
      partitionKey: { name: 'settledPartition', type: 'S' },
      sortKey: { name: 'receivedDay', type: 'S' },
    },
  ],
};

/**
 * The staff directory (`docs/staff-directory.md`): one item per staff member (`pk` `member`, `sk` their id) and
 * per notified group (`pk` `group`, `sk` its name), each with who changed it last and when, and one item per
 * change (`pk` `change`, `sk` its instant), written before the change. Functions read the first two partitions
 * only; operators edit it with `npx jalon staff`.
 */
export const STAFF_TABLE: TableDefinition = {
  id: 'staff',
  description:
    'Staff directory: members (roles, units, address, name), group notification addresses, and the record of each change.',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
};

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [
  CASES_TABLE,
  LEDGER_TABLE,
  CONTROL_TABLE,
  HOLDING_TABLE,
  REPORTS_TABLE,
  STAFF_TABLE,
];

/** Physical table names, keyed by logical id, as the adapters receive them (each Lambda reads them from env). */
export type TableNames = { readonly [Id in TableDefinition['id']]: string };

/** Physical table name for a stage, e.g. `jalon-dev-cases`. */
export function tableName(stage: string, table: TableDefinition): string {
  return `jalon-${stage}-${table.id}`;
}

/** The CreateTable request for a definition (used by the local bootstrap and tests against dynalite). */
export function toCreateTableInput(table: TableDefinition, name: string): CreateTableCommandInput {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributeDefinitions = new Map<string, KeyType>();
  for (const key of keys) if (key) attributeDefinitions.set(key.name, key.type);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributeDefinitions].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(table.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
