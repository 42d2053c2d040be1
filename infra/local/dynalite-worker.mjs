// dynalite on a worker thread (`startDynaliteServer`, emulators.ts): the server of the local stack's DynamoDB
// endpoint, apart from the thread that runs the functions and their SDK clients. Plain JavaScript, so that it
// loads as it is under `tsx`, jest and node alike.
import { parentPort, workerData } from 'node:worker_threads';

import dynalite from 'dynalite';

const server = dynalite(workerData.options);
// A failed listen (or any error of the server) ends the worker with that error, which the main thread reports.
server.on('error', (error) => {
  throw error;
});
server.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ listening: server.address().port });
});
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  // Closing the server closes its LevelDB store once the operations in flight are done.
  server.closeAllConnections();
  server.close((error) => {
    if (error) throw error;
    parentPort.postMessage({ stopped: true });
    parentPort.close();
  });
});
