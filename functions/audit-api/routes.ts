import type { NamedRoute } from '../../shared/http/routes';

/**
 * Every route of the audit API (read-only, on the staff HTTP API behind the same JWT authorizer), declared
 * once for the Lambda's router, the CDK routes and the local gateway. `{caseId}` may be a reference.
 */
export const AUDIT_API_ROUTES = [
  { id: 'timeline', method: 'GET', path: '/api/audit/cases/{caseId}/timeline' },
  // The whole ledger checked within one request: a synchronous scan that API Gateway's 30-second integration
  // timeout cuts short at scale. In AWS the verification is the job below; the local stack keeps this route
  // for the tests that compare a whole ledger after a crash or a scenario (`docs/ledger-verification.md`).
  { id: 'ledger.verify', method: 'GET', path: '/api/audit/ledger/verify', localOnly: true },
  { id: 'ledger.verifications.start', method: 'POST', path: '/api/audit/ledger/verifications' },
  { id: 'ledger.verifications.latest', method: 'GET', path: '/api/audit/ledger/verifications/latest' },
  { id: 'access.list-views', method: 'GET', path: '/api/audit/access/list-views' },
  { id: 'reports.service-statement', method: 'GET', path: '/api/audit/reports/service-statement' },
  {
    id: 'reports.service-statement.cases',
    method: 'GET',
    path: '/api/audit/reports/service-statement/cases',
  },
  { id: 'what-if', method: 'POST', path: '/api/audit/what-if' },
  { id: 'what-if.calendars', method: 'GET', path: '/api/audit/what-if/calendars' },
  { id: 'reports.replay.start', method: 'POST', path: '/api/audit/reports/replay' },
  { id: 'reports.replay.latest', method: 'GET', path: '/api/audit/reports/replay' },
] as const satisfies readonly NamedRoute[];

export type AuditRouteId = (typeof AUDIT_API_ROUTES)[number]['id'];
