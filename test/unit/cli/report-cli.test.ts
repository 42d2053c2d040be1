import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fetchReport } from '../../../cli/commands/report';

const REQUEST = {
  from: '2026-03-01',
  to: '2026-03-31',
  format: 'json',
  lang: 'en',
  role: 'auditor',
} as const;

describe('jalon report', () => {
  it('says how to start the stack when none answers', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    await expect(fetchReport(`http://127.0.0.1:${port}`, REQUEST)).rejects.toMatchObject({
      name: 'ReportCommandError',
      message: expect.stringContaining('npm start') as unknown,
      exitCode: 1,
    });
  });

  it('signs in as the demo role, then prints each refused field (exit code 2)', async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
      response.setHeader('content-type', 'application/json');
      if (request.url === '/api/local/login') {
        response.end(JSON.stringify({ token: 'tok-1' }));
        return;
      }
      response.statusCode = 400;
      response.end(
        JSON.stringify({
          code: 'INVALID_REQUEST',
          detail: 'The request has invalid fields.',
          errors: [{ field: 'query.from', detail: 'must not be after the end date (to)' }],
        }),
      );
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(fetchReport(`http://127.0.0.1:${port}`, REQUEST)).rejects.toMatchObject({
        exitCode: 2,
        message: 'The request has invalid fields.\n  query.from: must not be after the end date (to)',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual([
      'POST /api/local/login ',
      'GET /api/audit/reports/service-statement?from=2026-03-01&to=2026-03-31&format=json&lang=en Bearer tok-1',
    ]);
  });

  it('asks for no period when given none: the server reports 1 January to its today', async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify(
          request.url === '/api/local/login' ? { token: 'tok-1' } : { report: 'service-statement' },
        ),
      );
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const body = await fetchReport(`http://127.0.0.1:${port}`, {
        format: 'json',
        lang: 'en',
        role: 'auditor',
      });
      expect(JSON.parse(body.toString('utf8'))).toEqual({ report: 'service-statement' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual([
      'POST /api/local/login',
      'GET /api/audit/reports/service-statement?format=json&lang=en',
    ]);
  });
});
