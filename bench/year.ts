import { startLocalStack } from '../infra/local/local-stack';
import type { LocalStack } from '../infra/local/local-stack';
import type { LedgerEvent } from '../shared/domain/ledger/events';
import { loadSctPolicy } from '../shared/domain/policy/sct';
import { addBusinessDays, bundledCalendars } from '../shared/domain/time';
import type { LocalDate } from '../shared/domain/time/types';
import { localDateOf } from '../shared/domain/time/local-date-of';
import { putItemRoundTrips } from './dynamo-baseline';
import { JsonClient } from './http-client';
import { RequestCounter } from './request-counter';
import { elapsedMs, formatInt, formatMs, ratio, runPool, seededRandom } from './stats';

/** The virtual instant the simulated year starts at; every tick is at 15:00 UTC (10:00 or 11:00 in Québec). */
export const YEAR_START = '2026-12-18T15:00:00Z';
const DAY_MS = 24 * 3600 * 1000;
/** Ticks (days) in the simulated year. */
export const YEAR_DAYS = 365;
/** New cases arrive over the first days only, so that every case can end within the year. */
export const ARRIVAL_DAYS = 240;

/** How a simulated case goes; each one ends closed within the year. */
export type Scenario = 'on-time' | 'complaint' | 'late' | 'extended' | 'no-ack' | 'dissatisfied';

/**
 * The mix, one case in twenty each: 11 acknowledged within a few days and answered on time (a quarter of
 * them letters registered by staff), 3 service complaints handled on time by the complaints officer, 2
 * answered late, 2 extended, 1 never acknowledged (the deadline action acknowledges it), 1 complaint answered,
 * found unsatisfactory, then closed. The first six differ, so that `--cases 6` runs each path once.
 */
const PATTERN: readonly Scenario[] = [
  'on-time',
  'complaint',
  'late',
  'extended',
  'no-ack',
  'dissatisfied',
  ...Array<Scenario>(10).fill('on-time'),
  'complaint',
  'complaint',
  'late',
  'extended',
];

/**
 * Messages to the requester a case of each path must have received, exactly once each: the automatic receipt,
 * the acknowledgement, the answer, plus the extension notice or the delay notice where the path has one, and,
 * after a dissatisfaction, the message that ends the complaints officer's review (purpose `answer`).
 */
export const REQUESTER_MESSAGES: Readonly<Record<Scenario, readonly string[]>> = {
  'on-time': ['receipt', 'acknowledgement', 'answer'],
  complaint: ['receipt', 'acknowledgement', 'answer'],
  late: ['receipt', 'acknowledgement', 'other', 'answer'],
  extended: ['receipt', 'acknowledgement', 'extension-notice', 'answer'],
  'no-ack': ['receipt', 'acknowledgement', 'answer'],
  dissatisfied: ['receipt', 'acknowledgement', 'answer', 'answer'],
};

type Role = 'agent' | 'complaints-officer';
type Command = 'acknowledge' | 'answer' | 'extend' | 'dissatisfied' | 'close';

interface StaffAction {
  readonly date: LocalDate;
  readonly command: Command;
  readonly body: Record<string, unknown>;
}

interface PlannedCase {
  readonly index: number;
  readonly scenario: Scenario;
  readonly category: string;
  readonly channel: 'web' | 'mail';
  readonly arrivalDay: number;
  readonly role: Role;
  readonly actions: readonly StaffAction[];
  caseId?: string;
}

export interface YearOptions {
  readonly cases: number;
  /** Requests in flight at once, for submissions and for staff actions. */
  readonly concurrency: number;
  /** Progress lines on stderr (default true). */
  readonly progress?: boolean;
  /**
   * Runs on this data folder (must be new or empty) instead of in memory: dynalite and s3rver on disk, the
   * clock instant and the outbox written as they change, as `npm start` runs by default.
   */
  readonly dataDir?: string;
}

export interface CaseOutcome {
  readonly caseId: string;
  readonly scenario: Scenario;
  readonly status: string;
  /** `*StateEntered` events of every execution of the case (continuations included). */
  readonly statesEntered: number;
  /** State transitions as the engine counts them (entries plus retries). */
  readonly engineTransitions: number;
  readonly executions: number;
  readonly problems: readonly string[];
}

export interface YearResult {
  readonly cases: number;
  readonly concurrency: number;
  readonly wallMs: number;
  readonly ticks: number;
  readonly staffActions: number;
  readonly submissions: number;
  readonly outboxMessages: number;
  readonly ledgerEvents: number;
  /** HTTP requests dynalite, the SES emulator and s3rver received while the year was driven. */
  readonly dynamoRequests: number;
  readonly sesRequests: number;
  readonly s3Requests: number;
  /** Connections those DynamoDB requests came on (one per request without keep-alive). */
  readonly dynamoConnections: number;
  /** Mean of bare PutItem round trips on the same dynalite, one at a time, measured after the year. */
  readonly putItemMeanMs: number;
  readonly outcomes: readonly CaseOutcome[];
  /** Problems that concern no single case (outbox against ledger). */
  readonly globalProblems: readonly string[];
  readonly checkMs: number;
  readonly ok: boolean;
}

/**
 * Plans `count` cases: scenario by `PATTERN`, arrival spread evenly over `ARRIVAL_DAYS`, and the staff actions
 * of each path on business days counted from the day of receipt (which is never counted), as the promised
 * dates must be. Deterministic (seeded), so that two runs drive the same year.
 */
export function planCases(count: number): PlannedCase[] {
  const policy = loadSctPolicy();
  const calendars = bundledCalendars();
  const random = seededRandom(20261218);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  return Array.from({ length: count }, (_, index) => {
    const scenario = PATTERN[index % PATTERN.length] as Scenario;
    const complaint = scenario === 'complaint' || scenario === 'dissatisfied';
    const category = complaint ? 'service-complaint' : index % 2 === 0 ? 'statistics' : 'policies';
    const arrivalDay = Math.floor((index * ARRIVAL_DAYS) / count);
    const received = localDateOf(new Date(Date.parse(YEAR_START) + arrivalDay * DAY_MS));
    const calendarId = policy.categories.find((c) => c.id === category)?.calendarId ?? 'qc-fonction-publique';
    const calendar = calendars.at(calendarId, received);
    const day = (n: number) => addBusinessDays(calendar, received, n);
    const act = (n: number, command: Command, body: Record<string, unknown> = {}): StaffAction => ({
      date: day(n),
      command,
      body,
    });
    const answer = (n: number) =>
      act(n, 'answer', { message: 'Bonjour,\nVoici la réponse à votre demande.' });
    let actions: StaffAction[];
    switch (scenario) {
      case 'on-time': {
        const ack = between(1, 4);
        actions = [act(ack, 'acknowledge', { answerBy: day(15) }), answer(between(ack + 4, 14))];
        break;
      }
      case 'complaint':
        actions = [act(3, 'acknowledge', { answerBy: day(20) }), answer(between(12, 19))];
        break;
      case 'late':
        actions = [act(2, 'acknowledge', { answerBy: day(15) }), answer(between(17, 23))];
        break;
      case 'extended':
        actions = [
          act(2, 'acknowledge', { answerBy: day(12) }),
          act(10, 'extend', { answerBy: day(25), reason: 'Données à compiler auprès de trois ministères' }),
          answer(23),
        ];
        break;
      case 'no-ack':
        actions = [answer(13)];
        break;
      case 'dissatisfied':
        actions = [
          act(2, 'acknowledge', { answerBy: day(20) }),
          answer(8),
          act(11, 'dissatisfied', { channel: 'phone' }),
          act(14, 'close', { outcome: 'answered' }),
        ];
        break;
    }
    return {
      index,
      scenario,
      category,
      channel: scenario === 'on-time' && index % 4 === 0 ? 'mail' : 'web',
      arrivalDay,
      role: complaint ? 'complaints-officer' : 'agent',
      actions,
    };
  });
}

/**
 * Drives `cases` cases through a simulated year on the local stack, as citizens and staff would: citizens post
 * the web form (letters are registered by staff through `POST /api/staff/intake`), staff log in each morning
 * (`POST /api/local/login`) and act through `POST /api/staff/cases/{id}/{action}`, and the virtual clock moves
 * one day at a time (`POST /api/local/clock {to}`), running every due workflow step on the way. Then checks
 * every case (status, executions, steps done once, messages once) and collects the state transitions of every
 * execution before the stack stops.
 */
export async function runYear(options: YearOptions): Promise<YearResult> {
  const { cases, concurrency } = options;
  const progress = options.progress ?? true;
  const planned = planCases(cases);
  const arrivals = new Map<number, PlannedCase[]>();
  for (const item of planned) arrivals.set(item.arrivalDay, [...(arrivals.get(item.arrivalDay) ?? []), item]);
  const actionsByDate = new Map<LocalDate, { item: PlannedCase; action: StaffAction }[]>();
  for (const item of planned) {
    for (const action of item.actions) {
      actionsByDate.set(action.date, [...(actionsByDate.get(action.date) ?? []), { item, action }]);
    }
  }

  const stack = await startLocalStack({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : { memory: true }),
    virtualClock: YEAR_START,
    port: 0,
    smtpPort: 0,
    quiet: true,
    formRateLimit: false,
  });
  const http = new JsonClient(stack.urls.web, concurrency + 1);
  const counter = new RequestCounter();
  try {
    const start = process.hrtime.bigint();
    let staffActions = 0;
    let submissions = 0;
    for (let tick = 0; tick < YEAR_DAYS; tick++) {
      const now = Date.parse(YEAR_START) + tick * DAY_MS;
      const today = localDateOf(new Date(now));
      const due = actionsByDate.get(today) ?? [];
      const tokens = await logins(http, due.length > 0 || arrivals.has(tick));
      await runPool(due, concurrency, async ({ item, action }) => {
        if (item.caseId === undefined) throw new Error(`case ${item.index} has no id on ${today}`);
        await http.expect(
          [201],
          'POST',
          `/api/staff/cases/${encodeURIComponent(item.caseId)}/${action.command}`,
          action.body,
          {
            authorization: `Bearer ${tokens[item.role]}`,
            'idempotency-key': `year-${item.index}-${action.command}-${action.date}`,
          },
        );
      });
      staffActions += due.length;
      const arriving = arrivals.get(tick) ?? [];
      await runPool(arriving, concurrency, async (item) => {
        item.caseId = await register(http, item, new Date(now), tokens.agent);
      });
      submissions += arriving.length;
      await http
        .expect([200], 'POST', '/api/local/clock', { to: new Date(now + DAY_MS).toISOString() })
        .catch((error: unknown) => {
          process.stderr.write(`${stallReport(stack, tick)}\n`);
          throw error;
        });
      if (progress && (tick + 1) % 30 === 0) {
        process.stderr.write(
          `  year: day ${tick + 1}/${YEAR_DAYS}, ${formatInt(submissions)} cases, ${formatMs(elapsedMs(start))}\n`,
        );
      }
    }
    const wallMs = elapsedMs(start);
    const dynamoRequests = counter.count(stack.ports.dynamodb);
    const sesRequests = counter.count(stack.ports.ses);
    const s3Requests = counter.count(stack.ports.s3);
    const dynamoConnections = counter.connections(stack.ports.dynamodb);
    counter.stop();

    const { samples: puts } = await putItemRoundTrips(stack.dynamo, stack.tables.control, 500, 1);
    const putItemMeanMs = puts.reduce((sum, ms) => sum + ms, 0) / puts.length;
    const checkStart = process.hrtime.bigint();
    const checked = await check(stack, planned, concurrency);
    return {
      cases,
      concurrency,
      wallMs,
      ticks: YEAR_DAYS,
      staffActions,
      submissions,
      dynamoRequests,
      sesRequests,
      s3Requests,
      dynamoConnections,
      putItemMeanMs,
      ...checked,
      checkMs: elapsedMs(checkStart),
    };
  } finally {
    counter.stop();
    http.close();
    await stack.stop();
  }
}

/** What the clock was waiting for when a move failed: in-flight work and the next fake timers. */
function stallReport(stack: LocalStack, tick: number): string {
  const clock = stack.clock;
  if (clock === undefined) return `  year: clock move failed on day ${tick + 1} (real clock)`;
  const labels = clock.activity.labels();
  const kinds = new Map<string, number>();
  for (const label of labels) {
    const kind = label.split(' ')[0] ?? label;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const next = clock.nextTimerAt();
  return [
    `  year: clock move failed on day ${tick + 1} at virtual ${clock.now().toISOString()}`,
    `    in flight: ${labels.length} (${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')})`,
    `    fake timers pending: ${clock.pendingTimers()}, next in ${next === undefined ? '-' : `${next.getTime() - clock.now().getTime()} ms`} of virtual time`,
  ].join('\n');
}

async function logins(http: JsonClient, needed: boolean): Promise<Record<Role, string>> {
  if (!needed) return { agent: '', 'complaints-officer': '' };
  const token = async (role: Role) =>
    (await http.expect([200], 'POST', '/api/local/login', { role })).json['token'] as string;
  return { agent: await token('agent'), 'complaints-officer': await token('complaints-officer') };
}

/** Files the case: the web form for most, a letter registered by the agent for the others. */
async function register(http: JsonClient, item: PlannedCase, now: Date, agentToken: string): Promise<string> {
  const requester = { name: 'Marie Tremblay', email: `demandeur.${item.index}@example.com` };
  const subject = `Demande ${item.index}`;
  const message = 'Bonjour,\nPourriez-vous me transmettre les renseignements demandés?\nMerci.';
  const response =
    item.channel === 'web'
      ? await http.expect(
          [201],
          'POST',
          '/api/requests',
          { category: item.category, ...requester, subject, message, website: '' },
          { 'idempotency-key': `year-form-${item.index}` },
        )
      : await http.expect(
          [201],
          'POST',
          '/api/staff/intake',
          {
            channel: 'mail',
            category: item.category,
            requester: { ...requester, language: 'fr' },
            subject,
            body: message,
            receivedAt: new Date(now.getTime() - 3600_000).toISOString(),
            evidence: { kind: 'postmark', reference: `scan-${item.index}` },
          },
          { authorization: `Bearer ${agentToken}`, 'idempotency-key': `year-letter-${item.index}` },
        );
  const caseId = response.json['caseId'];
  if (typeof caseId !== 'string') throw new Error(`case ${item.index} was registered without an id`);
  return caseId;
}

interface Checked {
  readonly outcomes: CaseOutcome[];
  readonly globalProblems: string[];
  readonly outboxMessages: number;
  readonly ledgerEvents: number;
  readonly ok: boolean;
}

/**
 * The consistency check: every case closed, its executions succeeded (none failed, none still running), each
 * workflow step done once, the requester messages of its path each sent once, and the outbox holding exactly
 * the messages the ledgers record (no message sent twice, none sent unrecorded).
 */
async function check(
  stack: LocalStack,
  planned: readonly PlannedCase[],
  concurrency: number,
): Promise<Checked> {
  const executionsByCase = new Map<string, string[]>();
  let nextToken: string | undefined;
  const problems: string[] = [];
  do {
    const page = await stack.sfn.listExecutions({
      stateMachineArn: stack.stateMachineArn,
      maxResults: 1000,
      ...(nextToken !== undefined ? { nextToken } : {}),
    });
    for (const execution of page.executions ?? []) {
      const name = execution.name ?? '';
      const caseId = name.replace(/--g\d+$/, '');
      executionsByCase.set(caseId, [...(executionsByCase.get(caseId) ?? []), execution.executionArn ?? '']);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);

  const ledgerMessageIds = new Map<string, number>();
  let ledgerEvents = 0;
  const outcomes = await runPool(planned, concurrency, async (item): Promise<CaseOutcome> => {
    const caseProblems: string[] = [];
    const caseId = item.caseId ?? '';
    const [projection, events] = await Promise.all([stack.ledger.getCase(caseId), stack.ledger.read(caseId)]);
    ledgerEvents += events.length;
    const status = projection?.status ?? 'missing';
    if (status !== 'closed') caseProblems.push(`status ${status}, expected closed`);
    caseProblems.push(...duplicateSteps(events), ...requesterMessageProblems(events, item.scenario));
    for (const event of events) {
      if (event.type !== 'message.sent') continue;
      const id = event.data.messageId;
      ledgerMessageIds.set(id, (ledgerMessageIds.get(id) ?? 0) + 1);
    }
    let statesEntered = 0;
    let engineTransitions = 0;
    const executions = executionsByCase.get(caseId) ?? [];
    if (executions.length === 0) caseProblems.push('no execution');
    for (const executionArn of executions) {
      const { status: executionStatus } = await stack.sfn.describeExecution({ executionArn });
      if (executionStatus !== 'SUCCEEDED') caseProblems.push(`execution ${executionStatus ?? 'unknown'}`);
      statesEntered += await countStatesEntered(stack, executionArn);
      engineTransitions += stack.sfn.executionStats(executionArn).stateTransitions;
    }
    return {
      caseId,
      scenario: item.scenario,
      status,
      statesEntered,
      engineTransitions,
      executions: executions.length,
      problems: caseProblems,
    };
  });

  const reader = new JsonClient(stack.urls.web, 1);
  const outbox = await reader.expect([200], 'GET', '/api/local/outbox').finally(() => reader.close());
  const messages = outbox.json['messages'] as { id: string }[];
  const outboxIds = new Map<string, number>();
  for (const message of messages) outboxIds.set(message.id, (outboxIds.get(message.id) ?? 0) + 1);
  const repeated = [...ledgerMessageIds.values()].filter((n) => n > 1).length;
  if (repeated > 0) problems.push(`${repeated} message ids recorded more than once in the ledgers`);
  const unrecorded = [...outboxIds.keys()].filter((id) => !ledgerMessageIds.has(id)).length;
  if (unrecorded > 0) problems.push(`${unrecorded} outbox messages recorded in no ledger`);
  const unsent = [...ledgerMessageIds.keys()].filter((id) => !outboxIds.has(id)).length;
  if (unsent > 0) problems.push(`${unsent} recorded messages missing from the outbox`);
  const ok = problems.length === 0 && outcomes.every((outcome) => outcome.problems.length === 0);
  return { outcomes, globalProblems: problems, outboxMessages: messages.length, ledgerEvents, ok };
}

/** Step ids recorded as done more than once (a step must run once per case). */
export function duplicateSteps(events: readonly LedgerEvent[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const event of events) {
    if (event.type !== 'step.done') continue;
    const stepId = event.data.stepId;
    if (seen.has(stepId)) problems.push(`step ${stepId} done twice`);
    seen.add(stepId);
  }
  return problems;
}

/** The requester messages of the case against those its path must have, in order and each once. */
export function requesterMessageProblems(events: readonly LedgerEvent[], scenario: Scenario): string[] {
  const sent = events
    .filter((event) => event.type === 'message.sent' && event.data.recipient === 'requester')
    .map((event) => (event.type === 'message.sent' ? event.data.purpose : ''));
  const expected = REQUESTER_MESSAGES[scenario];
  return sent.join(',') === expected.join(',')
    ? []
    : [`requester messages ${sent.join(',') || 'none'}, expected ${expected.join(',')}`];
}

async function countStatesEntered(stack: LocalStack, executionArn: string): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await stack.sfn.getExecutionHistory({
      executionArn,
      maxResults: 1000,
      includeExecutionData: false,
      ...(nextToken !== undefined ? { nextToken } : {}),
    });
    count += (page.events ?? []).filter((event) => (event.type ?? '').endsWith('StateEntered')).length;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return count;
}

/** Prints the year: wall time, cases/s, state transitions, outbox size, and the consistency check. */
export function benchYear(result: YearResult): void {
  const transitions = result.outcomes.reduce((sum, outcome) => sum + outcome.statesEntered, 0);
  const engine = result.outcomes.reduce((sum, outcome) => sum + outcome.engineTransitions, 0);
  const floor = result.dynamoRequests * result.putItemMeanMs;
  const failing = result.outcomes.filter((outcome) => outcome.problems.length > 0);
  const lines = [
    `Simulated year: ${formatInt(result.cases)} cases, ${result.ticks} daily clock steps from ${YEAR_START}, staff API concurrency ${result.concurrency}`,
    `  wall time                 ${formatMs(result.wallMs)} (${(result.wallMs / 60_000).toFixed(1)} min)`,
    `  cases/s                   ${((result.cases / result.wallMs) * 1000).toFixed(2)}`,
    `  staff actions             ${formatInt(result.staffActions)} (+ ${formatInt(result.submissions)} submissions and registrations)`,
    `  state transitions         ${formatInt(transitions)} states entered (${formatInt(engine)} counting task retries), ${formatInt((transitions / result.wallMs) * 1000)}/s`,
    `  ledger events             ${formatInt(result.ledgerEvents)}`,
    `  emulator requests         DynamoDB ${formatInt(result.dynamoRequests)} (${(result.dynamoRequests / result.cases).toFixed(0)} per case, ${(result.dynamoRequests / transitions).toFixed(1)} per state entered, on ${formatInt(result.dynamoConnections)} connections), SES ${formatInt(result.sesRequests)}, S3 ${formatInt(result.s3Requests)}`,
    `  baseline                  the same number of bare PutItem round trips one at a time: ${formatMs(floor)} (${formatMs(result.putItemMeanMs)} each); year / baseline ${ratio(result.wallMs, floor)}`,
    `  outbox messages           ${formatInt(result.outboxMessages)}`,
    `  consistency               ${result.ok ? 'OK' : 'FAIL'} (every case closed, executions succeeded, each step and requester message once, outbox = ledgers; checked in ${formatMs(result.checkMs)})`,
  ];
  for (const problem of result.globalProblems) lines.push(`    ${problem}`);
  for (const outcome of failing.slice(0, 10)) {
    lines.push(`    case ${outcome.caseId} (${outcome.scenario}): ${outcome.problems.join('; ')}`);
  }
  if (failing.length > 10) lines.push(`    … and ${failing.length - 10} more cases`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
