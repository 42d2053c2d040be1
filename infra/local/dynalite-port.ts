import { channel } from 'node:diagnostics_channel';
import type { MessagePort } from 'node:worker_threads';

import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** The part of the SDK's `HttpRequest` (`@smithy/protocol-http`) the handler reads. */
interface SdkRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | (string | null)[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** The part of the SDK's abort signal the handler reads (native, or the SDK's own with `onabort`). */
interface SdkAbortSignal {
  readonly aborted: boolean;
  addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

/** What the SDK's handler returns: `{ response }`, an `HttpResponse`, which the SDK recognises by its shape. */
interface SdkHandled {
  readonly response: {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    readonly body: Uint8Array;
  };
}

/** A request as `dynalite-worker.mjs` reads it from the port. */
interface PortRequest {
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the worker answers: dynalite's response, an error of its listener, or a refusal once it is stopping. */
type PortReply =
  | {
      readonly id: number;
      readonly statusCode: number;
      readonly headers: Record<string, string>;
      readonly body: string;
    }
  | { readonly id: number; readonly error: string }
  | { readonly id: number; readonly refused: true };

/**
 * What a request through the port publishes on `DYNALITE_PORT_CHANNELS`: the port of dynalite's HTTP server (the
 * endpoint the same request would have gone to), a few of its headers and the bytes of its body, and at its end
 * the bytes of the response's body. The same object is published at its start and at its end, in the sender's
 * asynchronous context, as Node's `http.client.*` channels publish a request.
 */
export interface PortRequestMessage {
  readonly port: number;
  /** The `x-amz-target` header. */
  readonly target: string;
  readonly method: string;
  /** The `authorization` header. */
  readonly authorization: string;
  readonly sentBytes: number;
  /** Set when it ends: 0 for a request that failed. */
  receivedBytes: number;
}

/**
 * Where the requests through the port are published, for the bench's counters: Node's `http.client.*` channels do
 * not see them.
 */
export const DYNALITE_PORT_CHANNELS = {
  start: 'jalon.local.dynalite.request.start',
  finish: 'jalon.local.dynalite.request.finish',
} as const;

const started = channel(DYNALITE_PORT_CHANNELS.start);
const finished = channel(DYNALITE_PORT_CHANNELS.finish);

/**
 * The local stack's DynamoDB client's request handler: the HTTP request the SDK built (method, path, signed
 * headers, body) goes to dynalite's worker thread over a `MessagePort`, where dynalite's own request listener
 * answers it (`dynalite-worker.mjs`), instead of over a loopback TCP connection. Everything of the SDK client runs
 * as before (serialisation, signing, retries, deserialisation of the response dynalite wrote); what is left out is
 * the socket and Node's HTTP parsing on both sides, a third of each request's time (`docs/write-path.md`, "The
 * stack's DynamoDB client over a port"). Arms no timer (the virtual clock fakes them).
 *
 * Once the worker is stopping, or the port closed, a request fails as a refused connection does over HTTP
 * (`ECONNREFUSED`, which the SDK retries and then reports); requests in flight are answered first.
 */
export class DynalitePortHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #pending = new Map<number, (reply: PortReply | undefined) => void>();
  #next = 0;
  #closed = false;

  constructor(
    private readonly port: MessagePort,
    /** The port of dynalite's HTTP server, published with each request. */
    private readonly serverPort: number,
  ) {
    port.on('message', (reply: PortReply) => this.#take(reply.id)?.(reply));
    port.on('close', () => this.#close());
    port.unref();
  }

  async handle(request: SdkRequest, options?: { abortSignal?: SdkAbortSignal }): Promise<SdkHandled> {
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const text = textOf(request.body);
    const message: PortRequestMessage = {
      port: this.serverPort,
      target: headers['x-amz-target'] ?? '',
      method: request.method,
      authorization: headers.authorization ?? '',
      sentBytes: Buffer.byteLength(text, 'utf8'),
      receivedBytes: 0,
    };
    started.publish(message);
    try {
      const handled = await this.#send(
        { id: this.#next++, method: request.method, url: urlOf(request), headers, body: text },
        options?.abortSignal,
      );
      message.receivedBytes = handled.response.body.byteLength;
      return handled;
    } finally {
      finished.publish(message);
    }
  }

  async #send(sent: PortRequest, abortSignal: SdkAbortSignal | undefined): Promise<SdkHandled> {
    if (abortSignal?.aborted === true) throw abortError();
    if (this.#closed) throw refused(this.serverPort);
    const { id } = sent;
    const reply = await new Promise<PortReply | undefined>((resolve, reject) => {
      const onAbort = () => {
        this.#take(id);
        reject(abortError());
      };
      abortSignal?.addEventListener?.('abort', onAbort, { once: true });
      this.#pending.set(id, (answered) => {
        abortSignal?.removeEventListener?.('abort', onAbort);
        resolve(answered);
      });
      this.port.ref();
      this.port.postMessage(sent);
    });
    if (reply === undefined || 'refused' in reply) throw refused(this.serverPort);
    if ('error' in reply) throw new Error(`dynalite failed on the request: ${reply.error}`);
    return {
      response: {
        statusCode: reply.statusCode,
        headers: reply.headers,
        body: Buffer.from(reply.body, 'utf8'),
      },
    };
  }

  /**
   * The waiting request `id` leaves the pending ones (answered or aborted); the port stops holding the process
   * open once none is left.
   */
  #take(id: number): ((reply: PortReply | undefined) => void) | undefined {
    const settle = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.port.unref();
    return settle;
  }

  /** The requests still waiting fail as refused; later ones too. */
  #close(): void {
    this.#closed = true;
    for (const settle of this.#pending.values()) settle(undefined);
    this.#pending.clear();
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}

  /**
   * The handler as a DynamoDB client's `requestHandler` option: the SDK's type names its own `HttpRequest` class,
   * of which the handler reads the fields above.
   */
  asRequestHandler(): DynamoDBClientConfig['requestHandler'] {
    return this as unknown as DynamoDBClientConfig['requestHandler'];
  }
}

/**
 * The request's body as text. The SDK's JSON body is a `Uint8Array` whose `valueOf` gives its text with a warning
 * (`JsonBytesStringAdapter`), which `Buffer.from(body)` would call: its bytes are read through a view instead.
 */
function textOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

function urlOf(request: SdkRequest): string {
  const query = Object.entries(request.query ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === null ? [null] : [value]).map((one) =>
      one === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(one)}`,
    ),
  );
  return query.length > 0 ? `${request.path}?${query.join('&')}` : request.path;
}

function abortError(): Error {
  const error = new Error('Request aborted');
  error.name = 'AbortError';
  return error;
}

/** As a refused connection is over HTTP: an error the SDK takes for a transient one and retries. */
function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port} (dynalite's worker is stopped)`), {
    code: 'ECONNREFUSED',
  });
}
