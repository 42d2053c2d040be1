import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { SCT_EMAIL_ROUTING } from '../../domain/intake/email/routing';
import { DynamoDbReplyAddressBook } from '../dynamodb/reply-addresses';
import type { TableNames } from '../dynamodb/table-definitions';

/**
 * Each case's reply address (`demandes+<token>@<intake domain>`), kept in the control table: one book for the
 * workflow, the staff commands and email intake, so a case has one address whoever asks first.
 */
export function replyAddressesOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
  /** The domain intake mail is received for. */
  readonly intakeDomain: string;
}): DynamoDbReplyAddressBook {
  return new DynamoDbReplyAddressBook({
    client: input.client,
    tables: { control: input.tables.control },
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: input.intakeDomain },
  });
}
