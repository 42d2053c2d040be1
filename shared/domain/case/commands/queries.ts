import type { CaseLedger } from '../../ledger/ports';
import { hasLetterToMail, isOpen } from '../../ledger/projection';
import type { CaseProjection } from '../../ledger/projection';
import type { CaseStatus } from '../case';
import { isOverdue } from './views';

/** The statuses of an open case. */
export type OpenStatus = Exclude<CaseStatus, 'closed'>;

export interface OpenCaseFilter {
  readonly assignee?: string;
  /** The assigned unit (cases still in their category queue have none). */
  readonly unit?: string;
  readonly status?: OpenStatus;
  /** Only cases with an unmet deadline already past at `asOf`. */
  readonly overdueOnly?: boolean;
  /**
   * Only cases with a letter to post, whatever their status: a case closed before its letter was recorded as
   * posted stays on this list (and only on it) until the posting is recorded.
   */
  readonly toMailOnly?: boolean;
  /** "Now" for `overdueOnly`. */
  readonly asOf: Date;
}

/**
 * Reading open cases across the organization (the `CaseLedger` port reads one case at a time). Access control
 * is not its job: the use case filters what a person may see. The DynamoDB adapter (sparse `OpenByDue` index,
 * `ByAssignee` index) is still to be written.
 */
export interface CaseQueries {
  /**
   * Open cases (with `toMailOnly`: cases with a letter to post, closed or not) matching every given filter, the
   * most urgent first (earliest `nextDueAt`; none due last).
   */
  listOpenCases(filter: OpenCaseFilter): Promise<CaseProjection[]>;
}

/** Whether a case belongs in a listing at all: open cases, or with `toMailOnly` the cases with a letter to post. */
export function isListed(projection: CaseProjection, filter: Pick<OpenCaseFilter, 'toMailOnly'>): boolean {
  return filter.toMailOnly === true ? hasLetterToMail(projection) : isOpen(projection);
}

/** Sorts by next deadline, cases without one last, then by case id for a stable order. */
export function byUrgency(a: CaseProjection, b: CaseProjection): number {
  const dueA = a.nextDueAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(a.nextDueAt);
  const dueB = b.nextDueAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(b.nextDueAt);
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

/**
 * `CaseQueries` over a `CaseLedger` for tests and local tools: it reads every case id it was told about
 * (`track`) through the ledger, so it sees exactly what the ledger holds.
 */
export class InMemoryCaseQueries implements CaseQueries {
  private readonly caseIds = new Set<string>();

  constructor(
    private readonly ledger: CaseLedger,
    caseIds: Iterable<string> = [],
  ) {
    for (const caseId of caseIds) this.caseIds.add(caseId);
  }

  track(caseId: string): void {
    this.caseIds.add(caseId);
  }

  async listOpenCases(filter: OpenCaseFilter): Promise<CaseProjection[]> {
    const cases: CaseProjection[] = [];
    for (const caseId of this.caseIds) {
      const projection = await this.ledger.getCase(caseId);
      if (projection === undefined || !isListed(projection, filter)) continue;
      if (filter.assignee !== undefined && projection.assignee !== filter.assignee) continue;
      if (filter.unit !== undefined && projection.unit !== filter.unit) continue;
      if (filter.status !== undefined && projection.status !== filter.status) continue;
      if (filter.overdueOnly === true && !isOverdue(projection, filter.asOf)) continue;
      cases.push(projection);
    }
    return cases.sort(byUrgency);
  }
}
