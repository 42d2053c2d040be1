import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { DynamoDbHoldingPen } from '../../shared/adapters/dynamodb/holding-pen';
import { S3AttachmentWriter, S3RawMailReader } from '../../shared/adapters/s3';
import type { IntakeDeps } from '../../shared/domain/intake/register-case';
import type { StaffDirectory } from '../../shared/domain/identity/staff-directory';
import type { ApiLogger } from '../staff-api/http';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { makeHandler } from './handler';

/**
 * The holding-api handler on its adapters, composed once for the Lambda entry point and the local stack: the
 * holding table, the raw-mail bucket (read only), the attachments bucket (write), the cases table's
 * references, and the intake ports the caller built (ledger, reference counters, workflow, clock, policy,
 * calendars).
 */
export function holdingApiFunction(
  input: IntakeDeps & {
    readonly client: DynamoDBDocumentClient;
    readonly tables: { readonly cases: string; readonly holding: string };
    readonly s3: S3Client;
    readonly buckets: { readonly rawMail: string; readonly attachments: string };
    readonly logger: ApiLogger;
    /** The origin-verify header check (`required` in AWS, `off` on the local stack). */
    readonly originCheck: OriginCheck;
    /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
    readonly authservId?: string;
    /** Who staff ids are (display names). */
    readonly directory?: Pick<StaffDirectory, 'member'>;
  },
) {
  const { client, tables, s3, buckets } = input;
  return makeHandler({
    ledger: input.ledger,
    references: input.references,
    workflow: input.workflow,
    clock: input.clock,
    policy: input.policy,
    ...(input.calendars !== undefined ? { calendars: input.calendars } : {}),
    holdingPen: new DynamoDbHoldingPen({ client, tables: { holding: tables.holding } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    rawMail: new S3RawMailReader({ client: s3 }),
    rawMailBucket: buckets.rawMail,
    attachments: new S3AttachmentWriter({ client: s3, bucket: buckets.attachments }),
    logger: input.logger,
    originCheck: input.originCheck,
    ...(input.authservId !== undefined ? { authservId: input.authservId } : {}),
    ...(input.directory !== undefined ? { directory: input.directory } : {}),
  });
}
