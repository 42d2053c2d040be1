import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbAccessJournal } from '../../shared/adapters/dynamodb/access-journal';
import { DynamoDbCaseSearchIndex } from '../../shared/adapters/dynamodb/case-search-index';
import { DynamoDbCaseQueries } from '../../shared/adapters/dynamodb/dynamodb-case-queries';
import type { CommandDeps } from '../../shared/domain/case/commands/deps';
import type { StaffDirectory } from '../../shared/domain/identity/staff-directory';
import { S3DownloadLinks } from '../../shared/adapters/s3';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { makeHandler } from './handler';
import type { StaffIntakePorts } from './handler';
import type { ApiLogger } from './http';

/**
 * The staff-api handler on its adapters, composed once for the Lambda entry point and the local stack: the
 * cases table's listing and search, the access journal (control table), download links signed on the
 * attachments bucket, and the ports the caller built and shares with other functions (ledger, notifier,
 * reply addresses, letters, clock, policy, calendars, directory, intake; accepted messages where the mail
 * service keeps a record of them).
 */
export function staffApiFunction(
  input: CommandDeps & {
    readonly client: DynamoDBDocumentClient;
    readonly tables: { readonly cases: string; readonly control: string };
    readonly s3: S3Client;
    readonly buckets: { readonly attachments: string };
    readonly logger: ApiLogger;
    /** The origin-verify header check (`required` in AWS, `off` on the local stack). */
    readonly originCheck: OriginCheck;
    readonly directory: StaffDirectory;
    readonly intake: StaffIntakePorts;
  },
) {
  const { client, tables, logger } = input;
  return makeHandler({
    ledger: input.ledger,
    notifier: input.notifier,
    replyAddresses: input.replyAddresses,
    letters: input.letters,
    clock: input.clock,
    policy: input.policy,
    ...(input.calendars !== undefined ? { calendars: input.calendars } : {}),
    ...(input.acceptedMessages !== undefined ? { acceptedMessages: input.acceptedMessages } : {}),
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
    directory: input.directory,
    intake: input.intake,
    // Signed with the caller's credentials and endpoint: a link reads what they may read (the attachments).
    downloadLinks: new S3DownloadLinks({ client: input.s3, bucket: input.buckets.attachments }),
  });
}
