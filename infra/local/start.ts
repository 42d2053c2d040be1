import { Command, InvalidArgumentError } from 'commander';

import { startLocalStack } from './local-stack';
import type { LocalStack } from './local-stack';

/**
 * `npm start`: the whole of Jalon on this machine (see `startLocalStack`). Ctrl-C (SIGINT) or SIGTERM stops
 * everything cleanly; a second signal exits at once.
 */
function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError('expected a port number.');
  return Number(value);
}

function instant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected an ISO-8601 instant, e.g. 2026-12-18T15:00:00Z.');
  }
  return value;
}

function envPort(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  try {
    return port(value);
  } catch {
    throw new Error(`${name} must be a port number.`);
  }
}

interface StartOptions {
  memory?: boolean;
  virtualClock?: boolean | string;
  port: number;
  smtpPort: number;
  quiet?: boolean;
  dataDir?: string;
}

async function main(argv: readonly string[]): Promise<void> {
  // Node 20 is this project's engine; the SDK's notice about its future Node 22 floor would only confuse a newcomer.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const program = new Command()
    .name('npm start --')
    .description('Run Jalon locally: emulators, workflow engine, APIs, SMTP intake, outbox.')
    .option(
      '--memory',
      'keep nothing: data in memory (default: on disk under .jalon/ at the repository root)',
    )
    .option(
      '--virtual-clock [instant]',
      'run on a virtual clock (optionally starting at an ISO instant)',
      instant,
    )
    .option('--port <port>', 'HTTP port (env PORT)', port, envPort('PORT', 3000))
    .option('--smtp-port <port>', 'SMTP intake port (env SMTP_PORT)', port, envPort('SMTP_PORT', 2525))
    .option('--data-dir <path>', 'data folder (default .jalon/ at the repository root)')
    .option('--quiet', 'print no banner and no case events')
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<StartOptions>();

  const stack: LocalStack = await startLocalStack({
    memory: options.memory === true,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.virtualClock !== undefined ? { virtualClock: options.virtualClock } : {}),
    port: options.port,
    smtpPort: options.smtpPort,
    quiet: options.quiet === true,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting without a clean stop.\n`);
      process.exit(1);
    }
    stopping = true;
    if (options.quiet !== true) process.stdout.write(`\n${signal}: stopping Jalon…\n`);
    stack.stop().then(
      () => {
        if (options.quiet !== true) process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`jalon: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
