import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm start` as a newcomer runs it (the same entry point, from another working directory, on free ports),
 * driven by `npx jalon clock`, then stopped with Ctrl-C (SIGINT): it must stop cleanly and exit 0.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let child: ChildProcessWithoutNullStreams | undefined;
let stdout = '';
let stderr = '';

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not seen in time: ${pattern}\n${stdout}\n${stderr}`)),
      timeoutMs,
    );
    const check = () => {
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child?.stdout.off('data', check);
        resolve(match);
      }
    };
    child?.stdout.on('data', check);
    check();
  });
}

async function jalon(...args: string[]): Promise<string> {
  const { stdout: out } = await run(process.execPath, [path.join(ROOT, 'bin', 'jalon.cjs'), ...args], {
    cwd: os.tmpdir(),
  });
  return out.trim();
}

it('starts, answers /healthz, moves its virtual clock from the CLI, and stops cleanly on Ctrl-C', async () => {
  child = spawn(
    TSX,
    [
      path.join(ROOT, 'infra', 'local', 'start.ts'),
      '--memory',
      '--virtual-clock=2026-12-18T15:00:00Z',
      '--port',
      '0',
      '--smtp-port',
      '0',
    ],
    { cwd: os.tmpdir(), env: { ...process.env, PORT: '', SMTP_PORT: '' } },
  );
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));

  const [, base] = await waitFor(/Jalon is running locally at (http:\/\/127\.0\.0\.1:\d+)\//, 30_000);
  const health = await fetch(`${base}/healthz`);
  const advanced = await jalon('clock', 'advance', '3d', '--url', base as string);
  const shown = await jalon('clock', '--url', base as string);
  child.kill('SIGINT');
  const code = await exited;

  expect(health.status).toBe(200);
  expect(stdout).toContain('Data              in memory');
  expect(stdout).toContain('Clock             virtual, now 2026-12-18T15:00:00.000Z');
  expect(advanced).toBe('2026-12-21T15:00:00.000Z');
  expect(shown).toBe('2026-12-21T15:00:00.000Z (virtual)');
  expect(stdout).toContain('Stopped.');
  expect(code).toBe(0);
  expect(stderr).not.toContain('NodeVersionSupportWarning');
}, 60_000);
