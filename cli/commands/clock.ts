import { ClockRequestError, toIsoDuration } from '../../infra/local/clock-control';

/** Where `npm start` listens by default. */
export const DEFAULT_STACK_URL = 'http://127.0.0.1:3000';

/** The stack answered with an error, or could not be reached. */
export class ClockCommandError extends Error {
  override readonly name = 'ClockCommandError';
}

export interface ClockReading {
  readonly now: string;
  readonly virtual: boolean;
}

/** `GET /api/local/clock` of a running local stack. */
export async function readClock(baseUrl: string): Promise<ClockReading> {
  return (await call(baseUrl, 'GET')) as ClockReading;
}

/**
 * Moves the virtual clock of a running local stack by a duration (`3d`, `12h`, `P3D`…) or to an instant, and
 * resolves once the stack is idle again, with the new instant.
 */
export async function advanceClock(
  baseUrl: string,
  move: { readonly by?: string; readonly to?: string },
): Promise<string> {
  if ((move.by === undefined) === (move.to === undefined)) {
    throw new ClockCommandError('Give either a duration (3d, 12h, P3D) or --to <ISO instant>.');
  }
  let body: { advance: string } | { to: string };
  try {
    body = move.by !== undefined ? { advance: toIsoDuration(move.by) } : { to: move.to as string };
  } catch (error) {
    if (error instanceof ClockRequestError) throw new ClockCommandError(error.message);
    throw error;
  }
  const { now } = (await call(baseUrl, 'POST', body)) as { now: string };
  return now;
}

async function call(baseUrl: string, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  const url = new URL('/api/local/clock', baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
    });
  } catch {
    throw new ClockCommandError(
      `No local stack answers at ${baseUrl} (start it with: npm start -- --virtual-clock).`,
    );
  }
  const payload = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) {
    throw new ClockCommandError(payload.message ?? `The local stack answered ${response.status}.`);
  }
  return payload;
}
