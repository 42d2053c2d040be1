import {
  ReplanIncompleteError,
  replanCases,
  type ReplanDeps,
  type ReplanSummary,
} from '../../shared/domain/workflow/replan';

export interface ReplanHandlerDeps extends ReplanDeps {
  /** The open cases' ids (the cases table's `OpenByDue` index in AWS); closed cases have nothing to re-plan. */
  readonly caseIds: () => Promise<string[]>;
  /** Counts and case ids only: never personal data. */
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The re-planning entry point (scheduled daily, or invoked by hand after a calendar version was deployed):
 * re-plans every open case under the calendar versions in force (see `replanCases`) and returns the summary.
 *
 * @throws ReplanIncompleteError when some cases could not be re-planned (after the others were): the run is
 *   idempotent, so the retry or the next run re-plans them, and the function's error alarm tells operations.
 */
export function makeHandler(deps: ReplanHandlerDeps): (event: unknown) => Promise<ReplanSummary> {
  return async () => {
    const summary = await replanCases(deps, await deps.caseIds());
    deps.log('replan done', {
      checked: summary.checked,
      changed: summary.changed,
      keptCommunicated: summary.keptCommunicated,
      woken: summary.woken,
      failed: summary.failed.length,
    });
    if (summary.failed.length > 0) throw new ReplanIncompleteError(summary.failed);
    return summary;
  };
}
