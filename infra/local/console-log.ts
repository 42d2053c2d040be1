/** Identifiers, codes and counts only: callers never pass names, addresses, subjects or bodies. */
export type LogFields = Record<string, unknown>;

/**
 * What the local stack prints: the banner and one line per case event on stdout (silenced by `--quiet`),
 * structured `key=value` diagnostics on stderr (warnings and errors always, info unless quiet). It also serves
 * as the staff API's `ApiLogger`.
 */
export interface LocalConsole {
  /** Human-facing output (the banner, case events). */
  print(line: string): void;
  info(message: string, ...fields: LogFields[]): void;
  warn(message: string, ...fields: LogFields[]): void;
  error(message: string, ...fields: LogFields[]): void;
}

export interface LocalConsoleOptions {
  readonly quiet?: boolean;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

export function createLocalConsole(options: LocalConsoleOptions = {}): LocalConsole {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const quiet = options.quiet === true;
  const line = (level: string, message: string, fields: LogFields[]) => {
    const merged = Object.assign({}, ...fields) as LogFields;
    const pairs = Object.entries(merged)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`);
    return `${[`[${level}]`, message, ...pairs].join(' ')}\n`;
  };
  return {
    print: (text) => {
      if (!quiet) stdout(`${text}\n`);
    },
    info: (message, ...fields) => {
      if (!quiet) stderr(line('info', message, fields));
    },
    warn: (message, ...fields) => stderr(line('warn', message, fields)),
    error: (message, ...fields) => stderr(line('error', message, fields)),
  };
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}
