import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/** The part of s3rver's store the hook reads: whether an object is there. */
export interface S3rverObjects {
  existsObject(bucket: string, key: string): Promise<boolean>;
}

/**
 * Puts S3's conditional writes in front of s3rver, which ignores `If-None-Match` on a PUT (3.7.1 reads it on
 * GET only) and would replace an object a write-once store means to keep. As S3 does (user guide, "How to
 * prevent object overwrites with conditional writes"), a PUT of an object (PutObject, CopyObject's destination)
 * with `If-None-Match: *` is refused with 412 `PreconditionFailed` when the key holds an object, and stores it
 * otherwise. The conditional PUTs of one key run one after the other, each checking once the one before has
 * been answered, so of concurrent ones exactly one writes and the others get 412 (S3 may answer one of them 409
 * `ConditionalRequestConflict` instead; the local stack never does). A condition s3rver cannot honour is
 * refused with 501 `NotImplemented` rather than ignored: `If-None-Match` with another value than `*` (S3
 * accepts `*` only) and `If-Match` on a PUT. Unconditional PUTs, other requests and virtual-hosted-style ones
 * (the local clients address path-style) go to s3rver as they came. A refused request's signature is not
 * checked.
 *
 * Call it once s3rver listens (`run()`), before adding other request listeners.
 */
export function honourConditionalWrites(server: Server, objects: S3rverObjects): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const forward: RequestListener = (request, response) => {
    for (const handler of handlers) handler(request, response);
  };
  /** Per `bucket/key`: settles once the last conditional PUT queued for it has been answered. */
  const queues = new Map<string, Promise<void>>();

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const put = objectPut(request);
    if (put === undefined) {
      forward(request, response);
      return;
    }
    const ifNoneMatch = request.headers['if-none-match'];
    if (
      request.headers['if-match'] !== undefined ||
      (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*')
    ) {
      refuse(
        request,
        response,
        501,
        'NotImplemented',
        'The local S3 honours If-None-Match: * only on a PUT.',
      );
      return;
    }
    if (ifNoneMatch === undefined) {
      forward(request, response);
      return;
    }
    const id = `${put.bucket}/${put.key}`;
    const before = queues.get(id) ?? Promise.resolve();
    const answered = new Promise<void>((resolve) => response.once('close', resolve));
    const turn = before.then(() => answered);
    queues.set(id, turn);
    void turn.then(() => {
      if (queues.get(id) === turn) queues.delete(id);
    });
    void before
      .then(() => objects.existsObject(put.bucket, put.key))
      .then(
        (exists) => {
          if (!exists) forward(request, response);
          else
            refuse(request, response, 412, 'PreconditionFailed', PRECONDITION_FAILED, {
              Condition: 'If-None-Match',
            });
        },
        () => refuse(request, response, 500, 'InternalError', 'We encountered an internal error.'),
      );
  });
}

const PRECONDITION_FAILED = 'At least one of the pre-conditions you specified did not hold';

/** Bucket and key of a path-style PUT of an object (no subresource but the SDK's `x-id`), else `undefined`. */
function objectPut(request: IncomingMessage): { bucket: string; key: string } | undefined {
  if (request.method !== 'PUT' || request.url === undefined) return undefined;
  const url = new URL(request.url, 'http://local');
  if ([...url.searchParams.keys()].some((name) => name !== 'x-id')) return undefined;
  const hostname = (request.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (isIP(hostname) === 0 && hostname !== 'localhost') return undefined;
  const match = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (match === null) return undefined;
  return { bucket: decodeURIComponent(match[1]!), key: decodeURIComponent(match[2]!) };
}

/** Answers with S3's XML error, the request's body left unread (Node discards it after the response). */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  detail: Record<string, string> = {},
): void {
  request.resume();
  const fields = Object.entries({ Code: code, Message: message, ...detail })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`;
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
