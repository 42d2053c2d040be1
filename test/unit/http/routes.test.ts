import { AUDIT_API_ROUTES } from '../../../functions/audit-api/routes';
import { CITIZEN_API_ROUTES } from '../../../functions/form-intake/routes';
import { CASE_COMMANDS, STAFF_API_ROUTES } from '../../../functions/staff-api/routes';
import { matchRoute, routeKey } from '../../../shared/http/routes';
import type { NamedRoute } from '../../../shared/http/routes';

const ROUTES: readonly NamedRoute[] = [
  { id: 'list', method: 'GET', path: '/api/staff/cases' },
  { id: 'get', method: 'GET', path: '/api/staff/cases/{caseId}' },
  { id: 'note', method: 'POST', path: '/api/staff/cases/{caseId}/note' },
  { id: 'letters', method: 'GET', path: '/api/staff/cases/{caseId}/letters' },
  { id: 'any', method: 'GET', path: '/api/staff/cases/{caseId}/{what}' },
];

describe('matchRoute (the selection API Gateway makes)', () => {
  it('matches literal segments exactly and gives each parameter its decoded segment', () => {
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/SCT-2026-000001')).toEqual({
      kind: 'route',
      route: ROUTES[1],
      params: { caseId: 'SCT-2026-000001' },
    });
    expect(matchRoute(ROUTES, 'post', '/api/staff/cases/a%2Fb/note')).toEqual({
      kind: 'route',
      route: ROUTES[2],
      params: { caseId: 'a/b' },
    });
    // Invalid percent-encoding is passed as it came, not thrown.
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/%E0%A4%A')).toMatchObject({
      params: { caseId: '%E0%A4%A' },
    });
  });

  it('prefers the route with more literal segments, whatever the declaration order', () => {
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/c1/letters')).toMatchObject({ route: ROUTES[3] });
    expect(matchRoute([...ROUTES].reverse(), 'GET', '/api/staff/cases/c1/letters')).toMatchObject({
      route: ROUTES[3],
    });
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/c1/other')).toMatchObject({
      route: ROUTES[4],
      params: { caseId: 'c1', what: 'other' },
    });
  });

  it('says which methods a known path allows, and not-found for the rest', () => {
    expect(matchRoute(ROUTES, 'DELETE', '/api/staff/cases/c1/note')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'POST'],
    });
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/')).toEqual({ kind: 'not-found' });
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases//note')).toEqual({ kind: 'not-found' });
    expect(matchRoute(ROUTES, 'GET', '/api/staff')).toEqual({ kind: 'not-found' });
    expect(matchRoute(ROUTES, 'GET', '/api/staff/cases/c1/note/x')).toEqual({ kind: 'not-found' });
  });
});

describe('the declared routes', () => {
  const all = [...STAFF_API_ROUTES, ...AUDIT_API_ROUTES, ...CITIZEN_API_ROUTES];

  it('have unique ids and route keys, and parameters that are whole segments', () => {
    expect(new Set(all.map((route) => routeKey(route))).size).toBe(all.length);
    expect(new Set(STAFF_API_ROUTES.map((route) => route.id)).size).toBe(STAFF_API_ROUTES.length);
    for (const route of all) {
      for (const segment of route.path.split('/').slice(1)) {
        expect(segment).toMatch(/^(\{\w+\}|[a-z][a-z-]*)$/);
      }
    }
  });

  it('give each case command its own route (API Gateway refuses an unknown one)', () => {
    for (const command of CASE_COMMANDS) {
      expect(matchRoute(STAFF_API_ROUTES, 'POST', `/api/staff/cases/c1/${command}`)).toMatchObject({
        route: { id: `cases.${command}` },
      });
    }
    expect(matchRoute(STAFF_API_ROUTES, 'POST', '/api/staff/cases/c1/delete')).toEqual({ kind: 'not-found' });
    // Each declared route is the one selected for its own path: no route hides another.
    for (const route of all) {
      const path = route.path.replace(/\{(\w+)\}/g, 'x1');
      expect(matchRoute(all, route.method, path)).toMatchObject({ route: { id: route.id } });
    }
  });
});
