import { CaseNotFoundError } from '../../../shared/errors';
import {
  domainProblem,
  internalProblem,
  jsonPointer,
  problemResponse,
  problemType,
} from '../../../shared/http/problem';

describe('problem details (RFC 9457)', () => {
  it('names each code by a stable URN', () => {
    expect(problemType('CASE_NOT_FOUND')).toBe('urn:jalon:problem:case-not-found');
    expect(problemType('INTERNAL_ERROR')).toBe('urn:jalon:problem:internal-error');
  });

  it('writes dotted field paths as RFC 6901 JSON Pointers, escaping ~ and /', () => {
    expect(jsonPointer('')).toBe('');
    expect(jsonPointer('to.unit')).toBe('/to/unit');
    expect(jsonPointer('headers.idempotency-key')).toBe('/headers/idempotency-key');
    expect(jsonPointer('a~b.c/d')).toBe('/a~0b/c~1d');
  });

  it('answers application/problem+json, never cached, in the negotiated language', () => {
    const response = problemResponse(domainProblem(new CaseNotFoundError('case-1'), 'en'), 'en');

    expect(response.statusCode).toBe(404);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': 'en',
      'cache-control': 'no-store',
    });
    expect(JSON.parse(response.body)).toEqual({
      type: 'urn:jalon:problem:case-not-found',
      title: 'Not found',
      status: 404,
      detail: 'No case matches this id.',
      code: 'CASE_NOT_FOUND',
      messages: { fr: 'Aucun dossier ne correspond à cet identifiant.', en: 'No case matches this id.' },
    });
    // The details of the error (ids) stay in the logs.
    expect(response.body).not.toContain('case-1');
  });

  it('gives a 500 the request id and nothing else', () => {
    expect(internalProblem('en', 'req-9')).toEqual({
      type: 'urn:jalon:problem:internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An internal error occurred; please try again later. Request code: req-9',
      code: 'INTERNAL_ERROR',
      messages: {
        fr: 'Une erreur interne est survenue; réessayez plus tard. Code de la requête\u00a0: req-9',
        en: 'An internal error occurred; please try again later. Request code: req-9',
      },
      requestId: 'req-9',
    });
  });
});
