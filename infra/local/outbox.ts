import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

import { clearStore, getStoreReadonly } from 'aws-ses-v2-local/dist/store';
import type { Email } from 'aws-ses-v2-local/dist/store';

/** One message as `GET /api/local/outbox` shows it. */
export interface OutboxMessage {
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** When SES accepted it, on the stack's clock (virtual under `--virtual-clock`). */
  readonly sentAt: string;
}

/**
 * The emulator's store module itself (its `exports` object, not an import namespace copy): its request
 * handlers call `store.saveEmail(…)` through it, so replacing that property sees every accepted message. A
 * plain `require`, not `createRequire`: under jest it is the instance the emulator loaded.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sesStore = require('aws-ses-v2-local/dist/store') as { saveEmail: (email: Email) => void };
const emulatorSaveEmail = sesStore.saveEmail;
/** Where each accepted message is appended, while an `Outbox` with a file is open. */
let journal: { fd: number } | undefined;
sesStore.saveEmail = (email) => {
  emulatorSaveEmail(email);
  // Synchronous, inside the emulator's request handler: on disk before the SES response is written.
  if (journal !== undefined) writeSync(journal.fd, `${JSON.stringify(email)}\n`);
};

/**
 * Every message sent through the SES emulator, read from its in-process store (not over HTTP, so reading it
 * never creates timers under the virtual clock). The store lives in module state and is lost with the process,
 * so with a data folder each message the emulator accepts is appended to `outbox.jsonl` (one JSON line per
 * message) before its SES response returns, and the file is loaded back at start: after a restart, even one
 * after `kill -9`, the outbox still shows everything sent before, which is what makes "nothing sent twice"
 * visible. One open outbox per process (the emulator's store is module state).
 */
export class Outbox {
  readonly #file: string | undefined;

  /** `file`: the journal (`…/outbox.jsonl`); a `outbox.json` beside it (older data folders) is taken over. */
  constructor(file?: string) {
    this.#file = file;
  }

  /**
   * Empties the emulator's store, reloads the saved outbox (if any) and opens the journal for appending. Call
   * before anything is sent, and `close` when the stack stops.
   */
  restore(): void {
    clearStore();
    this.close();
    if (this.#file === undefined) return;
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const { emails, rewrite } = readJournal(this.#file);
    const legacy = path.join(path.dirname(this.#file), 'outbox.json');
    const older = existsSync(legacy) ? (JSON.parse(readFileSync(legacy, 'utf8')) as Email[]) : [];
    const all = [...older, ...emails];
    if (rewrite || older.length > 0) {
      // Atomically: a crash here leaves either the previous journal or the complete new one.
      const temporary = `${this.#file}.tmp`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        for (const email of all) writeSync(fd, `${JSON.stringify(email)}\n`);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.#file);
      rmSync(legacy, { force: true });
    }
    getStoreReadonly().emails.push(...all);
    journal = { fd: openSync(this.#file, 'a', 0o600) };
  }

  /** Stops appending (the messages already accepted are on disk). */
  close(): void {
    if (journal === undefined) return;
    closeSync(journal.fd);
    journal = undefined;
  }

  /** Oldest first. */
  messages(): OutboxMessage[] {
    return getStoreReadonly().emails.map((email) => ({
      id: email.messageId,
      from: email.from,
      to: [...email.destination.to],
      replyTo: [...email.replyTo],
      subject: email.subject,
      text: email.body.text ?? '',
      html: email.body.html ?? '',
      sentAt: new Date(email.at * 1000).toISOString(),
    }));
  }
}

/**
 * The messages in a journal, and whether it must be rewritten: a line cut short by a crash in the middle of a
 * write (no final newline) is dropped, so that the next message starts on a line of its own.
 */
function readJournal(file: string): { emails: Email[]; rewrite: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { emails: [], rewrite: false };
    throw error;
  }
  const lines = text.split('\n');
  const tail = lines.pop();
  const emails = lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Email);
  return { emails, rewrite: tail !== undefined && tail !== '' };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The outbox as a mail client would show it: newest first, headers, the text part, and the HTML part in a
 * sandboxed frame (no scripts, no same-origin access), everything escaped. Local-only, so bilingual labels.
 */
export function renderOutboxPage(messages: readonly OutboxMessage[]): string {
  const items = [...messages]
    .reverse()
    .map(
      (message) => `<article class="message">
  <header>
    <h2>${escapeHtml(message.subject)}</h2>
    <dl>
      <dt>De / From</dt><dd>${escapeHtml(message.from)}</dd>
      <dt>À / To</dt><dd>${escapeHtml(message.to.join(', '))}</dd>
      ${message.replyTo.length > 0 ? `<dt>Répondre à / Reply-To</dt><dd>${escapeHtml(message.replyTo.join(', '))}</dd>` : ''}
      <dt>Envoyé / Sent</dt><dd><time datetime="${escapeHtml(message.sentAt)}">${escapeHtml(message.sentAt)}</time></dd>
    </dl>
  </header>
  <div class="parts">
    <section><h3>Texte / Text</h3><pre>${escapeHtml(message.text)}</pre></section>
    ${message.html === '' ? '' : `<section><h3>HTML</h3><iframe sandbox="" title="${escapeHtml(message.subject)}" srcdoc="${escapeHtml(message.html)}"></iframe></section>`}
  </div>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boîte d’envoi locale / Local outbox — Jalon</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1b1b1b; }
  .message { border: 1px solid #c5c5c5; border-radius: 4px; margin: 1rem 0; padding: 0.5rem 1rem; }
  .message h2 { font-size: 1.1rem; margin: 0.5rem 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; font-size: 0.9rem; }
  dt { font-weight: 600; }
  dd { margin: 0; overflow-wrap: anywhere; }
  .parts { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
  pre { white-space: pre-wrap; background: #f4f4f4; padding: 0.5rem; font-size: 0.85rem; }
  iframe { width: 100%; min-height: 20rem; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>Boîte d’envoi locale / Local outbox</h1>
<p>${messages.length} message(s). <a href="">Actualiser / Refresh</a> · <a href="/api/local/outbox">JSON</a></p>
${items === '' ? '<p>Aucun message envoyé. / No message sent yet.</p>' : items}
</body>
</html>
`;
}
