import type { WorkflowDeps } from '../../shared/domain/workflow/tasks';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { makeHandler } from './handler';

/**
 * The workflow-tasks handler, composed once for the Lambda entry point and the local stack: the ports the
 * caller built and shares with other functions (ledger, notifier, reply addresses, rate counter, directory,
 * clock, policy, calendars, workflow, letters; accepted messages where the mail service keeps a record of
 * them), and the staff pages' address, which the links in staff notifications point into.
 */
export function workflowTasksFunction(
  input: Omit<WorkflowDeps, 'caseUrl'> & {
    readonly workflow: Workflow;
    /** Where the staff pages are served (`https://…/`): a case's page is `staff/cases/<caseId>` under it. */
    readonly staffBaseUrl: string;
  },
) {
  const { staffBaseUrl, ...ports } = input;
  return makeHandler({
    ...ports,
    caseUrl: (caseId) => new URL(`staff/cases/${encodeURIComponent(caseId)}`, staffBaseUrl).toString(),
  });
}
