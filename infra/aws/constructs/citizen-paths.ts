/**
 * The viewer-request CloudFront Function of the citizen site, as deployed (cloudfront-js-2.0). CloudFront
 * serves `defaultRootObject` for `/` only; the form's other addresses (`/demande`, `/en/`, `/en/request`, see
 * `CITIZEN_PAGES` in `web/citizen/site.ts`) are folders in the bucket. So a path ending in `/` gets
 * `index.html` appended, a path whose last segment has no extension gets `/index.html`, and anything else
 * (`/citizen.css`, `/form.js`) is left alone. Kept as source text so that the tests run this very code.
 */
export const CITIZEN_PATHS_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}
`;
