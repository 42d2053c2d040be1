import { createHash } from 'node:crypto';

import * as z from '../../../zod-mini';

import { InvalidRequestError } from '../../../errors';
import type { AccessJournal } from '../../access/access-journal';
import type { StaffIdentity } from '../../identity/identity';
import { staffNamesOf } from '../../identity/staff-names';
import type { StaffNames } from '../../identity/staff-names';
import type { Actor } from '../../ledger/events';
import type { CaseProjection } from '../../ledger/projection';
import { asCaseReference } from '../case-key';
import { lookupWord, matchesQuery, queryWords } from '../search-terms';
import { authorize, isConfidentialCase, requireRoleFor, staffActor } from '../../access/case-access';
import type { AccessContext } from './case-state';
import { comparePositions, listPartitionOf, sortValueOf } from './case-search';
import type { CaseSearchIndex, CaseSort, ListPartition, SortOrder, SortPosition } from './case-search';
import { mayListPartition, mergePartitions, partitionStart } from './list-partitions';
import type { CaseQueries, OpenStatus } from './queries';
import type { ReadDeps } from './read';
import { isOverdue, toSummary } from './views';
import type { CaseListItem } from './views';

/** Default and largest page of a case list. */
export const DEFAULT_CASE_PAGE = 50;
export const MAX_CASE_PAGE = 200;

/**
 * Most index entries one word search reads: beyond, the word is too short to be useful (a clerk types more
 * letters); the cases of the first entries in term order are still searched.
 */
export const MAX_SEARCH_CANDIDATES = 2000;

/**
 * Fewest cases the first read of one list partition asks for: a page of `limit` cases is shared among the
 * partitions a person reads, but not so thinly that an uneven spread costs a read per few cases.
 */
const MIN_FIRST_READ = 10;

/** Which cases a list holds: open or closed ones, both (searches only), or open ones in one status. */
export type CaseStatusFilter = ListPartition | 'all' | OpenStatus;

export interface FindCasesParams {
  /** A reference (exact, any case) or words of the requester's name, email or of the subject (prefixes). */
  readonly q?: string;
  /** Default: `open` for a list, `all` for a search (`q`). */
  readonly status?: CaseStatusFilter;
  readonly assignee?: string;
  readonly unit?: string;
  readonly overdueOnly?: boolean;
  readonly toMailOnly?: boolean;
  /** Default `deadline` (most urgent first). */
  readonly sort?: CaseSort;
  /** Default `desc` for `received` (newest first), `asc` otherwise. */
  readonly order?: SortOrder;
  /** 1 to `MAX_CASE_PAGE`, default `DEFAULT_CASE_PAGE`. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page of the same list. */
  readonly cursor?: string;
}

export interface FindCasesResult {
  readonly cases: CaseListItem[];
  /** The display names of the assignees shown (`staffNamesOf`): the page shows a name, the id otherwise. */
  readonly staffNames: StaffNames;
  /** Present only when at least one more case the person may see follows. */
  readonly nextCursor?: string;
}

export interface FindCasesDeps extends ReadDeps {
  readonly search: CaseSearchIndex;
  readonly accessJournal: AccessJournal;
  /**
   * The open cases of one assignee (`ByAssignee`): « my cases » reads the person's cases only, not the whole
   * open partition. Without it, an assignee filter reads the partition.
   */
  readonly queries?: CaseQueries;
}

const CursorSchema = z.strictObject({
  v: z.literal(2),
  /** The list the cursor belongs to (sort, order, status, query digest). */
  l: z.string(),
  p: z.string(),
  /** The list partition of the last case, in a list merged from partitions. */
  k: z.optional(z.string()),
  id: z.string(),
});

/** Where a page ended: a sort position, and the partition of its last case when the list reads partitions. */
type CursorPosition = SortPosition & { readonly partition?: string };

interface Plan {
  readonly sort: CaseSort;
  readonly order: SortOrder;
  readonly status: CaseStatusFilter;
  readonly limit: number;
  readonly listKey: string;
  readonly after?: CursorPosition;
}

/**
 * Finds cases for the work list and the search box: open or closed cases, by reference, by the requester's
 * name or email, or by words of the subject; sorted by receipt, deadline or reference; in pages.
 *
 * Business rules:
 * - A reference (`SCT-2026-000001`, any letter case) finds that case only, whatever its status unless a
 *   status is asked for. Other text is split into words (accents and case ignored); a case matches when every
 *   word begins one of its terms (name words, email address and its local part, subject words).
 * - Access is that of the case (`authorize`): a case the person may not read is skipped as if it did not
 *   exist, and a page is cut after the cases the person may see, so neither the number of rows, nor the
 *   presence of a next page, nor the cursor says anything about hidden cases (the cursor is the position of
 *   the last case shown; a next page is announced only when one more visible case was found). Words are
 *   matched only in cases the person may read in full: a reader of metadata (auditor, administrator) finds
 *   cases by reference, never by what the requester wrote or who they are.
 * - A list that shows confidential cases is a read of them: it is recorded once in the access journal before
 *   anything is shown (`docs/access-records.md`).
 * - A list (no query) reads only the list partitions the person may see something in (`mayListPartition`:
 *   their units, reviewed cases, confidential ones for the complaints officer and auditors, every unit for
 *   auditors and administrators), merged in order; its cursor holds the last case's partition so that every
 *   partition resumes exactly (`partitionStart`).
 *
 * @throws AccessDeniedError (no staff role); InvalidRequestError (a cursor of another list, a query without a
 *   word of two characters, `status=all` without a query)
 */
export async function findCases(
  deps: FindCasesDeps,
  identity: StaffIdentity,
  params: FindCasesParams = {},
  context: AccessContext = {},
): Promise<FindCasesResult> {
  requireRoleFor(identity, 'read');
  const now = deps.clock.now();
  const query = params.q?.trim() ?? '';
  const reference = query === '' ? undefined : asCaseReference(query);
  const words = query === '' || reference !== undefined ? [] : queryWords(query);
  const plan = planOf(params, query);
  if (query !== '' && reference === undefined && lookupWord(words) === undefined) {
    throw new InvalidRequestError([
      {
        path: 'query.q',
        fr: 'doit contenir une référence (SCT-2026-000123) ou au moins un mot de deux caractères',
        en: 'must hold a reference (SCT-2026-000123) or at least one word of two characters',
      },
    ]);
  }
  const visible = (projection: CaseProjection, needContent: boolean) => {
    if (!matchesFilters(projection, params, plan.status, now)) return undefined;
    const decision = authorize(identity, 'read', projection, deps.policy);
    if (!decision.allowed || (needContent && decision.scope !== 'content')) return undefined;
    return decision;
  };

  // « My cases » (open): the assignee's index, not the whole open partition.
  const assigneeCases = params.assignee !== undefined && plan.status !== 'closed' ? deps.queries : undefined;
  const shown: CaseProjection[] = [];
  let more = false;
  let lastPosition: CursorPosition | undefined;
  if (reference !== undefined) {
    const caseId = await deps.search.caseIdOf(reference);
    const found = caseId === undefined ? [] : await deps.search.getCases([caseId]);
    shown.push(...found.filter((projection) => visible(projection, false) !== undefined));
  } else if (words.length > 0 || assigneeCases !== undefined) {
    // A bounded set of candidates (a word's index entries, or one person's open cases), paged in memory.
    const candidates =
      words.length > 0
        ? await wordCandidates(deps.search, words)
        : await assigneeCases?.listOpenCases({ assignee: params.assignee, asOf: now });
    const ordered = (candidates ?? [])
      .filter((projection) => visible(projection, words.length > 0) !== undefined)
      .map((projection) => ({ projection, position: positionOf(projection, plan.sort) }))
      .sort((a, b) => directed(plan.order, comparePositions(a.position, b.position)))
      .filter(({ position }) => plan.after === undefined || isAfter(plan, position));
    shown.push(...ordered.slice(0, plan.limit).map(({ projection }) => projection));
    more = ordered.length > plan.limit;
  } else {
    // The partitions of the person's units (and of the cases their role reads everywhere), merged in order.
    const status = plan.status === 'closed' ? 'closed' : 'open';
    const after = plan.after;
    if (after !== undefined && after.partition === undefined) throw notThisListsCursor();
    const partitions = (await deps.search.listPartitions(status)).filter((key) =>
      mayListPartition(identity, deps.policy, key, params.unit),
    );
    const firstPageSize = Math.max(
      MIN_FIRST_READ,
      Math.ceil((plan.limit + 1) / Math.max(1, partitions.length)),
    );
    const merged = mergePartitions(
      partitions.map((partition) => ({
        partition,
        pages: deps.search.listPartition({
          partition,
          sort: plan.sort,
          order: plan.order,
          firstPageSize,
          ...(after?.partition !== undefined
            ? { start: partitionStart(partition, { ...after, partition: after.partition }, plan.order) }
            : {}),
        }),
      })),
      plan.sort,
      plan.order,
    );
    for await (const { projection, position } of merged) {
      if (visible(projection, false) === undefined) continue;
      if (shown.length === plan.limit) {
        more = true;
        break;
      }
      shown.push(projection);
      lastPosition = position;
    }
  }

  const items: CaseListItem[] = [];
  const confidentialIds: string[] = [];
  let actor: Actor | undefined;
  for (const projection of shown) {
    const decision = authorize(identity, 'read', projection, deps.policy);
    if (!decision.allowed) continue;
    const confidential = isConfidentialCase(projection, deps.policy);
    if (confidential) {
      confidentialIds.push(projection.caseId);
      actor ??= staffActor(identity, decision);
    }
    const summary = toSummary(projection, now, deps.calendars);
    items.push(
      decision.scope === 'content' && !confidential
        ? { ...summary, subject: projection.subject, requesterName: projection.requester.name }
        : summary,
    );
  }
  if (actor !== undefined) {
    await deps.accessJournal.recordListView({
      at: now.toISOString(),
      actor,
      ...(context.route !== undefined ? { route: context.route } : {}),
      caseIds: [...new Set(confidentialIds)].sort(),
    });
  }
  const last = shown.at(-1);
  return {
    cases: items,
    staffNames: await staffNamesOf(
      deps.directory,
      items.map((item) => item.assignee),
    ),
    ...(more && last !== undefined
      ? { nextCursor: encodeCursor(plan.listKey, lastPosition ?? positionOf(last, plan.sort)) }
      : {}),
  };
}

/** The cases whose terms begin with the query's longest word and that match every word. */
async function wordCandidates(search: CaseSearchIndex, words: readonly string[]): Promise<CaseProjection[]> {
  const { caseIds } = await search.casesWithTermPrefix(lookupWord(words) ?? '', MAX_SEARCH_CANDIDATES);
  const candidates = await search.getCases([...new Set(caseIds)]);
  return candidates.filter((projection) => matchesQuery(projection, words));
}

function planOf(params: FindCasesParams, query: string): Plan {
  const sort = params.sort ?? 'deadline';
  const order = params.order ?? (sort === 'received' ? 'desc' : 'asc');
  const status = params.status ?? (query === '' ? 'open' : 'all');
  if (status === 'all' && query === '') {
    throw new InvalidRequestError([
      {
        path: 'query.status',
        fr: '« all » ne s’emploie qu’avec une recherche (q); choisissez « open » ou « closed »',
        en: '"all" is only for a search (q); choose "open" or "closed"',
      },
    ]);
  }
  const limit = params.limit ?? DEFAULT_CASE_PAGE;
  const filters = [
    params.assignee ?? '',
    params.unit ?? '',
    String(params.overdueOnly ?? false),
    String(params.toMailOnly ?? false),
  ];
  const listKey = createHash('sha256')
    .update(JSON.stringify([sort, order, status, query, ...filters]), 'utf8')
    .digest('base64url')
    .slice(0, 16);
  const after = params.cursor === undefined ? undefined : decodeCursor(params.cursor, listKey);
  return { sort, order, status, limit, listKey, ...(after !== undefined ? { after } : {}) };
}

function matchesFilters(
  projection: CaseProjection,
  params: FindCasesParams,
  status: CaseStatusFilter,
  now: Date,
): boolean {
  const partition = listPartitionOf(projection);
  if (status === 'open' || status === 'closed') {
    if (partition !== status) return false;
    // A closed case with a letter to post is in the open partition for the to-mail list only.
    if (status === 'open' && projection.status === 'closed' && params.toMailOnly !== true) return false;
  } else if (status !== 'all' && projection.status !== status) return false;
  return (
    (params.assignee === undefined || projection.assignee === params.assignee) &&
    (params.unit === undefined || projection.unit === params.unit) &&
    (params.overdueOnly !== true || isOverdue(projection, now)) &&
    (params.toMailOnly !== true || (projection.letters ?? []).some((letter) => letter.mailedAt === undefined))
  );
}

function positionOf(projection: CaseProjection, sort: CaseSort): SortPosition {
  return { value: sortValueOf(projection, sort), caseId: projection.caseId };
}

function directed(order: SortOrder, comparison: number): number {
  return order === 'asc' ? comparison : -comparison;
}

function isAfter(plan: Plan, position: SortPosition): boolean {
  return plan.after !== undefined && directed(plan.order, comparePositions(position, plan.after)) > 0;
}

function encodeCursor(listKey: string, position: CursorPosition): string {
  return Buffer.from(
    JSON.stringify({
      v: 2,
      l: listKey,
      p: position.value,
      ...(position.partition !== undefined ? { k: position.partition } : {}),
      id: position.caseId,
    }),
    'utf8',
  ).toString('base64url');
}

/** @throws InvalidRequestError when the cursor is not one of this very list */
function decodeCursor(cursor: string, listKey: string): CursorPosition {
  let parsed: z.util.SafeParseResult<z.infer<typeof CursorSchema>> | undefined;
  try {
    parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success !== true || parsed.data.l !== listKey) throw notThisListsCursor();
  return {
    value: parsed.data.p,
    caseId: parsed.data.id,
    ...(parsed.data.k !== undefined ? { partition: parsed.data.k } : {}),
  };
}

function notThisListsCursor(): InvalidRequestError {
  return new InvalidRequestError([
    {
      path: 'query.cursor',
      fr: 'n’est pas un curseur de cette liste (reprenez la liste depuis le début)',
      en: 'is not a cursor of this list (start the list again from the beginning)',
    },
  ]);
}
