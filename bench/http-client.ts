import { Agent, request } from 'node:http';

export interface JsonResponse {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/**
 * A keep-alive JSON client of the local stack on `node:http` (its socket timers are Node's internal ones, so
 * the virtual clock never sees them). One agent per client, at most `sockets` connections.
 */
export class JsonClient {
  readonly #base: URL;
  readonly #agent: Agent;

  constructor(base: string, sockets = 8) {
    this.#base = new URL(base);
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(
    method: string,
    path: string,
    body?: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, this.#base),
        {
          method,
          agent: this.#agent,
          headers: {
            ...(payload !== undefined
              ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
              : {}),
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              json = {};
            }
            resolve({ status: response.statusCode ?? 0, json, text });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Like `send`, but throws unless the status is one of `expected`. */
  async expect(
    expected: readonly number[],
    method: string,
    path: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<JsonResponse> {
    const response = await this.send(method, path, body, headers);
    if (!expected.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
    }
    return response;
  }

  close(): void {
    this.#agent.destroy();
  }
}
