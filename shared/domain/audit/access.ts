import { AccessDeniedError } from '../../errors';
import type { StaffIdentity } from '../identity/identity';
import type { Actor } from '../ledger/events';

/**
 * Only auditors use the audit API. Administrators do not: they run the system and must not see confidential
 * cases at all (a timeline names every complaint's dates and units, the ledger verification every case id),
 * and they can check integrity through an auditor. Refused before any case is looked up (403).
 *
 * @throws AccessDeniedError
 */
export function requireAuditor(
  identity: StaffIdentity,
  action: 'audit-timeline' | 'audit-verify' | 'audit-list-views',
): Actor {
  if (!identity.roles.includes('auditor')) throw new AccessDeniedError(action);
  return { kind: 'staff', id: identity.id, role: 'auditor' };
}
