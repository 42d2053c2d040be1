import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import { sortValueOf } from '../../domain/case/commands/case-search';
import { listPartitionKeyOf } from '../../domain/case/commands/list-partitions';
import { CaseProjectionSchema, hasLetterToMail, isOpen } from '../../domain/ledger/projection';
import type { CaseProjection } from '../../domain/ledger/projection';

/**
 * `openMarker` value of the cases on the work list: open cases, and closed ones with a letter still to post
 * (the to-mail list must reach them until the posting is recorded). Other closed cases have no `openMarker`,
 * so they drop out of `OpenByDue`.
 */
export const OPEN_MARKER = 'OPEN';

/**
 * `nextDueAt` index value of a case without an unmet deadline. It keeps the case in `OpenByDue` and
 * `ByAssignee` (an item without the sort key is not indexed), sorted after every real deadline.
 */
export const NO_DUE_SORT_KEY = '9999-12-31T23:59:59.999Z';

/**
 * The item stored in the `cases` table: the projection, its fold head at top level (for the forward-only
 * condition), the index attributes of `CASES_TABLE`, and `projectionHash`, a SHA-256 over all of them that
 * lets a reader notice an item altered outside the adapter.
 */
export interface ProjectionItem {
  caseId: string;
  lastSeq: number;
  lastHash: string;
  projection: CaseProjection;
  receivedAt: string;
  nextDueAt: string;
  openMarker?: typeof OPEN_MARKER;
  assignee?: string;
  requesterEmail?: string;
  reference?: string;
  /** The partition of the `ListBy…` indexes: status and unit (`listPartitionKeyOf`, `docs/case-search.md`). */
  listPartition: string;
  /** The `deadline` sort value (`sortValueOf`): next deadline while open, the answer deadline once closed. */
  listDueAt: string;
  projectionHash: string;
}

/** Attributes this adapter owns; other attributes on the item are ignored. */
export const PROJECTION_ATTRIBUTES = [
  'caseId',
  'lastSeq',
  'lastHash',
  'projection',
  'receivedAt',
  'nextDueAt',
  'openMarker',
  'assignee',
  'requesterEmail',
  'reference',
  'listPartition',
  'listDueAt',
  'projectionHash',
] as const satisfies readonly (keyof ProjectionItem)[];

export function toProjectionItem(projection: CaseProjection): ProjectionItem {
  // A JSON round trip drops `undefined` members, which DynamoDB cannot store.
  const plain = JSON.parse(JSON.stringify(projection)) as CaseProjection;
  const unsealed: Omit<ProjectionItem, 'projectionHash'> = {
    caseId: plain.caseId,
    lastSeq: plain.lastSeq,
    lastHash: plain.lastHash,
    projection: plain,
    // Index sort keys are compared as text, so they are normalized to UTC.
    receivedAt: new Date(plain.receivedAt).toISOString(),
    nextDueAt: plain.nextDueAt ?? NO_DUE_SORT_KEY,
    ...(isOpen(plain) || hasLetterToMail(plain) ? { openMarker: OPEN_MARKER } : {}),
    ...(plain.assignee !== undefined ? { assignee: plain.assignee } : {}),
    ...(plain.requester.email !== undefined ? { requesterEmail: plain.requester.email.toLowerCase() } : {}),
    ...(plain.reference !== undefined ? { reference: plain.reference } : {}),
    listPartition: listPartitionKeyOf(plain),
    listDueAt: sortValueOf(plain, 'deadline'),
  };
  return { ...unsealed, projectionHash: hashOf(unsealed) };
}

/**
 * Whether the read model of `a` and that of `b` (two projections of one case) would be the same item but for
 * the fold's bookkeeping: where the fold stopped (`lastSeq`, `lastHash`, at the top level and in the projection),
 * when that event happened (`lastEventAt`) and the item's `projectionHash` over them. Lists, search, the case
 * page and the workflow read nothing else of the item, so a read model left at `a` shows the case at `b`
 * (`docs/write-path.md`, "Mail reports and the directory").
 */
export function showsSameCase(a: CaseProjection, b: CaseProjection): boolean {
  return canonicalize(shownPart(a)) === canonicalize(shownPart(b));
}

function shownPart(projection: CaseProjection): Record<string, unknown> {
  const item: Partial<ProjectionItem> = toProjectionItem(projection);
  delete item.lastSeq;
  delete item.lastHash;
  delete item.projectionHash;
  const shown: Partial<CaseProjection> = { ...item.projection! };
  delete shown.lastSeq;
  delete shown.lastHash;
  delete shown.lastEventAt;
  return { ...item, projection: shown };
}

export type StoredProjection =
  | { readonly state: 'absent' }
  | { readonly state: 'valid'; readonly projection: CaseProjection }
  | { readonly state: 'invalid'; readonly projectionHash?: string };

/**
 * Classifies a stored item: valid only when it is exactly the item this adapter would write for the
 * projection it holds (so an edited projection, index attribute or head is noticed and repaired).
 */
export function readProjectionItem(item: Record<string, unknown> | undefined): StoredProjection {
  if (item === undefined) return { state: 'absent' };
  const projectionHash = typeof item.projectionHash === 'string' ? item.projectionHash : undefined;
  const invalid = { state: 'invalid', ...(projectionHash !== undefined ? { projectionHash } : {}) } as const;
  const parsed = CaseProjectionSchema.safeParse(item.projection);
  if (!parsed.success) return invalid;
  const stored = Object.fromEntries(
    PROJECTION_ATTRIBUTES.filter((name) => name in item).map((name) => [name, item[name]]),
  );
  return canonicalize(stored) === canonicalize(toProjectionItem(parsed.data))
    ? { state: 'valid', projection: parsed.data }
    : invalid;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalize(value), 'utf8').digest('hex');
}
