import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { makeHandler as makeDigestHandler } from '../../functions/ledger-digest/handler';
import { ledgerDigestDeps } from '../../functions/ledger-digest/wiring';
import { ledgerMirrorBackfillFunction } from '../../functions/ledger-mirror-backfill/wiring';
import { ledgerVerificationFunction } from '../../functions/ledger-verification/wiring';
import type { TableNames } from '../../shared/adapters/dynamodb';
import type { DigestSigner } from '../../shared/domain/audit/ledger-digest';
import type { Clock } from '../../shared/domain/messaging/ports';
import type { StepJobLogger } from '../../shared/schemas/step-job';
import {
  readLedgerMirrorBackfillDefinition,
  readLedgerVerificationDefinition,
} from '../../statemachines/definition';
import type { LocalConsole } from './console-log';
import type { LocalStepFunctions, TaskHandler } from './stepfunctions/engine';

/** Name of the ledger-verification state machine on the local engine (as in AWS, without the stage). */
export const LEDGER_VERIFICATION_MACHINE = 'ledger-verification';

/**
 * Registers the ledger-verification ASL on the local engine with the same handler the Lambda runs
 * (`ledgerVerificationFunction`) on every Task, over dynalite and the s3rver mirror bucket, verifying digests
 * with the local signer's public key. Returns the machine's ARN, which the audit API's starter uses.
 */
export async function registerLedgerVerification(input: {
  readonly engine: LocalStepFunctions;
  readonly client: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly signer: DigestSigner;
  readonly clock: Clock;
  readonly console: Pick<LocalConsole, 'info' | 'warn'>;
  /** Tests only: interposes on every Task (fault injection). */
  readonly wrapTask?: (task: TaskHandler) => TaskHandler;
}): Promise<string> {
  const handler = ledgerVerificationFunction({
    clients: { dynamo: input.client, s3: input.s3 },
    config: { tables: input.tables, buckets: { ledgerMirror: input.bucket } },
    // No KMS here: the local key file signs and verifies.
    digestKey: { signer: input.signer },
    ...stepJobOptions(input),
  });
  return registerStepJob(
    input.engine,
    LEDGER_VERIFICATION_MACHINE,
    readLedgerVerificationDefinition(),
    handler,
    input.wrapTask,
  );
}

/** Name of the ledger-mirror-backfill state machine on the local engine (as in AWS, without the stage). */
export const LEDGER_MIRROR_BACKFILL_MACHINE = 'ledger-mirror-backfill';

/**
 * Registers the ledger-mirror-backfill ASL on the local engine with the same handler the Lambda runs
 * (`ledgerMirrorBackfillFunction`) on every Task, over dynalite, the s3rver mirror bucket and the engine's own
 * case-lifecycle executions (through its HTTP endpoint, as the SDK reaches Step Functions). Returns the
 * machine's ARN (`npx jalon ledger backfill --state-machine … --endpoint …` starts it).
 */
export async function registerLedgerMirrorBackfill(input: {
  readonly engine: LocalStepFunctions;
  readonly client: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly sfn: SFNClient;
  /** The case-lifecycle state machine. */
  readonly stateMachineArn: string;
  readonly clock: Clock;
  readonly console: Pick<LocalConsole, 'info' | 'warn'>;
  /** Tests only: interposes on every Task (fault injection). */
  readonly wrapTask?: (task: TaskHandler) => TaskHandler;
}): Promise<string> {
  const handler = ledgerMirrorBackfillFunction({
    clients: { dynamo: input.client, s3: input.s3, sfn: input.sfn },
    config: {
      tables: input.tables,
      buckets: { ledgerMirror: input.bucket },
      stateMachineArn: input.stateMachineArn,
    },
    ...stepJobOptions(input),
  });
  return registerStepJob(
    input.engine,
    LEDGER_MIRROR_BACKFILL_MACHINE,
    readLedgerMirrorBackfillDefinition(),
    handler,
    input.wrapTask,
  );
}

/** What a step job's handler takes from the local stack: its clock, the Lambda's step budget, the console. */
function stepJobOptions(input: {
  readonly clock: Clock;
  readonly console: Pick<LocalConsole, 'info' | 'warn'>;
}): { now: () => Date; stepBudgetMs: number; logger: StepJobLogger } {
  return {
    now: () => input.clock.now(),
    stepBudgetMs: 10 * 60_000,
    logger: {
      info: (message, fields) => input.console.info(message, fields),
      warn: (message, fields) => input.console.warn(message, fields),
    },
  };
}

/** A job's state machine on the local engine: its one step handler behind every Task state, as in AWS. */
function registerStepJob(
  engine: LocalStepFunctions,
  name: string,
  definition: string,
  handler: (event: unknown) => Promise<unknown>,
  wrapTask?: (task: TaskHandler) => TaskHandler,
): Promise<string> {
  const run: TaskHandler = (payload) => handler(payload);
  const task = wrapTask !== undefined ? wrapTask(run) : run;
  const taskStates = Object.entries(JSON.parse(definition).States as Record<string, { Type: string }>)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name);
  return engine.createStateMachine({
    name,
    definition,
    taskHandlers: Object.fromEntries(taskStates.map((state) => [state, task])),
  });
}

/**
 * The daily digest on the local stack (no scheduler): written for the clock's day when the mirror bucket has
 * none for that day yet, by the same handler as the Lambda on the ports its wiring composes, signed with the
 * local key.
 */
export async function writeLocalDigestIfDue(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly signer: DigestSigner;
  readonly clock: Clock;
  readonly console: Pick<LocalConsole, 'info'>;
}): Promise<void> {
  const { store, ...deps } = ledgerDigestDeps({
    clients: { dynamo: input.client, s3: input.s3 },
    config: { tables: input.tables, buckets: { ledgerMirror: input.bucket } },
    digestKey: { signer: input.signer },
    now: () => input.clock.now(),
    logger: { info: (message, fields) => input.console.info(message, fields) },
  });
  const day = input.clock.now().toISOString().slice(0, 10);
  if ((await store.latest())?.statement.day === day) return;
  await makeDigestHandler({ ...deps, store })({});
}
