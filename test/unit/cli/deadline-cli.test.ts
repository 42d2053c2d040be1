import { execFile } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { runBatch } from '../../../cli/commands/deadline';
import { oracleDeadline } from '../time/oracle';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');

async function batch(lines: string[]): Promise<unknown[]> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await runBatch(Readable.from([`${lines.join('\n')}\n`]), output, '2026-11-26');
  output.end();
  return Buffer.concat(chunks)
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('jalon deadline --batch', () => {
  it('answers every line in order, with an error object for each bad line', async () => {
    const results = await batch([
      '{"received": "2026-12-18T15:00:00Z", "days": 10, "unit": "business"}',
      'not json',
      '{"received": "yesterday", "days": 0}',
      '',
      '{"received": "2026-12-04T15:00:00Z", "days": 20, "unit": "calendar"}',
      '{"received": "2026-12-04T15:00:00Z", "days": 20, "unit": "fortnights"}',
      '{"received": "2026-12-04T15:00:00Z", "days": 20, "color": "blue"}',
    ]);
    expect(results).toHaveLength(7);
    expect(results[0]).toMatchObject({ dueDate: '2027-01-11', dueAt: '2027-01-12T04:59:59.999Z' });
    expect(results[1]).toEqual({ error: 'not valid JSON' });
    expect((results[2] as { error: string }).error).toMatch(/^received: .*; days: must be at least 1$/);
    expect(results[3]).toEqual({ error: 'empty line' });
    expect(results[4]).toMatchObject({ dueDate: '2026-12-29', proof: { rolledForwardFrom: '2026-12-24' } });
    expect((results[5] as { error: string }).error).toMatch(/^unit: expected one of/);
    expect(results[6]).toEqual({ error: 'unknown field(s): color' });
  });

  it('agrees with the independent implementation on 2,000 random receipts 2025–2030', async () => {
    let seed = 20261126;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2030-12-31T00:00:00Z');
    const requests = Array.from({ length: 2000 }, () => ({
      received: new Date(from + Math.floor(random() * (to - from))).toISOString(),
      days: 1 + Math.floor(random() * 30),
      unit: random() < 0.75 ? ('business' as const) : ('calendar' as const),
    }));
    const results = (await batch(requests.map((r) => JSON.stringify(r)))) as {
      dueDate: string;
      dueAt: string;
    }[];
    const mismatches = requests.filter((r, i) => {
      const expected = oracleDeadline(r.received, r.days, r.unit);
      return results[i]?.dueDate !== expected.dueDate || results[i]?.dueAt !== expected.dueAt;
    });
    expect(mismatches).toEqual([]);
  });
});

describe('the jalon command', () => {
  it('prints one JSON object with dueDate, dueAt and proof', async () => {
    const { stdout } = await run(process.execPath, [
      BIN,
      'deadline',
      '--received',
      '2026-12-18T15:00:00Z',
      '--days',
      '10',
    ]);
    const result = JSON.parse(stdout) as {
      dueDate: string;
      dueAt: string;
      proof: { explanation: { fr: string } };
    };
    expect(result.dueDate).toBe('2027-01-11');
    expect(result.dueAt).toBe('2027-01-12T04:59:59.999Z');
    expect(result.proof.explanation.fr).toContain('lundi 11 janvier 2027');
  });

  it('exits with a clear error for a bad instant', async () => {
    await expect(
      run(process.execPath, [BIN, 'deadline', '--received', '2026-12-18', '--days', '10']),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('received: expected an ISO-8601 instant') as unknown,
    });
  });

  it('lists the observed holidays of a year in French', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'holidays', '2027']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toBe(
      '2027-01-04  lundi 4 janvier 2027          Lendemain du jour de l’An (jour chômé) — tombe le samedi 2 janvier 2027',
    );
  });
});
