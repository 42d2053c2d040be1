import { HOSTILE_CORPUS, MARKER } from './hostile-corpus';
import { setup } from './fixtures';

describe('POST /api/requests refuses a corpus of malformed and hostile bodies', () => {
  it('holds more than a hundred cases with distinct names', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE_CORPUS.map((entry) => entry.name)).size).toBe(HOSTILE_CORPUS.length);
  });

  it.each(HOSTILE_CORPUS.map((entry) => [entry.name, entry] as const))(
    '%s: a 4xx that says what is wrong, nothing written',
    async (_name, entry) => {
      const { call, nothingWritten, metrics } = setup();

      const response = await call({
        body: entry.body,
        contentType: entry.contentType === undefined ? 'application/json' : entry.contentType,
        ...(entry.isBase64Encoded !== undefined ? { isBase64Encoded: entry.isBase64Encoded } : {}),
        ...(entry.headers !== undefined ? { headers: entry.headers } : {}),
      });

      expect(response.statusCode).toBe(entry.status);
      const isPage = response.headers['content-type']?.startsWith('text/html') ?? false;
      if (isPage) {
        // A browser without JavaScript gets the form again, the error in the summary and next to the field.
        expect(response.body).toContain('class="error-summary"');
        if (entry.field !== undefined && entry.field !== '' && !entry.field.startsWith('__')) {
          expect(response.body).toContain(`id="error-${entry.field}"`);
        }
      } else {
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(typeof response.json.detail).toBe('string');
        expect(response.json.detail?.length).toBeGreaterThan(10);
        if (entry.field !== undefined) {
          const error = response.json.errors?.find((candidate) => candidate.field === entry.field);
          expect(error?.detail.length).toBeGreaterThan(10);
        }
      }
      // The injected value is never repeated back: only field names may be, and the form page gives the
      // person's own values back inside (escaped) `value` attributes and the textarea.
      const outsideValues = response.body
        .replace(/ value="[^"]*"/g, '')
        .replace(/<textarea[^>]*>[^<]*<\/textarea>/g, '')
        .replace(/__proto__|constructor|isAdmin/g, '');
      expect(outsideValues).not.toContain(MARKER);
      expect(nothingWritten()).toBe(true);
      expect(metrics.outcomes.filter((outcome) => outcome !== 'honeypot')).toEqual([]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );
});
