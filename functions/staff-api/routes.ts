import type { NamedRoute } from '../../shared/http/routes';

/** The case commands, each `POST /api/staff/cases/{caseId}/<command>` (see the staff API handler). */
export const CASE_COMMANDS = [
  'acknowledge',
  'answer',
  'extend',
  'reassign',
  'recategorize',
  'close',
  'dissatisfied',
  'note',
  'requester-reached',
  'restart-enforcement',
] as const;
export type CaseCommand = (typeof CASE_COMMANDS)[number];

/**
 * Every route of the staff API, declared once: the Lambda routes requests with it, CDK declares these API
 * Gateway routes (behind the JWT authorizer), and the local gateway serves the same list. Under
 * `/api/staff/cases/{caseId}`, `{caseId}` may be the case's reference. The holding pen's routes
 * (`/api/staff/holding…`) are on the same HTTP API but served by the holding-api function.
 */
export const STAFF_API_ROUTES = [
  { id: 'cases.list', method: 'GET', path: '/api/staff/cases' },
  { id: 'cases.get', method: 'GET', path: '/api/staff/cases/{caseId}' },
  ...CASE_COMMANDS.map(
    (command) =>
      ({ id: `cases.${command}`, method: 'POST', path: `/api/staff/cases/{caseId}/${command}` }) as const,
  ),
  { id: 'letters.list', method: 'GET', path: '/api/staff/cases/{caseId}/letters' },
  // `{letterFile}` is `<letterId>.pdf`: API Gateway parameters are whole segments; the handler checks the rest.
  { id: 'letters.pdf', method: 'GET', path: '/api/staff/cases/{caseId}/letters/{letterFile}' },
  { id: 'letters.mailed', method: 'POST', path: '/api/staff/cases/{caseId}/letters/{letterId}/mailed' },
  { id: 'attachments.get', method: 'GET', path: '/api/staff/cases/{caseId}/attachments/{attachmentId}' },
  { id: 'intake', method: 'POST', path: '/api/staff/intake' },
] as const satisfies readonly NamedRoute[];

export type StaffRouteId = (typeof STAFF_API_ROUTES)[number]['id'];
