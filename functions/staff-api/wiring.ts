import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbAccessJournal } from '../../shared/adapters/dynamodb/access-journal';
import { DynamoDbCaseSearchIndex } from '../../shared/adapters/dynamodb/case-search-index';
import { DynamoDbCaseQueries } from '../../shared/adapters/dynamodb/dynamodb-case-queries';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { referencesOn } from '../../shared/adapters/ports/references';
import { lettersOn } from '../../shared/adapters/ports/letters';
import { notifierOn } from '../../shared/adapters/ports/notifier';
import type { SenderConfig } from '../../shared/adapters/ports/notifier';
import { replyAddressesOn } from '../../shared/adapters/ports/reply-addresses';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { staffDirectoryOn } from '../../shared/adapters/ports/staff-directory';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { S3DownloadLinks } from '../../shared/adapters/s3';
import type { IntakeMetrics } from '../../shared/domain/case/commands';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { makeHandler } from './handler';
import type { ApiLogger } from './http';

/** What the staff API is deployed with (its Lambda's environment; the local stack's emulator names). */
export interface StaffApiConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control' | 'staff'>;
  /** Attachments (download links are signed on it) and letters. */
  readonly buckets: { readonly attachments: string; readonly letters: string };
  readonly sender: SenderConfig;
  /** The domain intake mail is received for: the cases' reply addresses are on it. */
  readonly intakeDomain: string;
  /** The case-lifecycle state machine (staff intake starts it). */
  readonly stateMachineArn: string;
}

/**
 * The staff-api handler with every port it needs, composed in one place for the Lambda entry point and the
 * local stack: from the clients and the configuration, the cases table's listing and search, the access
 * journal, download links signed on the attachments bucket (with the caller's credentials and endpoint), and
 * the ports it shares with other functions (ledger, notifier, reply addresses, letters, directory,
 * references, workflow, clock, policy, calendars) unless the caller passes them already built (the local
 * stack's single instances).
 */
export function staffApiFunction(input: {
  readonly clients: {
    readonly dynamo: DynamoDBDocumentClient;
    readonly s3: S3Client;
    readonly ses: SESv2Client;
    readonly sfn: SFNClient;
  };
  readonly config: StaffApiConfig;
  readonly logger: ApiLogger;
  readonly metrics: IntakeMetrics;
  /** The origin-verify header check (`required` in AWS, `off` on the local stack). */
  readonly originCheck: OriginCheck;
  readonly shared?: Partial<SharedPorts>;
}) {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables } = config;
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    notifier: shared.notifier ?? notifierOn({ ses: clients.ses, sender: config.sender }),
    replyAddresses:
      shared.replyAddresses ?? replyAddressesOn({ client, tables, intakeDomain: config.intakeDomain }),
    letters: shared.letters ?? lettersOn({ s3: clients.s3, bucket: config.buckets.letters }),
    clock: shared.clock ?? systemClock,
    policy: shared.policy ?? bundledSctPolicy(),
    calendars: shared.calendars ?? bundledCalendars(),
    ...(shared.acceptedMessages !== undefined ? { acceptedMessages: shared.acceptedMessages } : {}),
    queries: new DynamoDbCaseQueries({
      client,
      tables: { cases: tables.cases },
      onInvalidItem: (item) =>
        logger.warn('listing skipped a projection that fails validation; reading the case repairs it', {
          ...item,
        }),
      onTruncated: (truncation) =>
        logger.warn('case listing cut to the most urgent cases', { ...truncation }),
    }),
    search: new DynamoDbCaseSearchIndex({
      client,
      tables: { cases: tables.cases },
      onInvalidItem: (caseId) =>
        logger.warn('search skipped a projection that fails validation; reading the case repairs it', {
          caseId,
        }),
      onTruncated: (wordLength) => logger.warn('search word matched too many cases', { wordLength }),
    }),
    accessJournal: new DynamoDbAccessJournal({ client, tables: { control: tables.control } }),
    logger,
    originCheck: input.originCheck,
    directory: shared.directory ?? staffDirectoryOn({ client, tables, logger }),
    intake: {
      references: shared.references ?? referencesOn({ client, tables }),
      workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
      metrics: input.metrics,
    },
    // Signed with the caller's credentials and endpoint: a link reads what they may read (the attachments).
    downloadLinks: new S3DownloadLinks({ client: clients.s3, bucket: config.buckets.attachments }),
  });
}
