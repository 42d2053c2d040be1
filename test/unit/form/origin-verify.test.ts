import {
  ORIGIN_VERIFY_HEADER,
  checkOrigin,
  originVerified,
  readOnce,
} from '../../../shared/http/origin-verify';
import { FORM_TYPE, VALID, setup } from './fixtures';

const SECRET = 'Zq8vN3kP0aT7wXy2LmB5cR9dE1fG4hJ6sU0iO3pA8lK2jH5gF7dS9aQ1wE3rT5yU';

function required(expected: () => Promise<string> = () => Promise.resolve(SECRET)) {
  return { mode: 'required' as const, expected };
}

describe('origin-verify header comparison', () => {
  it('accepts exactly the secret', () => {
    expect(originVerified(SECRET, SECRET)).toBe(true);
  });

  it('refuses an absent, empty, shorter, longer or different value, and an empty secret', () => {
    expect(originVerified(undefined, SECRET)).toBe(false);
    expect(originVerified('', SECRET)).toBe(false);
    expect(originVerified(SECRET.slice(0, -1), SECRET)).toBe(false);
    expect(originVerified(`${SECRET}x`, SECRET)).toBe(false);
    expect(originVerified(SECRET.replace('Z', 'z'), SECRET)).toBe(false);
    expect(originVerified('', '')).toBe(false);
  });

  it('does not ask for the secret when the check is off (local stack)', async () => {
    await expect(checkOrigin({ mode: 'off' }, {})).resolves.toBeUndefined();
  });
});

describe('readOnce', () => {
  it('reads once for every later and concurrent call', async () => {
    let reads = 0;
    const read = readOnce(async () => {
      reads += 1;
      return SECRET;
    });
    expect(await Promise.all([read(), read(), read()])).toEqual([SECRET, SECRET, SECRET]);
    expect(await read()).toBe(SECRET);
    expect(reads).toBe(1);
  });

  it('forgets a failed read, so the next request tries again', async () => {
    let reads = 0;
    const read = readOnce(async () => {
      reads += 1;
      if (reads === 1) throw new Error('extension not ready');
      return SECRET;
    });
    await expect(read()).rejects.toThrow('extension not ready');
    expect(await read()).toBe(SECRET);
    expect(reads).toBe(2);
  });
});

describe('POST /api/requests behind CloudFront', () => {
  it('registers a submission that carries the secret header', async () => {
    const { call } = setup({ originCheck: required() });
    const response = await call({ body: VALID, headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['without the header', {}],
    ['with a wrong value', { [ORIGIN_VERIFY_HEADER]: 'guess' }],
    ['with the value in another header', { 'x-origin-verified': SECRET }],
  ])('answers 403 without details and writes nothing %s', async (_case, headers) => {
    const { call, nothingWritten } = setup({ originCheck: required() });
    const json = await call({ body: VALID, headers });
    const form = await call({ body: VALID, contentType: FORM_TYPE, headers });

    for (const response of [json, form]) {
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json).toEqual({
        type: 'urn:jalon:problem:forbidden',
        title: 'Accès refusé',
        status: 403,
        detail: 'Accès refusé.',
        code: 'FORBIDDEN',
        messages: { fr: 'Accès refusé.', en: 'Forbidden.' },
      });
    }
    expect(nothingWritten()).toBe(true);
  });

  it('refuses before anything else: an unknown route answers 403, not 404', async () => {
    const { call } = setup({ originCheck: required() });
    const response = await call({ path: '/api/nothing-here', body: VALID });
    expect(response.statusCode).toBe(403);
  });

  it('answers 500 and writes nothing when the secret cannot be read, then recovers', async () => {
    let reads = 0;
    const expected = readOnce(async () => {
      reads += 1;
      if (reads === 1) throw new Error('secrets extension unavailable');
      return SECRET;
    });
    const { call, nothingWritten, logger } = setup({ originCheck: required(expected) });
    const failed = await call({ body: VALID, headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(failed.statusCode).toBe(500);
    expect(nothingWritten()).toBe(true);
    expect(JSON.stringify(logger)).not.toContain(SECRET);

    const retried = await call({ body: VALID, headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(retried.statusCode).toBe(201);
  });
});
