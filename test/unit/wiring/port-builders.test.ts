import 'aws-sdk-client-mock-jest';

import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { notifierOn } from '../../../shared/adapters/ports/notifier';
import { replyAddressesOn } from '../../../shared/adapters/ports/reply-addresses';
import type { OutgoingMessage } from '../../../shared/domain/messaging/ports';
import { SAMPLE_VALUES } from '../templates/sample-values';

/**
 * The port builders both a Lambda's wiring and the local stack use: what each takes from the configuration
 * is what the port then does.
 */
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const ses = mockClient(SESv2Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const CASE_ID = '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11';

const acknowledgement: OutgoingMessage = {
  template: 'acknowledgement',
  language: 'fr',
  to: ['marie.tremblay@example.com'],
  values: SAMPLE_VALUES.acknowledgement,
  caseId: CASE_ID,
};

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  dynamo.reset();
});

describe('notifierOn', () => {
  const client = new SESv2Client({ region: 'ca-central-1', credentials });

  it('sends from the configured address and names the configuration set', async () => {
    // Arrange
    const notifier = notifierOn({
      ses: client,
      sender: { address: 'Jalon SCT <no-reply@sct.example>', configurationSet: 'jalon-test-mail' },
    });

    // Act
    await notifier.send(acknowledgement);

    // Assert
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toContain('no-reply@sct.example');
    expect(input?.ConfigurationSetName).toBe('jalon-test-mail');
  });

  it('names no configuration set when none is configured', async () => {
    // Arrange
    const notifier = notifierOn({ ses: client, sender: { address: 'no-reply@sct.example' } });

    // Act
    await notifier.send(acknowledgement);

    // Assert
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).not.toHaveProperty('ConfigurationSetName');
  });
});

describe('replyAddressesOn', () => {
  it('gives a case its reply address on the intake domain, kept in the control table', async () => {
    // Arrange
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const book = replyAddressesOn({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ca-central-1', credentials })),
      tables: { control: 'jalon-test-control' },
      intakeDomain: 'intake.example',
    });

    // Act
    const reply = await book.addressFor(CASE_ID, 'marie.tremblay@example.com');

    // Assert
    expect(reply.address).toMatch(/^demandes\+[^@]+@intake\.example$/);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'jalon-test-control' });
  });
});
