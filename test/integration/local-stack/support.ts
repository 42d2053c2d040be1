import { connect } from 'node:net';

import type { OutboxMessage } from '../../../infra/local/outbox';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';

/** A small client of the local stack's HTTP routes, as a newcomer would call them. */
export function client(base: string) {
  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(new URL(path, base), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: json as Record<string, unknown>,
    };
  }
  return {
    request,
    async login(role: string): Promise<string> {
      const response = await request('POST', '/api/local/login', { role });
      if (response.status !== 200) throw new Error(`login answered ${response.status}`);
      return response.json['token'] as string;
    },
    async outbox(): Promise<OutboxMessage[]> {
      return (await request('GET', '/api/local/outbox')).json['messages'] as OutboxMessage[];
    },
    /** Moves the virtual clock (`PT0S` just waits until the stack is idle). */
    async clock(move: { advance: string } | { to: string }): Promise<string> {
      const response = await request('POST', '/api/local/clock', move);
      if (response.status !== 200) throw new Error(`clock answered ${response.status}: ${response.text}`);
      return response.json['now'] as string;
    },
    /** Registers a letter through the staff API, as a clerk would. */
    async registerLetter(token: string, key: string, receivedAt: string) {
      const response = await request(
        'POST',
        '/api/staff/intake',
        {
          channel: 'mail',
          category: 'statistics',
          requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
          subject: 'Effectif de la fonction publique 2025',
          body: 'Bonjour, je souhaite obtenir les statistiques.',
          receivedAt,
          evidence: { kind: 'postmark', reference: 'scan-0001' },
        },
        { authorization: `Bearer ${token}`, 'idempotency-key': key },
      );
      if (response.status !== 201) throw new Error(`intake answered ${response.status}: ${response.text}`);
      return response.json as { caseId: string; reference: string };
    },
  };
}

/** Sends one message over SMTP (plain, no auth), reading each reply before the next command. */
export function sendSmtp(port: number, from: string, to: string, message: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    const commands = [
      'EHLO test.example',
      `MAIL FROM:<${from}>`,
      `RCPT TO:<${to}>`,
      'DATA',
      `${message.replace(/\r?\n/g, '\r\n')}\r\n.`,
      'QUIT',
    ];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // A reply is complete at a line whose code is followed by a space (not a dash).
      const lines = buffer.split('\r\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!/^\d{3} /.test(line)) continue;
        replies.push(line);
        const next = commands.shift();
        if (next !== undefined) socket.write(`${next}\r\n`);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}

/** `to` + subject of each message, for compact assertions. */
export function summary(messages: readonly OutboxMessage[]): string[] {
  return messages.map((message) => `${message.to.join(',')} | ${message.subject}`);
}

/** Per message a case recorded as sent (`<recipient> <message id>`): the delivery reports recorded for it. */
export function deliveriesBySent(events: readonly LedgerEvent[]): Record<string, string[]> {
  const recipients = new Map<string, string>();
  const reports: Record<string, string[]> = {};
  for (const event of events) {
    if (event.type === 'message.sent') {
      recipients.set(event.data.messageId, event.data.recipient);
      reports[`${event.data.recipient} ${event.data.messageId}`] ??= [];
    }
    if (event.type === 'message.delivered') {
      const recipient = recipients.get(event.data.messageId) ?? event.data.recipient;
      (reports[`${recipient} ${event.data.messageId}`] ??= []).push(event.type);
    }
  }
  return reports;
}

/**
 * The deliveries a case keeps of the messages `deliveriesBySent` lists, in its order: one for a message to the
 * requester, none for a message to staff (`keptOnCase`).
 */
export function keptDeliveries(reports: Record<string, string[]>): string[][] {
  return Object.keys(reports).map((key) => (key.startsWith('requester ') ? ['message.delivered'] : []));
}
