import { observeRequests } from './observed-requests';

/**
 * Counts the requests this process sends to each local server (dynalite, the SES emulator, s3rver, the local
 * API), by port, and the connections they went on (`observeRequests`: Node's `http.client.*` diagnostics channels,
 * and those of the DynamoDB client's requests over dynalite's port, which open no connection): nothing in the stack
 * changes. Counted on the client's side because dynalite serves on its own thread (`startDynaliteServer`), whose
 * server this thread's channels do not see; every request to the stack's servers comes from its SDK clients and
 * the bench's own, in this process.
 */
export class RequestCounter {
  readonly #counts = new Map<number, number>();
  readonly #connections = new Map<number, number>();
  readonly #stop = observeRequests({
    start: ({ port }) => {
      if (!Number.isNaN(port)) this.#counts.set(port, (this.#counts.get(port) ?? 0) + 1);
    },
    // Known once the request had its socket: a kept-alive connection counts once, at its first request.
    finish: ({ port, newConnection }) => {
      if (!Number.isNaN(port) && newConnection)
        this.#connections.set(port, (this.#connections.get(port) ?? 0) + 1);
    },
  });

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
    this.#stop();
  }
}
