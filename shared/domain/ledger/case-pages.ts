/** Where a page of the ledger's case list ends: the key of the last ledger item read (keys only). */
export interface LedgerCursor {
  readonly caseId: string;
  readonly seq: number;
}

/** The ledger listed by case, a page at a time (in AWS a Scan of the ledger table, resumable at a cursor). */
export interface LedgerCasePages {
  /**
   * The cases whose first event (`seq = 1`) lies in the next page of the ledger after `cursor` (from the
   * start without one), and the cursor of the page after it (none at the end of the ledger).
   */
  casePage(
    cursor: LedgerCursor | undefined,
  ): Promise<{ readonly caseIds: readonly string[]; readonly next?: LedgerCursor }>;
}
