import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { DynamoDbHoldingPen } from '../../shared/adapters/dynamodb/holding-pen';
import { S3AttachmentWriter, S3RawMailReader } from '../../shared/adapters/s3';
import type { EmailIntakeDeps } from '../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING, checkEmailRouting } from '../../shared/domain/intake/email/routing';
import { makeHandler } from './handler';
import type { EmailIntakeHandlerDeps } from './handler';

/**
 * The email-intake handler on its adapters, composed once for the Lambda entry point and the local stack: the
 * raw-mail bucket (read), the attachments bucket (write), the holding table, the cases table's references, the
 * routing table checked against the policy, and the ports the caller built and shares with other functions
 * (ledger, references, workflow, clock, policy, reply addresses, notifier, rate counter; accepted messages
 * where the mail service keeps a record of them).
 */
export function emailIntakeFunction(
  input: Omit<EmailIntakeDeps, 'rawMail' | 'attachments' | 'holdingPen' | 'caseReferences' | 'settings'> &
    Pick<EmailIntakeHandlerDeps, 'logger' | 'metrics'> & {
      readonly client: DynamoDBDocumentClient;
      readonly tables: { readonly cases: string; readonly holding: string };
      readonly s3: S3Client;
      readonly buckets: { readonly rawMail: string; readonly attachments: string };
      readonly settings: {
        /** The domain intake mail is received for; reply addresses are on it. */
        readonly intakeDomain: string;
        /** The organization's sending address (`Name <address>` or `address`): mail from it is a loop. */
        readonly senderAddress: string;
        /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
        readonly authservId?: string;
        /** The object metadata holding the receipt time (the local SMTP intake's); `LastModified` unless set. */
        readonly storedAtMetadataKey?: string;
      };
    },
) {
  const { client, tables, s3, buckets, settings, ...ports } = input;
  return makeHandler({
    ...ports,
    rawMail: new S3RawMailReader({
      client: s3,
      ...(settings.storedAtMetadataKey !== undefined
        ? { storedAtMetadataKey: settings.storedAtMetadataKey }
        : {}),
    }),
    attachments: new S3AttachmentWriter({ client: s3, bucket: buckets.attachments }),
    holdingPen: new DynamoDbHoldingPen({ client, tables: { holding: tables.holding } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    settings: {
      intakeDomain: settings.intakeDomain,
      ownAddresses: [bareAddress(settings.senderAddress)],
      routing: checkEmailRouting(SCT_EMAIL_ROUTING, input.policy),
      ...(settings.authservId !== undefined ? { authservId: settings.authservId } : {}),
    },
    rawMailBucket: buckets.rawMail,
  });
}

/** The bare address of `Name <address>` or `address`, lower-cased. */
function bareAddress(sender: string): string {
  return (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim().toLowerCase();
}
