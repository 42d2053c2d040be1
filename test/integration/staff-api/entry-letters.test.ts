import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { startEmulators, LOCAL_REGION, type Emulators } from '../../../infra/local/emulators';
import { seedDemoStaffDirectory } from '../../../infra/local/demo-users';
import { DynamoDbCaseLedger, DynamoDbStaffDirectoryEditor } from '../../../shared/adapters/dynamodb';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { receiveCase } from '../../support/workflow-fixtures';

/**
 * The staff-api Lambda as deployed (`functions/staff-api/index.ts`), pointed at the emulators through the
 * SDK's standard endpoint variables: a staff acknowledgement to a requester without email stores its PDF in
 * the bucket `LETTERS_BUCKET_NAME` names, and the API serves it from there (`docs/letters.md`).
 */
const DAY_MS = 86_400_000;
let emulators: Emulators;
let handler: (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<unknown>;
const savedEnv = { ...process.env };
/** The value CloudFront sends in `x-origin-verify`, as the Parameters and Secrets extension serves it. */
const ORIGIN_SECRET = 'origin-secret-of-the-test';
let extension: Server;

beforeAll(async () => {
  emulators = await startEmulators();
  // A stand-in for the Lambda's Parameters and Secrets extension: the origin-verify secret, and nothing else.
  extension = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ SecretString: ORIGIN_SECRET }));
  });
  await new Promise<void>((resolve) => extension.listen(0, 'localhost', resolve));
  // The staff table as the local stack seeds it: the demo users and the demo groups' addresses.
  await seedDemoStaffDirectory(
    new DynamoDbStaffDirectoryEditor({
      client: emulators.dynamo.client,
      tables: emulators.dynamo.tables,
      clock: { now: () => new Date() },
    }),
    loadSctPolicy(),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamo.endpoint,
    AWS_ENDPOINT_URL_SESV2: emulators.ses.endpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3.endpoint,
    AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9',
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
    HOLDING_TABLE_NAME: emulators.dynamo.tables.holding,
    STATE_MACHINE_ARN: `arn:aws:states:${LOCAL_REGION}:123456789012:stateMachine:jalon-test-case-lifecycle`,
    SENDER_ADDRESS: 'avis@sct.example',
    INTAKE_MAIL_DOMAIN: 'demandes.sct.example',
    RAW_MAIL_BUCKET_NAME: emulators.s3.buckets.rawMail,
    ATTACHMENTS_BUCKET_NAME: emulators.s3.buckets.attachments,
    LETTERS_BUCKET_NAME: emulators.s3.buckets.letters,
    STAFF_TABLE_NAME: emulators.dynamo.tables.staff,
    ORIGIN_VERIFY_SECRET_ARN:
      'arn:aws:secretsmanager:ca-central-1:123456789012:secret:jalon-test-staff-origin',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((extension.address() as AddressInfo).port),
    AWS_SESSION_TOKEN: 'session-token-of-the-test',
  });
  // Loaded only now, through jest's require: the entry point reads its environment and builds its clients
  // when it is first loaded, so a static import would run before the environment above exists.
  type Entry = typeof import('../../../functions/staff-api/index');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require('../../../functions/staff-api/index') as Entry;
  handler = entry.handler as typeof handler;
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await new Promise((resolve) => extension?.close(resolve));
  await emulators?.stop();
});

type Response = APIGatewayProxyStructuredResultV2 & { body: string; headers: Record<string, string> };

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return (await handler({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-origin-verify': ORIGIN_SECRET },
    requestContext: {
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: { sub: 'agent-tremblay', 'cognito:groups': ['agent'], 'custom:units': 'statistics' },
          scopes: [],
        },
      },
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  })) as Response;
}

describe('staff-api entry point with the letters bucket', () => {
  it('stores a staff acknowledgement letter in the letters bucket and serves its PDF from there', async () => {
    const ledger = new DynamoDbCaseLedger({
      client: emulators.dynamo.client,
      tables: { cases: emulators.dynamo.tables.cases, ledger: emulators.dynamo.tables.ledger },
    });
    const caseId = await receiveCase(ledger, {
      receivedAt: new Date(Date.now() - DAY_MS).toISOString(),
      email: undefined,
    });
    const answerBy = new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10);

    const ack = await call('POST', `/api/staff/cases/${caseId}/acknowledge`, { answerBy });
    expect({ status: ack.statusCode, body: ack.statusCode === 201 ? '' : ack.body }).toEqual({
      status: 201,
      body: '',
    });

    const listed = await call('GET', `/api/staff/cases/${caseId}/letters`);
    const letters = (JSON.parse(listed.body) as { letters: { letterId: string; pdf: string }[] }).letters;
    expect(letters).toHaveLength(1);
    const stored = await emulators.s3.client.send(
      new ListObjectsV2Command({ Bucket: emulators.s3.buckets.letters }),
    );
    expect((stored.Contents ?? []).map((object) => object.Key)).toEqual([
      `letters/${encodeURIComponent(caseId)}/${letters[0]!.letterId}.pdf`,
    ]);

    const pdf = await call('GET', letters[0]!.pdf);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = Buffer.from(pdf.body, pdf.isBase64Encoded === true ? 'base64' : 'utf8');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);
});
