import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Counts the HTTP requests this process sends to each local server (dynalite, the SES emulator, s3rver, the
 * local API), by the port of their `Host` header, and the connections they went on, through Node's
 * `http.client.*` diagnostics channels: nothing in the stack changes. Counted on the client's side because
 * dynalite serves on its own thread (`startDynaliteServer`), whose server this thread's channels do not see; every
 * request to the stack's servers comes from its SDK clients and the bench's own, in this process.
 */
export class RequestCounter {
  readonly #counts = new Map<number, number>();
  readonly #connections = new Map<number, number>();
  readonly #onStart = (message: unknown) => {
    const port = portOf((message as { request: ClientRequest }).request);
    if (port !== undefined) this.#counts.set(port, (this.#counts.get(port) ?? 0) + 1);
  };
  readonly #onResponse = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const port = portOf(request);
    // Known once the request had its socket: a kept-alive connection counts once, at its first request.
    if (port !== undefined && !request.reusedSocket)
      this.#connections.set(port, (this.#connections.get(port) ?? 0) + 1);
  };

  constructor() {
    subscribe('http.client.request.start', this.#onStart);
    subscribe('http.client.response.finish', this.#onResponse);
  }

  /** Requests sent to `port` since the counter started or was last reset. */
  count(port: number): number {
    return this.#counts.get(port) ?? 0;
  }

  /** Connections that carried at least one of those requests, counted at their first answered request. */
  connections(port: number): number {
    return this.#connections.get(port) ?? 0;
  }

  reset(): void {
    this.#counts.clear();
    this.#connections.clear();
  }

  stop(): void {
    unsubscribe('http.client.request.start', this.#onStart);
    unsubscribe('http.client.response.finish', this.#onResponse);
  }
}

function portOf(request: ClientRequest): number | undefined {
  const port = /:(\d+)$/.exec(String(request.getHeader('host') ?? ''))?.[1];
  return port === undefined ? undefined : Number(port);
}
