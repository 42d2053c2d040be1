import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** tsx's loader, for `node --import` (one process, nothing between the test and the child). */
export const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** `npm start` in a child process, as a newcomer runs it, with what it printed so far. */
export interface SpawnedStack {
  /** `http://127.0.0.1:<port>`, read from the banner. */
  readonly base: string;
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (Ctrl-C by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * A crash: SIGKILL to the stack's whole process group (with `ownProcessGroup`; to the child otherwise).
   * Resolves once the child is gone.
   */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /**
   * Runs the stack as the leader of its own process group, in one process (`node --import tsx`, no tsx
   * wrapper whose orphaned child nobody might reap), so that `kill` ends all of it at once, as `kill -9 -<pgid>`.
   */
  readonly ownProcessGroup?: boolean;
}

/**
 * Starts `infra/local/start.ts` (what `npm start` runs) from another working directory, with `args` after
 * `--memory`-style options, on free ports unless `args` say otherwise, and waits for its banner. The stack
 * then runs its own clock in its own process: the test's timers stay real (a browser driver needs them).
 */
export async function spawnLocalStack(
  args: readonly string[],
  timeoutMs = 30_000,
  options: SpawnOptions = {},
): Promise<SpawnedStack> {
  const entry = path.join(ROOT, 'infra', 'local', 'start.ts');
  const child =
    options.ownProcessGroup === true
      ? spawn(process.execPath, ['--import', TSX_LOADER, entry, ...args], {
          cwd: os.tmpdir(),
          env: { ...process.env, PORT: '', SMTP_PORT: '' },
          detached: true,
        })
      : spawn(TSX, [entry, ...args], {
          cwd: os.tmpdir(),
          env: { ...process.env, PORT: '', SMTP_PORT: '' },
        });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const pattern = /Jalon is running locally at (http:\/\/127\.0\.0\.1:\d+)\//;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local stack not started in time\n${stdout}\n${stderr}`));
    }, timeoutMs);
    const check = () => {
      const match = pattern.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}\n${stdout}\n${stderr}`));
    });
    check();
  });

  return {
    base: banner[1] as string,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (options.ownProcessGroup === true && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
      await exited;
    },
  };
}
