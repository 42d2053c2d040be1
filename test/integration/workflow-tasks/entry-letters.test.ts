import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';

import { startEmulators, LOCAL_REGION, type Emulators } from '../../../infra/local/emulators';
import { seedDemoStaffDirectory } from '../../../infra/local/demo-users';
import { DynamoDbCaseLedger, DynamoDbStaffDirectoryEditor } from '../../../shared/adapters/dynamodb';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { receiveCase } from '../../support/workflow-fixtures';

/**
 * The workflow-tasks Lambda as deployed (`functions/workflow-tasks/index.ts`: environment, SDK clients,
 * ports), pointed at the emulators through the SDK's standard endpoint variables: with `LETTERS_BUCKET_NAME`
 * set, the automatic acknowledgement of a requester without email is prepared as a PDF letter in the letters
 * bucket (`docs/letters.md`, "Where it runs"), instead of a message to the director.
 */
const DAY_MS = 86_400_000;
let emulators: Emulators;
let handler: (event: unknown) => Promise<unknown>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulators = await startEmulators();
  // The staff table as the local stack seeds it: the demo users and the demo groups' addresses.
  await seedDemoStaffDirectory(
    new DynamoDbStaffDirectoryEditor({
      client: emulators.dynamo.client,
      tables: emulators.dynamo.tables,
      clock: { now: () => new Date() },
    }),
    loadSctPolicy(),
  );
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamo.endpoint,
    AWS_ENDPOINT_URL_SESV2: emulators.ses.endpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3.endpoint,
    AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9',
  };
  Object.assign(process.env, endpoints, {
    AWS_REGION: LOCAL_REGION,
    // s3rver checks signatures against its fixed key pair; the other emulators check none.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // s3rver predates the SDK's default integrity checksums (DESIGN.md).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    CASES_TABLE_NAME: emulators.dynamo.tables.cases,
    LEDGER_TABLE_NAME: emulators.dynamo.tables.ledger,
    CONTROL_TABLE_NAME: emulators.dynamo.tables.control,
    SENDER_ADDRESS: 'avis@sct.example',
    STATE_MACHINE_ARN: `arn:aws:states:${LOCAL_REGION}:123456789012:stateMachine:jalon-test-case-lifecycle`,
    STAFF_TABLE_NAME: emulators.dynamo.tables.staff,
    STAFF_BASE_URL: 'https://jalon.sct.example/',
    INTAKE_MAIL_DOMAIN: 'demandes.sct.example',
    POLICY_ID: 'sct',
    LETTERS_BUCKET_NAME: emulators.s3.buckets.letters,
  });
  // Loaded only now, through jest's require: the entry point reads its environment and builds its clients
  // when it is first loaded, so a static import would run before the environment above exists.
  type Entry = typeof import('../../../functions/workflow-tasks/index');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require('../../../functions/workflow-tasks/index') as Entry;
  handler = entry.handler;
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await emulators?.stop();
});

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'letter-'));
  try {
    writeFileSync(path.join(dir, 'l.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'l.pdf'), '-'], { encoding: 'utf8' })
      .replace(/\s+/gu, ' ')
      .trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Check {
  check: { phase: string; due: boolean; step: { id: string; kind: string } };
}

describe('workflow-tasks entry point with the letters bucket', () => {
  it('prepares the automatic acknowledgement of a requester without email as a letter in the letters bucket', async () => {
    // A letter received 40 days ago (real clock, as in Lambda): its acknowledgement deadline has passed.
    const ledger = new DynamoDbCaseLedger({
      client: emulators.dynamo.client,
      tables: { cases: emulators.dynamo.tables.cases, ledger: emulators.dynamo.tables.ledger },
    });
    const receivedAt = new Date(Date.now() - 40 * DAY_MS).toISOString();
    const caseId = await receiveCase(ledger, { receivedAt, email: undefined });

    await handler({ task: 'plan-deadlines', caseId });
    await handler({ task: 'route-and-notify', caseId });
    const performed: string[] = [];
    for (let guard = 0; guard < 20 && !performed.includes('ack-deadline-action'); guard++) {
      const { check } = (await handler({
        task: 'checkpoint',
        caseId,
        generation: 1,
        iterations: guard,
        startedAt: receivedAt,
      })) as Check;
      expect(check.due).toBe(true);
      await handler({ task: 'perform-step', caseId, stepId: check.step.id });
      performed.push(check.step.id);
    }
    expect(performed).toContain('ack-deadline-action');

    const events = await ledger.read(caseId);
    const prepared = events.flatMap((e) => (e.type === 'letter.prepared' ? [e.data] : []));
    expect(prepared.map((letter) => letter.template)).toEqual(['automatic-acknowledgement']);
    expect(events.some((e) => e.type === 'case.acknowledged')).toBe(true);

    const listed = await emulators.s3.client.send(
      new ListObjectsV2Command({ Bucket: emulators.s3.buckets.letters }),
    );
    const key = `letters/${encodeURIComponent(caseId)}/${prepared[0]!.letterId}.pdf`;
    expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([key]);
    const object = await emulators.s3.client.send(
      new GetObjectCommand({ Bucket: emulators.s3.buckets.letters, Key: key }),
    );
    const pdf = await object.Body!.transformToByteArray();
    const reference = (await ledger.getCase(caseId))?.reference;
    expect(reference).toBeDefined();
    expect(pdfText(pdf)).toContain(reference!);
    // Nothing went to the mail buckets.
    const attachments = await emulators.s3.client.send(
      new ListObjectsV2Command({ Bucket: emulators.s3.buckets.attachments }),
    );
    expect(attachments.Contents ?? []).toEqual([]);
  }, 60_000);
});
