import type { ChainProblem, ChainVerification } from '../ledger/chain';
import type { StaffIdentity } from '../identity/identity';
import type { LedgerCasePages, LedgerCursor } from '../ledger/case-pages';
import { requireAuditor } from './access';
import { settleLatestRun } from './job-run-liveness';
import type { RunExecutions } from './job-run-liveness';
import { verifyDigestSignature } from './ledger-digest';
import type { DigestSigner, LedgerDigestStore } from './ledger-digest';
import { storeRunEnd } from './step-job';
import { MAX_BAD_CASES } from './verify-ledger';

/** One ledger event as the verification needs it: where it sits in its chain, and when it was recorded. */
export interface ChainLink {
  readonly seq: number;
  readonly hash: string;
  /** The event's `at`, as stored. */
  readonly at: string;
}

/** The ledger read case by case for the verification job (the DynamoDB ledger adapter in AWS and locally). */
export interface CaseChainReader {
  /**
   * The case's chain verdict (`verifyEvents` against the head of its projection) and every event's link as
   * stored, in seq order.
   */
  readChain(
    caseId: string,
  ): Promise<{ readonly verification: ChainVerification; readonly links: readonly ChainLink[] }>;
  /** The hash stored for the event at `seq`, `undefined` when there is none. */
  hashAt(caseId: string, seq: number): Promise<string | undefined>;
}

/** One object of the ledger mirror: the copy of a ledger event kept WORM (`ledger/v1/<caseId>/<seq>.json`). */
export interface MirrorEntry {
  readonly seq: number;
  readonly hash: string;
}

/** Reads the WORM mirror of the ledger (S3 with Object Lock in AWS, s3rver locally). */
export interface LedgerMirror {
  /** Every mirrored event of the case, in seq order. */
  entries(caseId: string): Promise<readonly MirrorEntry[]>;
}

/** What the mirror and the digest can find wrong with a case, besides its own chain's problems. */
export type EvidenceProblem =
  'mirror-missing' | 'mirror-mismatch' | 'mirror-extra' | 'digest-missing' | 'digest-mismatch';

/** Every problem a finding may name. */
export const VERIFICATION_PROBLEMS = [
  'hash-mismatch',
  'broken-link',
  'gap',
  'reordered',
  'wrong-case',
  'mirror-missing',
  'mirror-mismatch',
  'mirror-extra',
  'digest-missing',
  'digest-mismatch',
] as const satisfies readonly (ChainProblem | EvidenceProblem)[];

export interface VerificationFinding {
  readonly caseId: string;
  /** The first seq at which the case is wrong. */
  readonly seq: number;
  readonly problem: ChainProblem | EvidenceProblem;
}

/** The counts a run carries from step to step: bounded whatever the size of the ledger. */
export interface VerificationTally {
  readonly cases: number;
  readonly events: number;
  readonly mirrorObjects: number;
  /** Cases whose chain or mirror is wrong (each counted once). */
  readonly badCaseCount: number;
  /** The first findings (chain, mirror, then digest), at most `MAX_BAD_CASES`. */
  readonly badCases: readonly VerificationFinding[];
}

/** The check against the latest signed digest. */
export type DigestCheck =
  | { readonly status: 'none' }
  | {
      /** `invalid`: the signature does not match the bytes (its heads are not checked then). */
      readonly status: 'valid' | 'invalid';
      readonly day: string;
      readonly key: string;
      readonly heads: number;
      /** Size of the digest object (its statement's). */
      readonly bytes: number;
      /** Heads looked up in the ledger so far. */
      readonly checked: number;
      /** Heads whose seq is gone from the ledger or holds another hash. */
      readonly mismatches: number;
    };

export interface VerificationRun {
  readonly runId: string;
  readonly startedAt: string;
}

/** The state of a verification run between steps (keys and counts only, no personal data). */
export interface VerificationStep {
  readonly run: VerificationRun;
  readonly tally: VerificationTally;
  readonly digest: DigestCheck;
  /** Where the next page of cases starts; absent at the start. */
  readonly cursor?: LedgerCursor;
  /** Byte offset of the next digest line to check; absent at the start. */
  readonly offset?: number;
}

/** A run as stored: its progress while it runs, its result once it has ended. */
export interface LedgerVerificationRecord extends VerificationTally {
  readonly runId: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly status: 'running' | 'succeeded' | 'failed';
  /** What the run is doing: the cases (chains and mirror), then the digest's heads. */
  readonly phase: 'cases' | 'digest' | 'done';
  readonly digest: DigestCheck;
  /** Present once the run has ended. */
  readonly finishedAt?: string;
  /** Every chain, mirror object and digested head holds (present on success). */
  readonly ok?: boolean;
  /** True when `badCases` stops short of the findings. */
  readonly truncated?: boolean;
  /**
   * Why a failed run failed: the name of the error a step's retries did not absorb (stored by
   * `RecordFailure`), or the execution's ending a reader found (`UNRECORDED_END_ERRORS`, `RunStale`).
   */
  readonly error?: string;
}

/** Keeps the verification runs (an item of the reports table). */
export interface VerificationStore {
  /** Stores the run's record; a record of an ended run is kept as the last finished one too. */
  save(record: LedgerVerificationRecord): Promise<void>;
  latest(): Promise<{
    readonly latest: LedgerVerificationRecord | null;
    readonly lastFinished: LedgerVerificationRecord | null;
  }>;
}

/**
 * Starts a verification run, or returns the one running (one at a time); tells what became of a run's
 * execution (`settleLatestRun`).
 */
export interface VerificationStarter extends RunExecutions {
  start(): Promise<VerificationRun>;
}

export const EMPTY_VERIFICATION_TALLY: VerificationTally = {
  cases: 0,
  events: 0,
  mirrorObjects: 0,
  badCaseCount: 0,
  badCases: [],
};

/**
 * A ledger event not yet in the mirror is tolerated this long after its `at` (the stream feeds the mirror
 * within seconds; its retries within minutes). An older one missing is a finding.
 */
export const MIRROR_GRACE_MS = 15 * 60_000;

/** Cases of a page checked at once (each: one Query, one list and the mirror's objects). */
const CASE_CONCURRENCY = 16;
/** Digest heads looked up at once (one GetItem each). */
const HEAD_CONCURRENCY = 32;
/** Bytes of the digest read per request (about 9,000 heads). */
const DIGEST_CHUNK_BYTES = 1024 * 1024;

export interface VerificationStepDeps {
  readonly pages: LedgerCasePages;
  readonly chains: CaseChainReader;
  readonly mirror: LedgerMirror;
  readonly digests: LedgerDigestStore;
  readonly signer: Pick<DigestSigner, 'publicKey'>;
  readonly store: Pick<VerificationStore, 'save'>;
  readonly now: () => Date;
  /** Whether the step may start another page (its time budget, well within the function's timeout). */
  readonly mayContinue: () => boolean;
}

/**
 * The first step of a run: the latest digest's signature is checked against the signer's public key (a run
 * with no digest yet checks chains and mirror only), and the run is stored as running.
 */
export async function beginVerification(
  deps: Pick<VerificationStepDeps, 'digests' | 'signer' | 'store' | 'now'>,
  run: VerificationRun,
): Promise<VerificationStep> {
  const record = await deps.digests.latest();
  const digest: DigestCheck =
    record === undefined
      ? { status: 'none' }
      : {
          status: (await verifyDigestSignature({ signer: deps.signer, store: deps.digests }, record))
            ? 'valid'
            : 'invalid',
          day: record.statement.day,
          key: record.statement.digestKey,
          heads: record.statement.heads,
          bytes: record.statement.bytes,
          checked: 0,
          mismatches: 0,
        };
  const step = { run, tally: EMPTY_VERIFICATION_TALLY, digest };
  await deps.store.save(recordOf(step, 'cases', deps.now()));
  return step;
}

/**
 * Checks pages of the ledger's cases while the step's budget allows (at least one page): each case's hash
 * chain (`verifyEvents`, against its projection's head), then its mirror: every ledger seq has a mirror object
 * with the same hash (an event recorded less than `MIRROR_GRACE_MS` ago may not be mirrored yet) and every
 * mirror object has its ledger event. The mirror is read before the ledger, so an event mirrored during the
 * check is already in the ledger read next. A rewritten history whose hashes were all recomputed passes its
 * own chain but not the mirror. Stores the progress; `more` is false after the ledger's last page.
 */
export async function checkCasePages(
  deps: VerificationStepDeps,
  step: VerificationStep,
): Promise<VerificationStep & { readonly more: boolean }> {
  let { tally, cursor } = step;
  let more = true;
  do {
    const page = await deps.pages.casePage(cursor);
    for (let i = 0; i < page.caseIds.length; i += CASE_CONCURRENCY) {
      const group = page.caseIds.slice(i, i + CASE_CONCURRENCY);
      const checked = await Promise.all(group.map((caseId) => checkCase(deps, caseId)));
      for (const result of checked) {
        tally = {
          cases: tally.cases + 1,
          events: tally.events + result.events,
          mirrorObjects: tally.mirrorObjects + result.mirrorObjects,
          badCaseCount: tally.badCaseCount + (result.finding === undefined ? 0 : 1),
          badCases: withFinding(tally.badCases, result.finding),
        };
      }
    }
    cursor = page.next;
    more = cursor !== undefined;
  } while (more && deps.mayContinue());
  const next = { run: step.run, tally, digest: step.digest, ...(cursor === undefined ? {} : { cursor }) };
  await deps.store.save(recordOf(next, more ? 'cases' : 'digest', deps.now()));
  return { ...next, more };
}

/**
 * Checks the latest digest's heads from the step's offset while the budget allows: the ledger must still hold
 * each digested head, the same hash at the same seq. An insider who deleted or rewrote events and recomputed
 * every hash after them cannot reach the hash signed at that seq. Nothing to do without a digest or with one
 * whose signature failed (that is the finding). Stores the progress; `more` is false at the digest's end.
 */
export async function checkDigestHeads(
  deps: VerificationStepDeps,
  step: VerificationStep,
): Promise<VerificationStep & { readonly more: boolean }> {
  const digest = step.digest;
  let offset: number | undefined = step.offset ?? 0;
  if (digest.status !== 'valid' || offset >= digest.bytes) return { ...step, more: false };
  let { checked, mismatches } = digest;
  let badCases = step.tally.badCases;
  do {
    const chunk = await deps.digests.headsFrom(digest.key, offset, DIGEST_CHUNK_BYTES);
    for (let i = 0; i < chunk.heads.length; i += HEAD_CONCURRENCY) {
      const group = chunk.heads.slice(i, i + HEAD_CONCURRENCY);
      const hashes = await Promise.all(group.map((head) => deps.chains.hashAt(head.caseId, head.seq)));
      for (const [index, head] of group.entries()) {
        checked += 1;
        const hash = hashes[index];
        if (hash === head.hash) continue;
        mismatches += 1;
        const problem = hash === undefined ? 'digest-missing' : 'digest-mismatch';
        badCases = withFinding(badCases, { caseId: head.caseId, seq: head.seq, problem });
      }
    }
    offset = chunk.next !== undefined && chunk.next < digest.bytes ? chunk.next : undefined;
  } while (offset !== undefined && deps.mayContinue());
  const next: VerificationStep = {
    run: step.run,
    tally: { ...step.tally, badCases },
    digest: { ...digest, checked, mismatches },
    ...(step.cursor === undefined ? {} : { cursor: step.cursor }),
    ...(offset === undefined ? {} : { offset }),
  };
  await deps.store.save(recordOf(next, offset === undefined ? 'done' : 'digest', deps.now()));
  return { ...next, more: offset !== undefined };
}

/**
 * The run's end: its result stored (`ok` when no chain, mirror object or digested head is wrong and the
 * digest's signature holds).
 */
export async function finishVerification(
  deps: Pick<VerificationStepDeps, 'store' | 'now'>,
  step: VerificationStep,
): Promise<LedgerVerificationRecord> {
  const digestHolds =
    step.digest.status === 'none' || (step.digest.status === 'valid' && step.digest.mismatches === 0);
  return storeRunEnd(deps, (now) => recordOf(step, 'done', now), {
    status: 'succeeded',
    ok: step.tally.badCaseCount === 0 && digestHolds,
  });
}

/** A run that failed for good (its error name kept), so that its progress does not read as running forever. */
export async function failVerification(
  deps: Pick<VerificationStepDeps, 'store' | 'now'>,
  step: VerificationStep,
  error: string,
): Promise<LedgerVerificationRecord> {
  return storeRunEnd(deps, (now) => recordOf(step, 'done', now), { status: 'failed', error });
}

/**
 * Starts a verification of the whole ledger (chains, mirror, last signed digest) as an asynchronous run;
 * while one runs, answers that one. Auditors only.
 *
 * @throws AccessDeniedError
 */
export async function startLedgerVerification(
  deps: { readonly verifications: VerificationStarter },
  identity: StaffIdentity,
): Promise<VerificationRun> {
  requireAuditor(identity, 'audit-verify');
  return deps.verifications.start();
}

/**
 * The latest run (its progress while it runs, or its result) and the last one that ended. Auditors only. A
 * run stored as running whose execution has ended without storing its end is answered failed, with why
 * (`settleLatestRun`).
 *
 * @throws AccessDeniedError
 */
export async function latestLedgerVerification(
  deps: {
    readonly verificationStore: Pick<VerificationStore, 'latest'>;
    readonly verifications: RunExecutions;
    readonly now: () => Date;
    readonly onEngineUnavailable?: (runId: string, error: unknown) => void;
  },
  identity: StaffIdentity,
): ReturnType<VerificationStore['latest']> {
  requireAuditor(identity, 'audit-verify');
  return settleLatestRun({
    store: deps.verificationStore,
    executions: deps.verifications,
    now: deps.now,
    ...(deps.onEngineUnavailable === undefined ? {} : { onEngineUnavailable: deps.onEngineUnavailable }),
  });
}

async function checkCase(
  deps: Pick<VerificationStepDeps, 'chains' | 'mirror' | 'now'>,
  caseId: string,
): Promise<{ events: number; mirrorObjects: number; finding?: VerificationFinding }> {
  const mirrored = await deps.mirror.entries(caseId);
  const { verification, links } = await deps.chains.readChain(caseId);
  const counts = { events: links.length, mirrorObjects: mirrored.length };
  if (!verification.ok) {
    return { ...counts, finding: { caseId, seq: verification.seq, problem: verification.problem } };
  }
  const problem = mirrorProblem(links, mirrored, deps.now().getTime() - MIRROR_GRACE_MS);
  return problem === undefined ? counts : { ...counts, finding: { caseId, ...problem } };
}

/** The first seq at which ledger and mirror differ, and how. */
function mirrorProblem(
  links: readonly ChainLink[],
  mirrored: readonly MirrorEntry[],
  recentFrom: number,
): Pick<VerificationFinding, 'seq' | 'problem'> | undefined {
  const bySeq = new Map(mirrored.map((entry) => [entry.seq, entry.hash]));
  const ledgerSeqs = new Set(links.map((link) => link.seq));
  const problems: Pick<VerificationFinding, 'seq' | 'problem'>[] = [];
  for (const link of links) {
    const hash = bySeq.get(link.seq);
    if (hash === undefined) {
      if (!(Date.parse(link.at) >= recentFrom)) problems.push({ seq: link.seq, problem: 'mirror-missing' });
    } else if (hash !== link.hash) {
      problems.push({ seq: link.seq, problem: 'mirror-mismatch' });
    }
  }
  for (const entry of mirrored) {
    if (!ledgerSeqs.has(entry.seq)) problems.push({ seq: entry.seq, problem: 'mirror-extra' });
  }
  return problems.sort((a, b) => a.seq - b.seq)[0];
}

function withFinding(
  findings: readonly VerificationFinding[],
  finding: VerificationFinding | undefined,
): readonly VerificationFinding[] {
  if (finding === undefined || findings.length >= MAX_BAD_CASES) return findings;
  return [...findings, finding];
}

function recordOf(
  step: VerificationStep,
  phase: LedgerVerificationRecord['phase'],
  now: Date,
): LedgerVerificationRecord {
  const { tally, digest, run } = step;
  const findings = tally.badCaseCount + (digest.status === 'valid' ? digest.mismatches : 0);
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    updatedAt: now.toISOString(),
    status: 'running',
    phase,
    ...tally,
    digest,
    truncated: findings > tally.badCases.length,
  };
}
