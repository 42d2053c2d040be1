import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { DynamoDbHoldingPen } from '../../shared/adapters/dynamodb/holding-pen';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { rateCounterOn } from '../../shared/adapters/ports/rate-counter';
import { referencesOn } from '../../shared/adapters/ports/references';
import { notifierOn } from '../../shared/adapters/ports/notifier';
import type { SenderConfig } from '../../shared/adapters/ports/notifier';
import { replyAddressesOn } from '../../shared/adapters/ports/reply-addresses';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { S3AttachmentWriter, S3RawMailReader } from '../../shared/adapters/s3';
import { SCT_EMAIL_ROUTING, checkEmailRouting } from '../../shared/domain/intake/email/routing';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { makeHandler } from './handler';
import type { EmailIntakeHandlerDeps } from './handler';

/** What email intake is deployed with (its Lambda's environment; the local stack's emulator names). */
export interface EmailIntakeConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control' | 'holding'>;
  readonly buckets: { readonly rawMail: string; readonly attachments: string };
  /** The organization's sending address (`Name <address>` or `address`): mail from it is a loop. */
  readonly sender: SenderConfig;
  /** The domain intake mail is received for; reply addresses are on it. */
  readonly intakeDomain: string;
  /** The case-lifecycle state machine (a new case starts it). */
  readonly stateMachineArn: string;
  /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
  readonly authservId?: string;
  /** The object metadata holding the receipt time (the local SMTP intake's); `LastModified` unless set. */
  readonly storedAtMetadataKey?: string;
}

/**
 * The email-intake handler with every port it needs, composed in one place for the Lambda entry point and
 * the local stack: from the clients and the configuration, the raw-mail bucket (read), the attachments bucket
 * (write), the holding table, the cases table's references, the routing table checked against the policy,
 * and the ports it shares with other functions (ledger, references, workflow, clock, policy, reply
 * addresses, notifier, rate counter) unless the caller passes them already built (the local stack's single
 * instances; accepted messages where the mail service keeps a record of them).
 */
export function emailIntakeFunction(
  input: Pick<EmailIntakeHandlerDeps, 'logger' | 'metrics'> & {
    readonly clients: {
      readonly dynamo: DynamoDBDocumentClient;
      readonly s3: S3Client;
      readonly ses: SESv2Client;
      readonly sfn: SFNClient;
    };
    readonly config: EmailIntakeConfig;
    readonly shared?: Partial<SharedPorts>;
  },
) {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables, buckets } = config;
  const policy = shared.policy ?? bundledSctPolicy();
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    references: shared.references ?? referencesOn({ client, tables }),
    workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
    clock: shared.clock ?? systemClock,
    policy,
    ...(shared.calendars !== undefined ? { calendars: shared.calendars } : {}),
    replyAddresses:
      shared.replyAddresses ?? replyAddressesOn({ client, tables, intakeDomain: config.intakeDomain }),
    rateCounter: shared.rateCounter ?? rateCounterOn({ client, tables }),
    notifier: shared.notifier ?? notifierOn({ ses: clients.ses, sender: config.sender }),
    ...(shared.acceptedMessages !== undefined ? { acceptedMessages: shared.acceptedMessages } : {}),
    logger,
    metrics: input.metrics,
    rawMail: new S3RawMailReader({
      client: clients.s3,
      ...(config.storedAtMetadataKey !== undefined
        ? { storedAtMetadataKey: config.storedAtMetadataKey }
        : {}),
    }),
    attachments: new S3AttachmentWriter({ client: clients.s3, bucket: buckets.attachments }),
    holdingPen: new DynamoDbHoldingPen({ client, tables: { holding: tables.holding } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    settings: {
      intakeDomain: config.intakeDomain,
      ownAddresses: [bareAddress(config.sender.address)],
      routing: checkEmailRouting(SCT_EMAIL_ROUTING, policy),
      ...(config.authservId !== undefined ? { authservId: config.authservId } : {}),
    },
    rawMailBucket: buckets.rawMail,
  });
}

/** The bare address of `Name <address>` or `address`, lower-cased. */
function bareAddress(sender: string): string {
  return (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim().toLowerCase();
}
