import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SESv2Client } from '@aws-sdk/client-sesv2';
import startSesServer from 'aws-ses-v2-local';

/** One email as aws-ses-v2-local keeps it (`GET /store`). */
export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo: string[];
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  /** Epoch seconds. */
  readonly at: number;
}

export interface SesEmulator {
  /** `http://127.0.0.1:<port>`: the SES endpoint override and the base of `/store`. */
  readonly endpoint: string;
  /** A client bound to this emulator (region and dummy credentials set; no env read); destroyed by `stop`. */
  createClient(options?: { maxAttempts?: number }): SESv2Client;
  /** Every email sent so far, oldest first. */
  readStore(): Promise<StoredEmail[]>;
  /** Empties the store. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local in this process on 127.0.0.1 (free port). Start one per test file and stop it in
 * `afterAll`. The emulator keeps its store in module state, so two emulators in one jest module registry
 * share it: `clear()` between tests rather than starting another.
 */
export async function startSesEmulator(): Promise<SesEmulator> {
  const server: Server = await startSesServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: SESv2Client[] = [];

  return {
    endpoint,
    createClient(options = {}) {
      const client = new SESv2Client({
        endpoint,
        region: 'ca-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      });
      clients.push(client);
      return client;
    },
    async readStore() {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`GET /store answered ${response.status}`);
      const store = (await response.json()) as { emails: StoredEmail[] };
      return store.emails;
    },
    async clear() {
      const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /clear-store answered ${response.status}`);
    },
    async stop() {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
