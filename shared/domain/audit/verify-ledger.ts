import { verifyEvents } from '../ledger/chain';
import type { ChainProblem } from '../ledger/chain';
import type { LedgerEvent } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { StaffIdentity } from '../identity/identity';
import { requireAuditor } from './access';
import type { LedgerScanner } from './ports';

export interface BadCase {
  readonly caseId: string;
  readonly seq: number;
  readonly problem: ChainProblem;
}

export interface LedgerVerification {
  readonly ok: boolean;
  /** Cases checked: every case with ledger events, plus projections whose ledger is gone. */
  readonly cases: number;
  /** Ledger items read. */
  readonly events: number;
  /** Every failing case in scan order, at most `maxBadCases` of them; present when any fails. */
  readonly badCases?: readonly BadCase[];
  /** How many cases failed in all (may exceed `badCases.length`); present when any fails. */
  readonly badCaseCount?: number;
  /** True when `badCases` stops short of `badCaseCount`; present when any fails. */
  readonly truncated?: boolean;
}

/** Failing cases listed in one answer; the count covers the rest (a wholesale break needs no 10,000 rows). */
export const MAX_BAD_CASES = 100;

export interface VerifyLedgerDeps {
  readonly scanner: LedgerScanner;
  /** Re-reads a case whose events did not come together in the scan (never seen on DynamoDB or dynalite). */
  readonly ledger: Pick<CaseLedger, 'verifyChain'>;
  /** Bound on the failing cases listed (default `MAX_BAD_CASES`). */
  readonly maxBadCases?: number;
}

/**
 * Verifies the hash chain of every case in one pass over the ledger (see `verifyEvents`): each case's events
 * are checked as soon as the scan moves past them, against the head of its stored projection so that a
 * truncated tail is caught too. A projection whose case has no event left in the ledger is a deleted history
 * (`gap` at seq 1). Heads are read before the ledger, as `CaseLedger.verifyChain` does: a head is written
 * after its event, so any head read must already be in the ledger read next.
 *
 * Every failing case is reported (case id, first bad seq, problem), in scan order, up to `maxBadCases`, with
 * the total count and a truncation flag: an auditor sees the extent of a break, not only where it starts.
 *
 * The pass keeps one case in memory at a time. Should a case's events not come together, the partial result
 * is dropped and that case is verified on its own at the end.
 *
 * Only auditors may run it (403 otherwise).
 *
 * @throws AccessDeniedError
 */
export async function verifyLedger(
  deps: VerifyLedgerDeps,
  identity: StaffIdentity,
): Promise<LedgerVerification> {
  requireAuditor(identity, 'audit-verify');
  const heads = await deps.scanner.projectionHeads();
  const seen = new Set<string>();
  const split = new Set<string>();
  // Insertion order is scan order.
  const failures = new Map<string, BadCase>();
  let events = 0;
  let current: { caseId: string; events: LedgerEvent[] } | undefined;

  const check = (caseId: string, caseEvents: readonly LedgerEvent[]) => {
    const head = heads.get(caseId);
    const result = verifyEvents(caseId, caseEvents, head !== undefined ? { head } : {});
    if (!result.ok) failures.set(caseId, { caseId, seq: result.seq, problem: result.problem });
  };
  const finish = () => {
    if (current !== undefined && !split.has(current.caseId)) check(current.caseId, current.events);
    current = undefined;
  };

  for await (const page of deps.scanner.events()) {
    for (const event of page) {
      events += 1;
      const caseId = String(event.caseId);
      if (current?.caseId === caseId) {
        current.events.push(event);
        continue;
      }
      finish();
      if (seen.has(caseId)) {
        split.add(caseId);
        failures.delete(caseId);
        continue;
      }
      seen.add(caseId);
      current = { caseId, events: [event] };
    }
  }
  finish();

  for (const caseId of split) {
    const result = await deps.ledger.verifyChain(caseId);
    if (!result.ok) failures.set(caseId, { caseId, seq: result.seq, problem: result.problem });
  }
  let cases = seen.size;
  for (const caseId of heads.keys()) {
    if (seen.has(caseId)) continue;
    cases += 1;
    failures.set(caseId, { caseId, seq: 1, problem: 'gap' });
  }
  if (failures.size === 0) return { ok: true, cases, events };
  const max = deps.maxBadCases ?? MAX_BAD_CASES;
  const badCases = [...failures.values()].slice(0, max);
  return {
    ok: false,
    cases,
    events,
    badCases,
    badCaseCount: failures.size,
    truncated: failures.size > badCases.length,
  };
}
