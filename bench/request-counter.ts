import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Counts the HTTP requests each in-process server receives (dynalite, the SES emulator, the local API), by
 * listening port, through Node's `http.server.request.start` diagnostics channel: nothing in the stack changes.
 */
export class RequestCounter {
  readonly #counts = new Map<number, number>();
  readonly #listener = (message: unknown) => {
    const { server } = message as { server: Server; request: IncomingMessage };
    const port = (server.address() as AddressInfo | null)?.port;
    if (port !== undefined) this.#counts.set(port, (this.#counts.get(port) ?? 0) + 1);
  };

  constructor() {
    subscribe('http.server.request.start', this.#listener);
  }

  /** Requests received on `port` since the counter started or was last reset. */
  count(port: number): number {
    return this.#counts.get(port) ?? 0;
  }

  reset(): void {
    this.#counts.clear();
  }

  stop(): void {
    unsubscribe('http.server.request.start', this.#listener);
  }
}
