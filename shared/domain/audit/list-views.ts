import type { StaffIdentity } from '../identity/identity';
import type { AccessJournal, ListViewRecord } from '../access/access-journal';
import { requireAuditor } from './access';

/** The work-list views of one Québec-local day that showed confidential cases. */
export interface ListViewsOfDay {
  readonly day: string;
  readonly views: readonly ListViewRecord[];
}

/**
 * For an auditor: every work-list view of a day (`YYYY-MM-DD`, America/Toronto) that showed confidential
 * cases, in the order they were recorded, each with who, when, which route and the ids of the cases listed
 * (see `docs/access-records.md`). Auditors only (403 otherwise, administrators too).
 *
 * @throws AccessDeniedError, ValidationError (a malformed day)
 */
export async function listViewsOfDay(
  deps: { readonly accessJournal: AccessJournal },
  identity: StaffIdentity,
  day: string,
): Promise<ListViewsOfDay> {
  requireAuditor(identity, 'audit-list-views');
  return { day, views: await deps.accessJournal.listViewsOn(day) };
}
