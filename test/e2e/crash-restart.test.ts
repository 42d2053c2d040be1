import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

import type { OutboxMessage } from '../../infra/local/outbox';
import { eventsOfItem } from '../../shared/adapters/dynamodb/ledger-head';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../shared/adapters/s3';
import { S3LedgerMirrorReader } from '../../shared/adapters/s3/ledger-mirror-reader';
import { client } from '../integration/local-stack/support';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * A crash in the middle of a clock advance loses nothing and repeats nothing. The same scenario runs twice on
 * `npm start`'s entry point in a child process: 20 citizens send the form on Friday 18 December 2026, then the
 * virtual clock moves 25 days (reminders, escalations, the automatic acknowledgement at the deadline and the
 * director's messages). The second run, on a data folder, is killed with SIGKILL (the whole process group)
 * while the acknowledgement-deadline steps are executing, started again on the same folder, and its clock
 * moved on to the same instant. Both runs must end with the same messages per case (recipients and subject),
 * the same ledger events per case (type and idempotency key; SES's delivery reports by the message's recipient
 * and purpose), each message's delivery report once, every ledger event in the mirror, and a ledger whose hash
 * chains verify.
 */
const START = '2026-12-18T15:00:00Z';
const TARGET = '2027-01-12T18:00:00.000Z';
const CASES = 20;
/**
 * The kill comes once this many of the director's `acknowledgement-deadline-reached` messages are on disk (of
 * `CASES`, all due at one instant, each sent after its case's automatic acknowledgement was recorded): the
 * other cases' deadline steps are then between their effects.
 */
const KILL_AFTER_DEADLINE_MESSAGES = 3;
const AUTOMATIC_ACK = /^Accusé de réception de votre demande – /;
const DEADLINE_REACHED = /^Échéance d’accusé de réception atteinte – /;
const REFERENCE = /SCT-\d{4}-\d{6}/;

interface Submitted {
  readonly caseId: string;
  readonly reference: string;
}

interface RunResult {
  readonly cases: Submitted[];
  readonly outbox: OutboxMessage[];
  /** Per case reference: `recipients | subject` of each of its messages, sorted. */
  readonly messages: Record<string, string[]>;
  /** Per case reference: `type key` of each ledger event (the case id in keys replaced by the reference), sorted. */
  readonly ledger: Record<string, string[]>;
  /** SES delivery reports recorded on the cases. */
  readonly deliveryReports: number;
  /**
   * Messages recorded as sent with fewer delivery reports than the case keeps (one for a message to the
   * requester, none for one to staff), or with more.
   */
  readonly unreported: string[];
  readonly reportedTwice: string[];
  /** Ledger events (`caseId/seq type actor at`) with no object in the mirror bucket. */
  readonly unmirrored: string[];
  /**
   * The warnings and errors the stack printed (the crashed run: the restarted stack's), such as a mirror copy
   * that failed or a catch-up that could not run: none is expected, and a failure names its cause.
   */
  readonly warnings: string[];
  /** What the stack's mirror catch-up at start found and did (its `ledger mirror caught up` line), if it ran. */
  readonly mirrorCatchUp: string;
  readonly verify: Record<string, unknown>;
  readonly crash?: CrashReport;
}

interface CrashReport {
  /** Messages on disk (`outbox.jsonl`) when the process group was killed. */
  readonly messagesAtKill: number;
  readonly acknowledgementsAtKill: number;
  readonly deadlineMessagesAtKill: number;
  /** Latest `sentAt` on disk at the kill, and the clock the restarted stack resumed at. */
  readonly lastSentAtKill: string;
  readonly resumedAt: string;
  readonly resumedCases: number;
  /** What the interrupted clock move answered, if anything (a crash answers nothing). */
  readonly advanceOutcome: string;
  /** Ids of the messages in the outbox right after the restart. */
  readonly outboxAfterRestart: string[];
  readonly idsAtKill: string[];
}

const stacks: SpawnedStack[] = [];
const folders: string[] = [];

afterAll(async () => {
  for (const stack of stacks) await stack.kill();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function start(args: readonly string[]): Promise<SpawnedStack> {
  return spawnLocalStack([...args, '--port', '0', '--smtp-port', '0'], 60_000, {
    ownProcessGroup: true,
  }).then((stack) => {
    stacks.push(stack);
    return stack;
  });
}

/**
 * POSTs the citizen form from its own loopback address (`127.0.1.<n>`): the local form limits each client
 * address to a burst of five, on real time, and these are twenty different citizens.
 */
function submitForm(base: string, index: number): Promise<Submitted> {
  const url = new URL('/api/requests', base);
  const body = JSON.stringify({
    category: 'statistics',
    name: `Citoyen ${index}`,
    email: `citoyen.${index}@example.com`,
    subject: `Effectifs 2025, demande ${index}`,
    message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
  });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: `127.0.1.${index + 1}`,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `crash-form-${index}`,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 201)
            reject(new Error(`form ${index} answered ${response.statusCode}: ${text}`));
          else resolve(JSON.parse(text) as Submitted);
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function dynamoEndpoint(stack: SpawnedStack): string {
  const match = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stack.stdout());
  if (match?.[1] === undefined) throw new Error(`no DynamoDB endpoint in the banner:\n${stack.stdout()}`);
  return match[1];
}

/**
 * The ledger events whose mirror object is missing from the stack's s3rver bucket: `caseId/seq type actor at`.
 */
async function unmirrored(
  stack: SpawnedStack,
  events: readonly Record<string, unknown>[],
): Promise<string[]> {
  const match = /S3\s+(http:\/\/127\.0\.0\.1:\d+)\s+\(s3rver/.exec(stack.stdout());
  if (match?.[1] === undefined) throw new Error(`no S3 endpoint in the banner:\n${stack.stdout()}`);
  const s3 = new S3Client({
    endpoint: match[1],
    region: 'ca-central-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
  try {
    // The reader's whole-prefix listing (`ListObjects`: s3rver answers 500 to a V2 listing past 1,000 keys).
    const mirrored = await new S3LedgerMirrorReader({
      client: s3,
      bucket: 'jalon-local-ledger-mirror',
    }).mirroredSeqs();
    return events
      .filter((event) => mirrored.get(String(event['caseId']))?.has(Number(event['seq'])) !== true)
      .map((event) => {
        // What the event was and who wrote it, so that a failure says which path left it unmirrored.
        const actor = (event['actor'] ?? {}) as Record<string, unknown>;
        return `${String(event['caseId'])}/${String(event['seq'])} ${String(event['type'])} ${String(actor['id'])} ${String(event['at'])}`;
      });
  } finally {
    s3.destroy();
  }
}

/** The `[warn]` and `[error]` lines the stack printed on stderr (`LocalConsole`). */
function warningsOf(stack: SpawnedStack): string[] {
  return stack
    .stderr()
    .split('\n')
    .filter((line) => /^\[(warn|error)\] /.test(line));
}

/** Message ids recorded as sent with fewer `message.delivered` than the case keeps, and those with more. */
function deliveryReportsOf(events: readonly Record<string, unknown>[]) {
  const expected = new Map<string, number>();
  const reports = new Map<string, number>();
  for (const event of events) {
    const data = (event['data'] ?? {}) as Record<string, unknown>;
    const messageId = String(data['messageId']);
    // The case keeps the delivery of a message to the requester, not of one to staff (`keptOnCase`).
    if (event['type'] === 'message.sent') expected.set(messageId, data['recipient'] === 'requester' ? 1 : 0);
    if (event['type'] === 'message.delivered') reports.set(messageId, (reports.get(messageId) ?? 0) + 1);
  }
  const entries = [...expected.entries()].map(([id, count]) => [id, count, reports.get(id) ?? 0] as const);
  return {
    unreported: entries.filter(([, count, reported]) => reported < count).map(([id]) => id),
    reportedTwice: entries.filter(([, count, reported]) => reported > count).map(([id]) => id),
  };
}

function resumedCases(stack: SpawnedStack): number {
  const match = /Resumed\s+(\d+) open case workflow/.exec(stack.stdout());
  return Number(match?.[1] ?? -1);
}

/** Every ledger event, read from the stack's DynamoDB endpoint (items unpacked: a case opens with one item). */
async function ledgerEvents(endpoint: string): Promise<Record<string, unknown>[]> {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    const events: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: 'jalon-local-ledger', ExclusiveStartKey: startKey }),
      );
      events.push(...(page.Items ?? []).flatMap(eventsOfItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return events;
  } finally {
    dynamo.destroy();
  }
}

function referenceOf(message: OutboxMessage): string {
  return REFERENCE.exec(message.subject)?.[0] ?? REFERENCE.exec(message.text)?.[0] ?? 'no reference';
}

function messagesByCase(outbox: readonly OutboxMessage[]): Record<string, string[]> {
  const byCase: Record<string, string[]> = {};
  for (const message of outbox) {
    (byCase[referenceOf(message)] ??= []).push(`${message.to.join(',')} | ${message.subject}`);
  }
  for (const list of Object.values(byCase)) list.sort();
  return byCase;
}

function ledgerByCase(events: readonly Record<string, unknown>[], cases: readonly Submitted[]) {
  const referenceOfCase = new Map(cases.map((item) => [item.caseId, item.reference]));
  const byCase: Record<string, string[]> = {};
  for (const event of events) {
    const caseId = String(event['caseId']);
    const reference = referenceOfCase.get(caseId) ?? `unknown case ${caseId}`;
    // SES's delivery reports are keyed by the emulator's message ids and instants (new in every run): they are
    // compared by the recipient and purpose of the message they report.
    const data = (event['data'] ?? {}) as Record<string, unknown>;
    const key =
      event['type'] === 'message.delivered'
        ? `${String(data['recipient'])}/${String(data['purpose'])}`
        : typeof event['idempotencyKey'] === 'string'
          ? event['idempotencyKey']
          : '(no key)';
    (byCase[reference] ??= []).push(`${String(event['type'])} ${key.split(caseId).join(reference)}`);
  }
  for (const list of Object.values(byCase)) list.sort();
  return byCase;
}

/**
 * Reads a data folder's outbox journal as it grows: each call returns every complete message on disk so far,
 * reading only the bytes added since the previous call (the test polls it every few milliseconds).
 */
function journalReader(dataDir: string): () => OutboxOnDisk[] {
  const file = path.join(dataDir, 'outbox.jsonl');
  const messages: OutboxOnDisk[] = [];
  let offset = 0;
  let partial = '';
  return () => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return [...messages];
    }
    try {
      const size = fstatSync(fd).size;
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        const read = readSync(fd, buffer, 0, buffer.length, offset);
        offset += read;
        const lines = (partial + buffer.subarray(0, read).toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line !== '') messages.push(JSON.parse(line) as OutboxOnDisk);
      }
    } finally {
      closeSync(fd);
    }
    return [...messages];
  };
}

interface OutboxOnDisk {
  readonly messageId: string;
  readonly subject: string;
  readonly destination: { readonly to: string[] };
  readonly body: { readonly text?: string };
  readonly at: number;
}

/** Per case, the lines `expected` has and `actual` lacks (`-`) and the reverse (`+`). */
function differences(
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const reference of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const extra = [...(actual[reference] ?? [])];
    const lines: string[] = [];
    for (const line of expected[reference] ?? []) {
      const at = extra.indexOf(line);
      if (at === -1) lines.push(`- ${line}`);
      else extra.splice(at, 1);
    }
    lines.push(...extra.map((line) => `+ ${line}`));
    if (lines.length > 0) result[reference] = lines;
  }
  return result;
}

/**
 * What the crashed run sent beyond the uninterrupted one, per case, and what it did not send. Each message goes
 * once: one the emulator accepted before the kill but the ledger had not recorded is found after the restart by
 * its delivery key (the outbox is on disk) and recorded, not sent again.
 */
function compareMessages(
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
): { missing: Record<string, string[]>; extra: Record<string, string[]> } {
  const missing: Record<string, string[]> = {};
  const extra: Record<string, string[]> = {};
  for (const reference of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const left = [...(actual[reference] ?? [])];
    for (const line of expected[reference] ?? []) {
      const at = left.indexOf(line);
      if (at === -1) (missing[reference] ??= []).push(line);
      else left.splice(at, 1);
    }
    if (left.length > 0) extra[reference] = left;
  }
  return { missing, extra };
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the scenario; with `dataDir`, kills the stack in the middle of the advance and restarts it. */
async function runScenario(dataDir?: string): Promise<RunResult> {
  const where = dataDir === undefined ? ['--memory'] : ['--data-dir', dataDir];
  let stack = await start([...where, `--virtual-clock=${START}`]);
  let api = client(stack.base);
  const cases: Submitted[] = [];
  for (let index = 0; index < CASES; index += 1) cases.push(await submitForm(stack.base, index));
  await api.clock({ advance: 'PT0S' });

  let crash: CrashReport | undefined;
  if (dataDir === undefined) {
    await api.clock({ to: TARGET });
  } else {
    let advanceOutcome = 'pending';
    const advancing = api.clock({ to: TARGET }).then(
      (now) => (advanceOutcome = `answered ${now}`),
      (error: unknown) => (advanceOutcome = `failed: ${(error as Error).message}`),
    );
    const journal = journalReader(dataDir);
    let onDisk = journal();
    const count = (subject: RegExp) => onDisk.filter((email) => subject.test(email.subject)).length;
    while (count(DEADLINE_REACHED) < KILL_AFTER_DEADLINE_MESSAGES && advanceOutcome === 'pending') {
      await realSleep(5);
      onDisk = journal();
    }
    await stack.kill();
    await advancing;
    onDisk = journal();

    stack = await start(['--data-dir', dataDir, '--virtual-clock']);
    api = client(stack.base);
    const resumedAt = String((await api.request('GET', '/api/local/clock')).json['now']);
    const outboxAfterRestart = (await api.outbox()).map((message) => message.id);
    crash = {
      messagesAtKill: onDisk.length,
      acknowledgementsAtKill: count(AUTOMATIC_ACK),
      deadlineMessagesAtKill: count(DEADLINE_REACHED),
      lastSentAtKill: new Date(Math.max(...onDisk.map((email) => email.at * 1000))).toISOString(),
      resumedAt,
      resumedCases: resumedCases(stack),
      advanceOutcome,
      outboxAfterRestart,
      idsAtKill: onDisk.map((email) => email.messageId),
    };
    await api.clock({ to: TARGET });
  }

  const outbox = await api.outbox();
  const auditor = await api.login('auditor');
  const verify = await api.request('GET', '/api/audit/ledger/verify', undefined, {
    authorization: `Bearer ${auditor}`,
  });
  const events = await ledgerEvents(dynamoEndpoint(stack));
  const missingFromMirror = await unmirrored(stack, events);
  const warnings = warningsOf(stack);
  const mirrorCatchUp = /^\[info\] ledger mirror caught up .*$/m.exec(stack.stderr())?.[0] ?? 'none';
  await stack.stop('SIGINT');
  return {
    cases,
    outbox,
    messages: messagesByCase(outbox),
    ledger: ledgerByCase(events, cases),
    deliveryReports: events.filter((event) => event['type'] === 'message.delivered').length,
    ...deliveryReportsOf(events),
    unmirrored: missingFromMirror,
    warnings,
    mirrorCatchUp,
    verify: verify.json,
    ...(crash !== undefined ? { crash } : {}),
  };
}

describe('kill -9 during a 25-day clock advance, then a restart on the same data folder', () => {
  it('ends with the messages and the ledger of an uninterrupted run', async () => {
    const began = performance.now();
    const uninterrupted = await runScenario();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-crash-'));
    folders.push(dataDir);
    const crashed = await runScenario(dataDir);
    const crash = crashed.crash;
    const messages = compareMessages(uninterrupted.messages, crashed.messages);
    process.stdout.write(
      `crash-restart: ${Math.round((performance.now() - began) / 1000)} s; killed with ` +
        `${crash?.messagesAtKill} messages on disk (${crash?.acknowledgementsAtKill} automatic acknowledgements, ` +
        `${crash?.deadlineMessagesAtKill} deadline messages), last sent ${crash?.lastSentAtKill}; resumed at ` +
        `${crash?.resumedAt} with ${crash?.resumedCases} workflows; extra ${JSON.stringify(messages.extra)}, ` +
        `missing ${JSON.stringify(messages.missing)}; ledger differences ` +
        `${JSON.stringify(differences(uninterrupted.ledger, crashed.ledger))}; ${crashed.mirrorCatchUp}\n`,
    );

    // The scenario did what it should: 20 cases, each acknowledged automatically at its deadline.
    expect(crashed.cases.map((item) => item.reference)).toEqual(
      uninterrupted.cases.map((item) => item.reference),
    );
    expect(uninterrupted.outbox.filter((message) => AUTOMATIC_ACK.test(message.subject))).toHaveLength(CASES);
    expect(uninterrupted.outbox.filter((message) => DEADLINE_REACHED.test(message.subject))).toHaveLength(
      CASES,
    );
    // The kill landed during the advance, while the deadline steps were running, and lost nothing on disk:
    // the clock resumed no earlier than the last message sent, and the outbox kept every message.
    expect(crash?.advanceOutcome).toMatch(/^failed/);
    expect(crash?.deadlineMessagesAtKill).toBeGreaterThanOrEqual(KILL_AFTER_DEADLINE_MESSAGES);
    expect(Date.parse(crash?.resumedAt ?? START)).toBeGreaterThanOrEqual(
      Date.parse(crash?.lastSentAtKill ?? TARGET),
    );
    expect(Date.parse(crash?.resumedAt ?? TARGET)).toBeLessThanOrEqual(Date.parse(TARGET));
    expect(crash?.outboxAfterRestart.slice(0, crash.idsAtKill.length)).toEqual(crash?.idsAtKill);
    expect(crash?.resumedCases).toBe(CASES);
    // Every message of the uninterrupted run, per case (recipients, subject), each once and nothing else; the
    // same ledger events per case; sound hash chains.
    expect(messages.missing).toEqual({});
    expect(messages.extra).toEqual({});
    expect(crashed.outbox).toHaveLength(uninterrupted.outbox.length);
    expect(crashed.ledger).toEqual(uninterrupted.ledger);
    // Every message's delivery report, once, those pending at the kill included (produced again at the
    // restart), and every ledger event in the mirror, those whose copy was queued at the kill included.
    expect(uninterrupted.unreported).toEqual([]);
    expect(uninterrupted.reportedTwice).toEqual([]);
    expect(crashed.deliveryReports).toBe(uninterrupted.deliveryReports);
    expect(crashed.unreported).toEqual([]);
    expect(crashed.reportedTwice).toEqual([]);
    expect(uninterrupted.warnings).toEqual([]);
    expect(crashed.warnings).toEqual([]);
    expect(uninterrupted.unmirrored).toEqual([]);
    expect(crashed.unmirrored).toEqual([]);
    expect(uninterrupted.verify).toMatchObject({ ok: true, cases: CASES });
    expect(crashed.verify).toMatchObject({ ok: true, cases: CASES });
  }, 240_000);
});
