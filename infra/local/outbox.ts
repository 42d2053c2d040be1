import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * Every message sent through the SES emulator, read from its in-process store (not over HTTP, so reading it
 * never creates timers under the virtual clock). The store lives in module state and is lost with the process,
 * so with a data folder it is saved to `outbox.json` on stop and loaded back at start: after a restart the
 * outbox still shows what was sent before, which is what makes "nothing sent twice" visible.
 */
export class Outbox {
  readonly #file: string | undefined;

  constructor(file?: string) {
    this.#file = file;
  }

  /** Empties the emulator's store, then reloads the saved outbox (if any). Call before anything is sent. */
  restore(): void {
    clearStore();
    if (this.#file === undefined) return;
    let saved: Email[];
    try {
      saved = JSON.parse(readFileSync(this.#file, 'utf8')) as Email[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    getStoreReadonly().emails.push(...saved);
  }

  /** Writes the store to the data folder (atomically: a crash mid-write keeps the previous file). */
  save(): void {
    if (this.#file === undefined) return;
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(getStoreReadonly().emails), { mode: 0o600 });
    renameSync(temporary, this.#file);
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
