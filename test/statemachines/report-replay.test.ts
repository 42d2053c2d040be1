import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

import { makeHandler } from '../../functions/report-replay/handler';
import {
  DynamoDbCaseLedger,
  DynamoDbLedgerCasePages,
  DynamoDbReportAggregates,
} from '../../shared/adapters/dynamodb';
import type { LedgerEvent } from '../../shared/domain/ledger';
import { caseReportRecord, stableFrom } from '../../shared/domain/report';
import { bundledCalendars } from '../../shared/domain/time';
import { LocalStepFunctions } from '../../infra/local/stepfunctions/engine';
import { readReportReplayDefinition, REPORT_REPLAY_SUBSTITUTIONS } from '../../statemachines/definition';
import { startDynalite } from '../support/dynalite';
import type { LocalDynamo } from '../support/dynalite';
import { buildScenario } from '../unit/report/scenario';

/**
 * The report-replay state machine: the real ASL on the local engine, the real task handler over dynalite
 * holding the scripted cases' ledger. Small pages and a zero step budget make every step one page, so the
 * run loops many times and the cursor crosses cases' events.
 */
jest.setTimeout(120_000);

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validate = require('asl-validator') as (definition: unknown) => { isValid: boolean; errors: unknown[] };

const NOW = new Date('2026-06-10T12:00:00.000Z');

let dynamo: LocalDynamo;
let histories: LedgerEvent[][];
let aggregates: DynamoDbReportAggregates;
let sfn: LocalStepFunctions;
let machineArn: string;
let tasks: { action: string }[];
const logs: { message: string; fields: Record<string, unknown> }[] = [];

beforeAll(async () => {
  dynamo = await startDynalite('report-replay');
  histories = await (await buildScenario()).histories();
  const items = histories.flat();
  for (let i = 0; i < items.length; i += 25) {
    await dynamo.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [dynamo.tables.ledger]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })),
        },
      }),
    );
  }
  aggregates = new DynamoDbReportAggregates({
    client: dynamo.client,
    tables: dynamo.tables,
    clock: { now: () => NOW },
    daySettleMs: 0,
  });
  const handler = makeHandler({
    ledger: new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }),
    pages: new DynamoDbLedgerCasePages({ client: dynamo.client, tables: dynamo.tables, pageSize: 7 }),
    store: aggregates,
    days: aggregates,
    calendars: bundledCalendars(),
    now: () => NOW,
    stepBudgetMs: 0,
    logger: { info: (message, fields) => logs.push({ message, fields }) },
  });
  sfn = new LocalStepFunctions();
  const task = async (input: unknown) => {
    tasks.push(input as { action: string });
    return handler(input);
  };
  machineArn = await sfn.createStateMachine({
    name: 'report-replay',
    definition: readReportReplayDefinition(),
    taskHandlers: { ReplayPages: task, SummarizeDays: task, Finish: task },
  });
}, 120_000);

afterAll(async () => {
  await sfn?.close();
  await dynamo?.stop();
});

beforeEach(() => {
  tasks = [];
});

async function run(name: string) {
  const started = await sfn.startExecution({ stateMachineArn: machineArn, name });
  const closed = await sfn.whenClosed(started.executionArn);
  expect(closed.status).toBe('SUCCEEDED');
  return { output: JSON.parse(closed.output ?? 'null') as unknown, startDate: started.startDate };
}

describe('statemachines/report-replay.asl.json on the local engine', () => {
  it('builds every missing aggregate page by page, and stores the result where the report reads it', async () => {
    const { output, startDate } = await run('first-run');
    expect(output).toEqual({
      checkedAt: NOW.toISOString(),
      matched: false,
      differences: histories.length,
      cases: histories.length,
    });
    // One step per page of 7 ledger items: many steps, then the finish.
    const pages = Math.ceil(histories.flat().length / 7);
    expect(tasks.filter((task) => task.action === 'replay-pages').length).toBeGreaterThanOrEqual(pages);
    // Then the day walk, from the first day of receipt (16 February) to yesterday, 31 days a step; then the finish.
    const actions = tasks.map((task) => task.action);
    expect(actions.slice(actions.indexOf('summarize-days'))).toEqual([
      ...Array<string>(4).fill('summarize-days'),
      'finish',
    ]);
    expect(actions.lastIndexOf('replay-pages')).toBe(actions.indexOf('summarize-days') - 1);
    // Logged: the run's counts, step after step, never a case id.
    expect(logs[logs.length - 1]).toEqual({
      message: 'report replay finished',
      fields: { runId: 'first-run', matched: false, differences: 12, cases: 12 },
    });
    const caseIds = histories.map((events) => events[0]!.caseId);
    expect(caseIds.filter((id) => JSON.stringify(logs).includes(id))).toEqual([]);
    for (const events of histories) {
      expect(await aggregates.get(events[0]!.caseId)).toEqual(caseReportRecord(events));
    }
    // Every day with a final case has its summary, built by the run: a report after it builds none.
    const records = histories.map((events) => caseReportRecord(events)!);
    const finalDays = [
      ...new Set(records.filter((r) => stableFrom(r) !== undefined).map((r) => r.receivedDay)),
    ];
    expect(finalDays.length).toBeGreaterThan(0);
    const states = await aggregates.dayStates(finalDays);
    for (const day of finalDays) {
      const included = records.filter((r) => r.receivedDay === day && stableFrom(r) !== undefined).length;
      expect(states.get(day)?.summary?.included).toBe(included);
    }
    const latest = await aggregates.latestReplayResult();
    expect(latest).toMatchObject({
      runId: 'first-run',
      matched: false,
      differences: histories.length,
      cases: histories.length,
    });
    // The execution's start time (the engine's `startDate` is taken a moment apart).
    expect(Math.abs(Date.parse(latest!.startedAt) - startDate.getTime())).toBeLessThan(1000);
    expect([...(latest?.differingCases ?? [])].sort()).toEqual(
      histories.map((events) => events[0]!.caseId).sort(),
    );
  });

  it('then finds everything equal; a damaged aggregate is found, named and repaired', async () => {
    expect((await run('second-run')).output).toMatchObject({ matched: true, differences: 0, cases: 12 });

    const events = histories[3]!;
    const caseId = events[0]!.caseId;
    // Same last event, an epoch lost: only a comparison with the replay can tell.
    const right = caseReportRecord(events)!;
    expect(right.epochs.length).toBeGreaterThan(1);
    await aggregates.put({ ...right, epochs: right.epochs.slice(0, 1) }, { replace: true });
    expect(await aggregates.get(caseId)).not.toEqual(right);
    expect((await run('third-run')).output).toMatchObject({ matched: false, differences: 1, cases: 12 });
    expect(await aggregates.latestReplayResult()).toMatchObject({
      runId: 'third-run',
      differingCases: [caseId],
    });
    expect(await aggregates.get(caseId)).toEqual(caseReportRecord(events));
  });
});

describe('statemachines/report-replay.asl.json (static)', () => {
  const source = readReportReplayDefinition();

  it('is valid Amazon States Language and uses exactly the declared substitutions', () => {
    const result = validate(JSON.parse(source));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    const used = new Set([...source.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...REPORT_REPLAY_SUBSTITUTIONS].sort());
  });

  it('bounds and retries every task (a step must end within the function timeout of 15 minutes)', () => {
    const states = (JSON.parse(source) as { States: Record<string, Record<string, unknown>> }).States;
    const tasks = Object.entries(states).filter(([, state]) => state['Type'] === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Finish', 'ReplayPages', 'SummarizeDays']);
    for (const [, state] of tasks) {
      expect(state['TimeoutSeconds']).toBeLessThanOrEqual(960);
      expect(state['Retry']).toEqual([expect.objectContaining({ MaxAttempts: 6 })]);
    }
  });
});
