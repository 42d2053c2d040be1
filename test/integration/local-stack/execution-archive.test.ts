import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../../shared/adapters/s3';
import { executionArchiveKey } from '../../../shared/domain/audit/execution-archive';
import { client } from './support';

/**
 * Workflow histories beyond Step Functions' 90 days on the local stack: a generation that ends is archived in
 * the mirror bucket (the engine's completion hook, as the EventBridge rule in AWS); the local engine keeps
 * executions forever, so the test makes it forget the execution (`forgetExecution`, what Step Functions does 90
 * days after an execution closed) and the audit timeline still shows every step of that generation.
 */
const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

interface TimelineExecution {
  name: string;
  status: string;
  events: { id: number; type: string; state?: string }[];
}

async function executionsOf(caseId: string): Promise<TimelineExecution[]> {
  const auditor = await api.login('auditor');
  const response = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, {
    authorization: `Bearer ${auditor}`,
  });
  expect(response.status).toBe(200);
  return (response.json as unknown as { execution: TimelineExecution[] }).execution;
}

describe('workflow history beyond 90 days on the local stack', () => {
  it('shows a finished generation from the archive once Step Functions has forgotten it', async () => {
    const agent = await api.login('agent');
    const { caseId } = await api.registerLetter(agent, 'archive-letter-1', '2026-03-02T14:00:00Z');
    await api.clock({ advance: 'P10D' });
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
    await stack.sfn.stopExecution({ executionArn });
    await stack.sfn.whenClosed(executionArn);
    const before = await executionsOf(caseId);

    stack.sfn.forgetExecution(executionArn);

    await expect(stack.sfn.describeExecution({ executionArn })).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    const after = await executionsOf(caseId);
    expect(before.map((execution) => [execution.name, execution.status])).toEqual([[caseId, 'ABORTED']]);
    expect(after).toEqual(before);
    const events = after[0]!.events;
    expect(events[0]?.type).toBe('ExecutionStarted');
    expect(events.some((event) => event.type === 'WaitStateEntered' && event.state)).toBe(true);
    expect(events.some((event) => event.type === 'TaskSucceeded')).toBe(true);
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
    const s3 = new S3Client({
      endpoint: stack.urls.s3,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      ...LOCAL_S3_CHECKSUM_OPTIONS,
    });
    const archived = await s3.send(
      new GetObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: executionArchiveKey(caseId) }),
    );
    expect(archived.ContentType).toBe('application/json');
    s3.destroy();
  }, 120_000);
});
