import type { LedgerCasePages, LedgerCursor } from '../ledger/case-pages';
import { mirrorLedgerEvent } from '../ledger/mirror';
import type { LedgerMirrorDeps } from '../ledger/mirror';
import type { LedgerTamperReason } from '../ledger/mirror-layout';
import { archiveExecution, CLOSED_EXECUTION_STATUSES, executionArchiveKey } from './execution-archive';
import type { ClosedExecutionStatus, ReadableWriteOnceStore } from './execution-archive';
import type { ExecutionHistoryReader } from './ports';
import { storeRunEnd } from './step-job';
import type { VerificationRun } from './verification-job';
import { MAX_BAD_CASES } from './verify-ledger';

/** The item keys of a case in the ledger: the seq of each item, in order (an item may hold several events). */
export interface LedgerItemKeys {
  itemSeqs(caseId: string): Promise<readonly number[]>;
}

/** The case-lifecycle's closed executions, a page at a time (Step Functions' `ListExecutions`). */
export interface ClosedExecutionPages {
  closedPage(
    status: ClosedExecutionStatus,
    token: string | undefined,
  ): Promise<{ readonly names: readonly string[]; readonly next?: string }>;
}

/** A ledger item whose mirror holds something else: its tamper record, never an overwrite. */
export interface BackfillTamper {
  readonly caseId: string;
  readonly seq: number;
  readonly reason: LedgerTamperReason;
  readonly recordKey: string;
}

/** The counts a back-fill carries from step to step: bounded whatever the size of the ledger. */
export interface BackfillTally {
  readonly cases: number;
  /** Ledger items read (one event, or a case's opening events). */
  readonly items: number;
  /** Items of which at least one event was missing from the mirror and is now written. */
  readonly mirrored: number;
  /** Items already mirrored with the same bytes. */
  readonly alreadyMirrored: number;
  /** Items whose mirror holds another event (or which were gone when read). */
  readonly tamperedCount: number;
  /** The first tamper records written, at most `MAX_BAD_CASES`. */
  readonly tampered: readonly BackfillTamper[];
  /** Closed executions listed. */
  readonly executions: number;
  readonly archived: number;
  readonly alreadyArchived: number;
}

/** Where the executions' listing stands: the status listed (index in `CLOSED_EXECUTION_STATUSES`), its page. */
export interface ExecutionListing {
  readonly status: number;
  readonly token?: string;
}

/** The state of a back-fill between steps (keys and counts only, no personal data). */
export interface BackfillStep {
  readonly run: VerificationRun;
  readonly tally: BackfillTally;
  /** Where the next page of cases starts; absent at the start. */
  readonly cursor?: LedgerCursor;
  /** Where the next page of closed executions starts; absent at the start. */
  readonly listing?: ExecutionListing;
}

/** A back-fill as stored: its progress while it runs, its result once it has ended. */
export interface LedgerMirrorBackfillRecord extends BackfillTally {
  readonly runId: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly status: 'running' | 'succeeded' | 'failed';
  /** What the run is doing: the ledger's items, then the closed executions. */
  readonly phase: 'ledger' | 'executions' | 'done';
  readonly finishedAt?: string;
  /** True when `tampered` stops short of the tamper records written. */
  readonly truncated?: boolean;
  /** The error name of a failed run. */
  readonly error?: string;
}

/** Keeps the back-fill runs (items of the reports table). */
export interface BackfillStore {
  /** Stores the run's record; a record of an ended run is kept as the last finished one too. */
  save(record: LedgerMirrorBackfillRecord): Promise<void>;
}

export const EMPTY_BACKFILL_TALLY: BackfillTally = {
  cases: 0,
  items: 0,
  mirrored: 0,
  alreadyMirrored: 0,
  tamperedCount: 0,
  tampered: [],
  executions: 0,
  archived: 0,
  alreadyArchived: 0,
};

/** Cases of a page back-filled at once (each: a keys-only Query, then its items one after the other). */
const CASE_CONCURRENCY = 16;
/** Executions of a page archived at once (a GET of the archive; for a missing one, the execution read). */
const EXECUTION_CONCURRENCY = 8;

export interface BackfillStepDeps {
  readonly pages: LedgerCasePages;
  readonly items: LedgerItemKeys;
  /** The stream consumer's ports: the ledger item by key and the mirror's write-once store. */
  readonly mirror: LedgerMirrorDeps;
  readonly closedExecutions: ClosedExecutionPages;
  readonly executions: ExecutionHistoryReader;
  readonly archive: ReadableWriteOnceStore;
  readonly store: BackfillStore;
  readonly now: () => Date;
  /** Whether the step may start another page (its time budget, well within the function's timeout). */
  readonly mayContinue: () => boolean;
}

/** The first step of a back-fill: the run stored as running. */
export async function beginBackfill(
  deps: Pick<BackfillStepDeps, 'store' | 'now'>,
  run: VerificationRun,
): Promise<BackfillStep> {
  const step = { run, tally: EMPTY_BACKFILL_TALLY };
  await deps.store.save(recordOf(step, 'ledger', deps.now()));
  return step;
}

/**
 * Mirrors the ledger's items that the mirror lacks (issue 14 §1: events written before the stream consumer
 * existed, or that it never got), pages of cases while the step's budget allows (at least one page). Each
 * item goes through the stream consumer's own use case (`mirrorLedgerEvent`, as an insert): written when
 * absent, nothing when the same bytes are there, a tamper record (never an overwrite) when the mirror holds
 * another event. Idempotent: a second run writes nothing. Stores the progress; `more` is false after the
 * ledger's last page.
 */
export async function backfillMirrorPages(
  deps: Pick<BackfillStepDeps, 'pages' | 'items' | 'mirror' | 'store' | 'now' | 'mayContinue'>,
  step: BackfillStep,
): Promise<BackfillStep & { readonly more: boolean }> {
  let { tally, cursor } = step;
  let more = true;
  do {
    const page = await deps.pages.casePage(cursor);
    for (let i = 0; i < page.caseIds.length; i += CASE_CONCURRENCY) {
      const group = page.caseIds.slice(i, i + CASE_CONCURRENCY);
      for (const result of await Promise.all(group.map((caseId) => backfillCase(deps, caseId)))) {
        tally = {
          ...tally,
          cases: tally.cases + 1,
          items: tally.items + result.items,
          mirrored: tally.mirrored + result.mirrored,
          alreadyMirrored: tally.alreadyMirrored + result.alreadyMirrored,
          tamperedCount: tally.tamperedCount + result.tampered.length,
          tampered: [...tally.tampered, ...result.tampered].slice(0, MAX_BAD_CASES),
        };
      }
    }
    cursor = page.next;
    more = cursor !== undefined;
  } while (more && deps.mayContinue());
  const next = { run: step.run, tally, ...(cursor === undefined ? {} : { cursor }) };
  await deps.store.save(recordOf(next, more ? 'ledger' : 'executions', deps.now()));
  return { ...next, more };
}

/**
 * Archives the closed case-lifecycle executions not archived yet (those that closed before the archive was
 * deployed, within Step Functions' 90 days), pages of each closed status while the budget allows: an archived
 * one is recognised by its object (nothing else read), another goes through `archiveExecution`, written once.
 * Stores the progress; `more` is false once every status is listed.
 */
export async function backfillExecutionPages(
  deps: BackfillStepDeps,
  step: BackfillStep,
): Promise<BackfillStep & { readonly more: boolean }> {
  let tally = step.tally;
  let listing: ExecutionListing | undefined = step.listing ?? { status: 0 };
  do {
    const status = CLOSED_EXECUTION_STATUSES[listing.status]!;
    const page = await deps.closedExecutions.closedPage(status, listing.token);
    for (let i = 0; i < page.names.length; i += EXECUTION_CONCURRENCY) {
      const group = page.names.slice(i, i + EXECUTION_CONCURRENCY);
      for (const outcome of await Promise.all(group.map((name) => backfillExecution(deps, name)))) {
        tally = {
          ...tally,
          executions: tally.executions + 1,
          archived: tally.archived + (outcome === 'archived' ? 1 : 0),
          alreadyArchived: tally.alreadyArchived + (outcome === 'already-archived' ? 1 : 0),
        };
      }
    }
    listing = nextListing(listing.status, page.next);
  } while (listing !== undefined && deps.mayContinue());
  const next = {
    run: step.run,
    tally,
    ...(step.cursor === undefined ? {} : { cursor: step.cursor }),
    ...(listing === undefined ? {} : { listing }),
  };
  await deps.store.save(recordOf(next, listing === undefined ? 'done' : 'executions', deps.now()));
  return { ...next, more: listing !== undefined };
}

/** The run's end: its counts stored as the result. */
export async function finishBackfill(
  deps: Pick<BackfillStepDeps, 'store' | 'now'>,
  step: BackfillStep,
): Promise<LedgerMirrorBackfillRecord> {
  return storeRunEnd(deps, (now) => recordOf(step, 'done', now), { status: 'succeeded' });
}

/** A run that failed for good (its error name kept), so that its progress does not read as running forever. */
export async function failBackfill(
  deps: Pick<BackfillStepDeps, 'store' | 'now'>,
  step: BackfillStep,
  error: string,
): Promise<LedgerMirrorBackfillRecord> {
  return storeRunEnd(deps, (now) => recordOf(step, 'done', now), { status: 'failed', error });
}

async function backfillCase(
  deps: Pick<BackfillStepDeps, 'items' | 'mirror'>,
  caseId: string,
): Promise<{ items: number; mirrored: number; alreadyMirrored: number; tampered: BackfillTamper[] }> {
  const result = { items: 0, mirrored: 0, alreadyMirrored: 0, tampered: [] as BackfillTamper[] };
  // One item after the other, as the stream delivers a case's records.
  for (const seq of await deps.items.itemSeqs(caseId)) {
    const outcome = await mirrorLedgerEvent(deps.mirror, caseId, seq, 'insert');
    result.items += 1;
    if (outcome.outcome === 'mirrored') result.mirrored += 1;
    else if (outcome.outcome === 'already-mirrored') result.alreadyMirrored += 1;
    else result.tampered.push({ caseId, seq, reason: outcome.reason, recordKey: outcome.recordKey });
  }
  return result;
}

async function backfillExecution(
  deps: Pick<BackfillStepDeps, 'executions' | 'archive'>,
  name: string,
): Promise<'archived' | 'already-archived' | 'skipped'> {
  if ((await deps.archive.get(executionArchiveKey(name))) !== undefined) return 'already-archived';
  const outcome = await archiveExecution(deps, name);
  // Listed as closed, so neither running nor unknown unless Step Functions forgot it in between.
  return outcome === 'archived' || outcome === 'already-archived' ? outcome : 'skipped';
}

function nextListing(status: number, token: string | undefined): ExecutionListing | undefined {
  if (token !== undefined) return { status, token };
  return status + 1 < CLOSED_EXECUTION_STATUSES.length ? { status: status + 1 } : undefined;
}

function recordOf(
  step: BackfillStep,
  phase: LedgerMirrorBackfillRecord['phase'],
  now: Date,
): LedgerMirrorBackfillRecord {
  return {
    runId: step.run.runId,
    startedAt: step.run.startedAt,
    updatedAt: now.toISOString(),
    status: 'running',
    phase,
    ...step.tally,
    truncated: step.tally.tamperedCount > step.tally.tampered.length,
  };
}
