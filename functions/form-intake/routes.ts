import type { NamedRoute } from '../../shared/http/routes';

/**
 * The citizen API's one route, declared once for the Lambda, the CDK route (and the WAF's rate rule scoped to
 * it) and the local gateway: the form's submission.
 */
export const CITIZEN_API_ROUTES = [
  { id: 'requests.create', method: 'POST', path: '/api/requests' },
] as const satisfies readonly NamedRoute[];

export const CITIZEN_REQUESTS_ROUTE = CITIZEN_API_ROUTES[0];
