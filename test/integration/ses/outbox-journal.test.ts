import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';

import { Outbox } from '../../../infra/local/outbox';
import { startSesEmulator } from '../../support/ses-emulator';
import type { SesEmulator } from '../../support/ses-emulator';

/**
 * The local outbox survives a `kill -9`: each message the SES emulator accepts is on disk before its SES
 * response returns, so nothing depends on a clean stop. A crash is simulated by never closing the outbox and
 * loading the same file again, as a restarted stack does.
 */
let ses: SesEmulator;
let client: SESv2Client;
let dir: string;
let outbox: Outbox | undefined;

beforeAll(async () => {
  ses = await startSesEmulator();
  client = ses.createClient({ maxAttempts: 1 });
});

afterAll(async () => {
  await ses.stop();
});

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jalon-outbox-'));
});

afterEach(() => {
  outbox?.close();
  outbox = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function send(subject: string): Promise<string> {
  const { MessageId } = await client.send(
    new SendEmailCommand({
      FromEmailAddress: 'no-reply@sct.example',
      Destination: { ToAddresses: ['marie@example.com'] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'Bonjour.' } } } },
    }),
  );
  if (MessageId === undefined) throw new Error('SES gave no message id');
  return MessageId;
}

function onDisk(file: string): { messageId: string; subject: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { messageId: string; subject: string });
}

describe('local outbox journal', () => {
  it('has each accepted message on disk when the SES response returns, and loads them back after a crash', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    outbox = new Outbox(file);
    outbox.restore();

    const first = await send('Réception de votre demande – SCT-2026-00001');
    const afterFirst = onDisk(file);
    const second = await send('Accusé de réception – SCT-2026-00001');

    expect(afterFirst.map((email) => email.messageId)).toEqual([first]);
    expect(onDisk(file).map((email) => email.messageId)).toEqual([first, second]);
    // No close, no save: the process "dies" here. A new run loads what was on disk.
    const restarted = new Outbox(file);
    restarted.restore();
    outbox = restarted;
    expect(restarted.messages().map((message) => [message.id, message.subject])).toEqual([
      [first, 'Réception de votre demande – SCT-2026-00001'],
      [second, 'Accusé de réception – SCT-2026-00001'],
    ]);
    const third = await send('Rappel');
    expect(onDisk(file).map((email) => email.messageId)).toEqual([first, second, third]);
  });

  it('drops a line cut short by a crash mid-write, so the next message starts on its own line', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    outbox = new Outbox(file);
    outbox.restore();
    const kept = await send('Complet');
    outbox.close();
    appendFileSync(file, '{"messageId":"cut-sh');

    outbox = new Outbox(file);
    outbox.restore();
    const next = await send('Après le redémarrage');

    expect(outbox.messages().map((message) => message.id)).toEqual([kept, next]);
    expect(onDisk(file).map((email) => email.messageId)).toEqual([kept, next]);
  });

  it('takes over the outbox.json an older stack saved on stop', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    outbox = new Outbox(file);
    outbox.restore();
    const old = await send('Ancien');
    const saved = outbox.messages();
    outbox.close();
    rmSync(file);
    writeFileSync(path.join(dir, 'outbox.json'), JSON.stringify(onDiskOf(saved, old)));

    outbox = new Outbox(file);
    outbox.restore();

    expect(outbox.messages().map((message) => message.id)).toEqual([old]);
    expect(onDisk(file).map((email) => email.messageId)).toEqual([old]);
    expect(existsSync(path.join(dir, 'outbox.json'))).toBe(false);
  });
});

/** The emulator's own record of the one message `saved` shows (the shape an older stack wrote). */
function onDiskOf(saved: ReturnType<Outbox['messages']>, id: string): unknown[] {
  return saved
    .filter((message) => message.id === id)
    .map((message) => ({
      messageId: message.id,
      from: message.from,
      replyTo: message.replyTo,
      destination: { to: message.to, cc: [], bcc: [] },
      subject: message.subject,
      body: { text: message.text },
      attachments: [],
      at: Date.parse(message.sentAt) / 1000,
    }));
}
