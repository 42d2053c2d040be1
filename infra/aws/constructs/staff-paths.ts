/**
 * The viewer-request CloudFront Function of the staff site, as deployed (cloudfront-js-2.0). The shells are
 * files (`renderStaffSite` in `web/staff/index.ts`): one page for every case (`staff/case.html`), the
 * auditor's page for every case timeline (`audit/index.html`), folders with an `index.html` for the rest. So:
 * `/` redirects to the work list; `[/en]/staff/cases/{id}` is served `staff/case.html` and
 * `[/en]/audit/cases/{id}` `audit/index.html` (the scripts read the id from the address); a path ending in
 * `/` gets `index.html`, a path whose last segment has no extension gets `/index.html`, and files
 * (`/staff.js`) are left alone. Kept as source text so that the tests run this very code.
 */
export const STAFF_PATHS_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/staff/' } } };
  }
  var match = /^(\\/en)?\\/staff\\/cases\\/[^\\/]+\\/?$/.exec(uri);
  if (match) {
    request.uri = (match[1] || '') + '/staff/case.html';
    return request;
  }
  match = /^(\\/en)?\\/audit\\/cases\\/[^\\/]+\\/?$/.exec(uri);
  if (match) {
    request.uri = (match[1] || '') + '/audit/index.html';
    return request;
  }
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}
`;
