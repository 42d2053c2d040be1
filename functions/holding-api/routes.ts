import type { NamedRoute } from '../../shared/http/routes';

/** The triage actions on a held email, each `POST /api/staff/holding/{itemId}/<action>`. */
export const HOLDING_ACTIONS = ['attach', 'register', 'dismiss'] as const;
export type HoldingAction = (typeof HOLDING_ACTIONS)[number];

/**
 * The holding-pen routes (on the staff HTTP API, behind the same JWT authorizer), declared once for the
 * holding-api Lambda's router, the CDK routes and the local gateway. A function of their own: reading held
 * mail needs the MIME parser, which the staff API's bundle then does without (`docs/http-routes.md`).
 */
export const HOLDING_API_ROUTES = [
  { id: 'holding.list', method: 'GET', path: '/api/staff/holding' },
  { id: 'holding.get', method: 'GET', path: '/api/staff/holding/{itemId}' },
  ...HOLDING_ACTIONS.map(
    (action) =>
      ({ id: `holding.${action}`, method: 'POST', path: `/api/staff/holding/{itemId}/${action}` }) as const,
  ),
] as const satisfies readonly NamedRoute[];

export type HoldingRouteId = (typeof HOLDING_API_ROUTES)[number]['id'];
