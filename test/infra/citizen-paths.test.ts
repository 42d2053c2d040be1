import { runInNewContext } from 'node:vm';

import { CITIZEN_PATHS_FUNCTION_CODE } from '../../infra/aws/constructs/citizen-paths';
import { CITIZEN_PAGES, STATIC_ASSETS } from '../../web/citizen/site';

/** Runs the deployed source text of the viewer-request function, as CloudFront would, on one URI. */
function objectFor(uri: string): string {
  const request = { method: 'GET', uri, headers: {}, querystring: {}, cookies: {} };
  const result = runInNewContext(`${CITIZEN_PATHS_FUNCTION_CODE}\nhandler(event);`, {
    event: { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' }, request },
  }) as { uri: string };
  return result.uri;
}

describe('citizen site viewer-request function', () => {
  it.each(CITIZEN_PAGES.map((page) => [page.path, page.objectKey]))(
    'serves %s from the object %s',
    (path, objectKey) => {
      expect(objectFor(path)).toBe(`/${objectKey}`);
    },
  );

  it('leaves the static files alone', () => {
    for (const file of Object.values(STATIC_ASSETS)) expect(objectFor(file)).toBe(file);
  });

  it('maps a folder address with or without its trailing slash, and nothing else', () => {
    expect(objectFor('/demande/')).toBe('/demande/index.html');
    expect(objectFor('/en')).toBe('/en/index.html');
    expect(objectFor('/en/request/')).toBe('/en/request/index.html');
    expect(objectFor('/en/index.html')).toBe('/en/index.html');
    expect(objectFor('/images/logo.svg')).toBe('/images/logo.svg');
  });

  it('keeps to the subset CloudFront Functions run (a handler function, no modules, no async)', () => {
    expect(CITIZEN_PATHS_FUNCTION_CODE).toMatch(/^function handler\(event\) \{/);
    expect(CITIZEN_PATHS_FUNCTION_CODE).not.toMatch(/\b(require|import|export|async|await)\b/);
    // CloudFront Functions accept at most 10 KB of code.
    expect(Buffer.byteLength(CITIZEN_PATHS_FUNCTION_CODE)).toBeLessThan(10_240);
  });
});
