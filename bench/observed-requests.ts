import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

import { DYNALITE_PORT_CHANNELS } from '../infra/local/dynalite-port';
import type { PortRequestMessage } from '../infra/local/dynalite-port';

/** A request this process sent to one of the local stack's servers, as it starts. */
export interface ObservedRequest {
  /** The same object at the start and at the end of one request. */
  readonly key: object;
  /** The port of the server it went to (for a request over dynalite's port, that of dynalite's HTTP server). */
  readonly port: number;
  /** Its `x-amz-target` header, `''` when it has none. */
  readonly target: string;
  readonly method: string;
  /** Its `authorization` header, `''` when unsigned. */
  readonly authorization: string;
  /** The bytes of its body. */
  readonly sentBytes: number;
}

/** The same request, as it ends. */
export interface FinishedRequest {
  readonly key: object;
  readonly port: number;
  /** The bytes of the response's body (0 when the server set no `content-length`). */
  readonly receivedBytes: number;
  /** It opened a connection (the first request on it): never for a request over dynalite's port. */
  readonly newConnection: boolean;
}

/**
 * Watches the requests this process sends to the local servers: over HTTP through Node's `http.client.*`
 * diagnostics channels, and the DynamoDB client's requests over dynalite's port through its own
 * (`DYNALITE_PORT_CHANNELS`). Both publish in the sender's asynchronous context. Returns the function that stops.
 */
export function observeRequests(on: {
  readonly start?: (request: ObservedRequest) => void;
  readonly finish?: (request: FinishedRequest) => void;
}): () => void {
  const onHttpStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    on.start?.({
      key: request,
      port: portOf(request),
      target: header(request, 'x-amz-target') ?? '',
      method: request.method,
      authorization: header(request, 'authorization') ?? '',
      sentBytes: Number(header(request, 'content-length') ?? 0),
    });
  };
  const onHttpFinish = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    on.finish?.({
      key: request,
      port: portOf(request),
      receivedBytes: Number(response.headers['content-length'] ?? 0),
      newConnection: !request.reusedSocket,
    });
  };
  // A request over the port publishes what is observed of it already: it is its own key.
  const onPortStart = (message: unknown) => {
    const request = message as PortRequestMessage;
    on.start?.({ ...request, key: request });
  };
  const onPortFinish = (message: unknown) => {
    const request = message as PortRequestMessage;
    on.finish?.({ ...request, key: request, newConnection: false });
  };
  subscribe('http.client.request.start', onHttpStart);
  subscribe('http.client.response.finish', onHttpFinish);
  subscribe(DYNALITE_PORT_CHANNELS.start, onPortStart);
  subscribe(DYNALITE_PORT_CHANNELS.finish, onPortFinish);
  return () => {
    unsubscribe('http.client.request.start', onHttpStart);
    unsubscribe('http.client.response.finish', onHttpFinish);
    unsubscribe(DYNALITE_PORT_CHANNELS.start, onPortStart);
    unsubscribe(DYNALITE_PORT_CHANNELS.finish, onPortFinish);
  };
}

function header(request: ClientRequest, name: string): string | undefined {
  const value = request.getHeader(name);
  return value === undefined ? undefined : String(value);
}

/** The port of the `Host` header (NaN without one). */
function portOf(request: ClientRequest): number {
  return Number(/:(\d+)$/.exec(header(request, 'host') ?? '')?.[1]);
}
