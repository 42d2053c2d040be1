import { runInNewContext } from 'node:vm';

import { STAFF_PATHS_FUNCTION_CODE } from '../../infra/aws/constructs/staff-paths';
import { STAFF_STATIC_ASSETS, STAFF_SITE_OBJECTS } from '../../web/staff';

/** Runs the deployed source text of the viewer-request function, as CloudFront would, on one URI. */
function run(uri: string): {
  uri?: string;
  statusCode?: number;
  headers?: Record<string, { value: string }>;
} {
  const request = { method: 'GET', uri, headers: {}, querystring: {}, cookies: {} };
  return runInNewContext(`${STAFF_PATHS_FUNCTION_CODE}\nhandler(event);`, {
    event: { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' }, request },
  }) as { uri?: string };
}

describe('staff site viewer-request function', () => {
  it.each(STAFF_SITE_OBJECTS.filter((object) => object.kind !== 'case').map((o) => [o.path, o.objectKey]))(
    'serves %s from the object %s',
    (path, objectKey) => {
      expect(run(path).uri).toBe(`/${objectKey}`);
    },
  );

  it.each([
    ['/staff/cases/SCT-2026-000001', '/staff/case.html'],
    ['/en/staff/cases/4f7c2a1e-0000-4000-8000-000000000001/', '/en/staff/case.html'],
    ['/audit/cases/SCT-2026-000001', '/audit/index.html'],
    ['/en/audit/cases/abc', '/en/audit/index.html'],
  ])('serves the one case shell for %s (%s)', (path, objectKey) => {
    expect(run(path).uri).toBe(objectKey);
  });

  it('sends the bare site address to the work list', () => {
    expect(run('/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/staff/' } } });
  });

  it('leaves the static files alone, and maps folders with or without their trailing slash', () => {
    for (const file of Object.values(STAFF_STATIC_ASSETS)) expect(run(file).uri).toBe(file);
    expect(run('/staff-auth.js').uri).toBe('/staff-auth.js');
    expect(run('/staff/login/').uri).toBe('/staff/login/index.html');
    expect(run('/en/audit').uri).toBe('/en/audit/index.html');
  });

  it('keeps to the subset CloudFront Functions run (a handler function, no modules, no async)', () => {
    expect(STAFF_PATHS_FUNCTION_CODE).toMatch(/^function handler\(event\) \{/);
    expect(STAFF_PATHS_FUNCTION_CODE).not.toMatch(/\b(require|import|export|async|await)\b/);
    expect(Buffer.byteLength(STAFF_PATHS_FUNCTION_CODE)).toBeLessThan(10_240);
  });
});
