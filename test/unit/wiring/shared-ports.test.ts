import 'aws-sdk-client-mock-jest';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { mailEventsFunction } from '../../../functions/mail-events/wiring';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

/**
 * A function's wiring builds its ports from the clients and the configuration (its Lambda), or takes those
 * the caller already built (the local stack, whose one ledger is under every function).
 */
const AT = '2026-03-02T14:00:00.000Z';
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const tables = { cases: 'jalon-test-cases', ledger: 'jalon-test-ledger' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function bounceOf(caseId: string) {
  const detail = {
    eventType: 'Bounce',
    mail: {
      messageId: 'ses-ack',
      timestamp: AT,
      destination: ['bounce@simulator.amazonses.com'],
      tags: { caseId: [caseId], template: ['acknowledgement'] },
    },
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      feedbackId: 'feedback-1',
      timestamp: '2026-03-02T14:00:03.000Z',
      bouncedRecipients: [{ emailAddress: 'bounce@simulator.amazonses.com' }],
    },
  };
  return {
    Records: [
      {
        eventSource: 'aws:sqs',
        messageId: 'q-1',
        body: JSON.stringify({ source: 'aws.ses', 'detail-type': 'Email Bounced', detail }),
        attributes: { ApproximateReceiveCount: '1' },
      },
    ],
  };
}

beforeEach(() => dynamo.reset());

describe('mailEventsFunction', () => {
  it('records through the ledger the caller shares, and builds none', async () => {
    // Arrange
    const { ledger, clock } = workflowDeps(AT);
    const caseId = await receiveCase(ledger, { receivedAt: AT, email: 'bounce@simulator.amazonses.com' });
    await ledger.append(caseId, {
      type: 'message.sent',
      at: AT,
      actor: { kind: 'system', id: 'workflow' },
      data: { messageId: 'ses-ack', purpose: 'acknowledgement', recipient: 'requester' },
    });
    const handler = mailEventsFunction({
      clients: { dynamo: client },
      config: { tables },
      logger: quiet,
      metrics: { record: () => undefined },
      shared: { ledger, clock },
    });

    // Act
    const summary = await handler(bounceOf(caseId));

    // Assert
    expect(summary.batchItemFailures).toEqual([]);
    expect((await ledger.read(caseId)).some((event) => event.type === 'message.bounced')).toBe(true);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('reads the case on the configured tables when no ledger is shared', async () => {
    // Arrange
    dynamo.onAnyCommand().resolves({});
    const handler = mailEventsFunction({
      clients: { dynamo: client },
      config: { tables },
      logger: quiet,
      metrics: { record: () => undefined },
    });

    // Act
    await handler(bounceOf('0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11'));

    // Assert
    const tablesRead = dynamo.calls().map((call) => (call.args[0].input as { TableName?: string }).TableName);
    expect(tablesRead.length).toBeGreaterThan(0);
    expect(tablesRead.every((name) => name === tables.cases || name === tables.ledger)).toBe(true);
  });
});
