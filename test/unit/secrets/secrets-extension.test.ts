import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SecretReadError, SecretsExtensionReader } from '../../../shared/adapters/secrets/secrets-extension';

const TOKEN = 'session-token-of-the-container';
const SECRET_ARN = 'arn:aws:secretsmanager:ca-central-1:123456789012:secret:OriginVerify-AbCdEf';

/** A stand-in for the Parameters and Secrets extension: answers what the test says, records each request. */
let answer: (request: IncomingMessage) => { status: number; body: string };
const requests: { url: string; token: string | undefined }[] = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({
      url: request.url ?? '',
      token: request.headers['x-aws-parameters-secrets-token'] as string,
    });
    const { status, body } = answer(request);
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

function reader() {
  return new SecretsExtensionReader({ sessionToken: TOKEN, host: '127.0.0.1', port });
}

describe('SecretsExtensionReader', () => {
  it('asks the extension for the secret by id, with the session token, and returns its string', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ ARN: SECRET_ARN, SecretString: 's3cr3t' }) });

    expect(await reader().secretString(SECRET_ARN)).toBe('s3cr3t');
    expect(requests).toEqual([
      { url: `/secretsmanager/get?secretId=${encodeURIComponent(SECRET_ARN)}`, token: TOKEN },
    ]);
  });

  it.each([
    ['an error status', 403, '{"message":"denied"}'],
    ['a body that is not JSON', 200, 'not json'],
    ['a binary secret (no SecretString)', 200, JSON.stringify({ SecretBinary: 'AAE=' })],
    ['an empty SecretString', 200, JSON.stringify({ SecretString: '' })],
  ])('throws SecretReadError (transient, no value in it) on %s', async (_case, status, body) => {
    answer = () => ({ status, body });

    const error = await reader()
      .secretString(SECRET_ARN)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretReadError);
    expect(error).toMatchObject({ code: 'SECRET_UNAVAILABLE', transient: true });
    expect(JSON.stringify((error as SecretReadError).details)).not.toContain('denied');
  });

  it('throws SecretReadError when nothing listens (the extension not started)', async () => {
    const closed = new SecretsExtensionReader({ sessionToken: TOKEN, host: '127.0.0.1', port: 1 });
    await expect(closed.secretString(SECRET_ARN)).rejects.toBeInstanceOf(SecretReadError);
  });
});
