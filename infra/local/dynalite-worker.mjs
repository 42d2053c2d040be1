// dynalite on a worker thread (`startDynaliteServer`, emulators.ts): the server of the local stack's DynamoDB
// endpoint, apart from the thread that runs the functions and their SDK clients. Plain JavaScript, so that it
// loads as it is under `tsx`, jest and node alike.
//
// Two ways in, to the same dynalite: its HTTP port (any client, the CLI included), and a `MessagePort` on which
// the stack's own SDK client sends the HTTP requests it built (`DynalitePortHandler`, dynalite-port.ts). Those
// are handed to dynalite's own request listener, as its HTTP server hands a parsed request.
import { EventEmitter } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';

import dynalite from 'dynalite';

const server = dynalite(workerData.options);
const [listener] = server.listeners('request');
// A failed listen (or any error of the server) ends the worker with that error, which the main thread reports.
server.on('error', (error) => {
  throw error;
});
server.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ listening: server.address().port });
});

/** Requests from the port not answered yet: the stop waits for them. */
let inFlight = 0;
let stopping = false;
let drained = () => {};

/**
 * One request from the port through dynalite's listener: a request it reads as its HTTP server's (method, URL,
 * lower-case headers, the body as data then end), and a response that collects what it sets and sends back.
 */
function serve({ id, method, url, headers, body }) {
  if (stopping) {
    port.postMessage({ id, refused: true });
    return;
  }
  inFlight += 1;
  const request = new EventEmitter();
  request.method = method;
  request.url = url;
  request.headers = headers;
  const responseHeaders = {};
  let answered = false;
  const answer = (message) => {
    if (answered) return;
    answered = true;
    port.postMessage(message);
    inFlight -= 1;
    if (inFlight === 0) drained();
  };
  const response = {
    statusCode: 200,
    setHeader(name, value) {
      responseHeaders[name.toLowerCase()] = String(value);
    },
    end(data) {
      answer({
        id,
        statusCode: response.statusCode,
        headers: responseHeaders,
        body: data === undefined ? '' : String(data),
      });
    },
  };
  try {
    listener(request, response);
    if (body.length > 0) request.emit('data', Buffer.from(body));
    request.emit('end');
  } catch (error) {
    answer({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The stop comes on the port, after the requests the main thread sent before it: they are answered, later ones
 * refused. Closing the server closes its LevelDB store once its own operations in flight are done.
 */
function stop() {
  stopping = true;
  const portsDrained = inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve));
  void portsDrained.then(() => {
    port.close();
    server.closeAllConnections();
    server.close((error) => {
      if (error) throw error;
      parentPort.postMessage({ stopped: true });
      parentPort.close();
    });
  });
}

const { port } = workerData;
port.on('message', (message) => (message === 'stop' ? stop() : serve(message)));
