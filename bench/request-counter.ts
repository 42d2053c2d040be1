import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Counts the HTTP requests each in-process server receives (dynalite, the SES emulator, the local API), by
 * listening port, and the connections they came on, through Node's `http.server.request.start` diagnostics
 * channel: nothing in the stack changes.
 */
export class RequestCounter {
  readonly #counts = new Map<number, number>();
  readonly #connections = new Map<number, number>();
  #sockets = new WeakSet<object>();
  readonly #listener = (message: unknown) => {
    const { server, request } = message as { server: Server; request: IncomingMessage };
    const port = (server.address() as AddressInfo | null)?.port;
    if (port === undefined) return;
    this.#counts.set(port, (this.#counts.get(port) ?? 0) + 1);
    if (!this.#sockets.has(request.socket)) {
      this.#sockets.add(request.socket);
      this.#connections.set(port, (this.#connections.get(port) ?? 0) + 1);
    }
  };

  constructor() {
    subscribe('http.server.request.start', this.#listener);
  }

  /** Requests received on `port` since the counter started or was last reset. */
  count(port: number): number {
    return this.#counts.get(port) ?? 0;
  }

  /** Connections that carried at least one of those requests (a kept-alive connection counts once). */
  connections(port: number): number {
    return this.#connections.get(port) ?? 0;
  }

  reset(): void {
    this.#counts.clear();
    this.#connections.clear();
    this.#sockets = new WeakSet<object>();
  }

  stop(): void {
    unsubscribe('http.server.request.start', this.#listener);
  }
}
