import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseReferenceLookup } from '../../shared/adapters/dynamodb/case-reference-lookup';
import { DynamoDbHoldingPen } from '../../shared/adapters/dynamodb/holding-pen';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { referencesOn } from '../../shared/adapters/ports/references';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { staffDirectoryOn } from '../../shared/adapters/ports/staff-directory';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { S3AttachmentWriter, S3RawMailReader } from '../../shared/adapters/s3';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import type { ApiLogger } from '../staff-api/http';
import type { OriginCheck } from '../../shared/http/origin-verify';
import { makeHandler } from './handler';

/** What the holding-pen API is deployed with (its Lambda's environment; the local stack's emulator names). */
export interface HoldingApiConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control' | 'holding' | 'staff'>;
  readonly buckets: { readonly rawMail: string; readonly attachments: string };
  /** The case-lifecycle state machine (a triaged email that becomes a case starts it). */
  readonly stateMachineArn: string;
  /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
  readonly authservId?: string;
}

/**
 * The holding-api handler with every port it needs, composed in one place for the Lambda entry point and the
 * local stack: from the clients and the configuration, the holding table, the raw-mail bucket (read only),
 * the attachments bucket (write), the cases table's references, and the intake ports it shares with other
 * functions (ledger, reference counters, workflow, clock, policy, calendars, the directory's names) unless the
 * caller passes them already built (the local stack's single instances).
 */
export function holdingApiFunction(input: {
  readonly clients: {
    readonly dynamo: DynamoDBDocumentClient;
    readonly s3: S3Client;
    readonly sfn: SFNClient;
  };
  readonly config: HoldingApiConfig;
  readonly logger: ApiLogger;
  /** The origin-verify header check (`required` in AWS, `off` on the local stack). */
  readonly originCheck: OriginCheck;
  readonly shared?: Partial<SharedPorts>;
}) {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables, buckets } = config;
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    references: shared.references ?? referencesOn({ client, tables }),
    workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
    clock: shared.clock ?? systemClock,
    policy: shared.policy ?? bundledSctPolicy(),
    ...(shared.calendars !== undefined ? { calendars: shared.calendars } : {}),
    holdingPen: new DynamoDbHoldingPen({ client, tables: { holding: tables.holding } }),
    caseReferences: new DynamoDbCaseReferenceLookup({ client, tables: { cases: tables.cases } }),
    rawMail: new S3RawMailReader({ client: clients.s3 }),
    rawMailBucket: buckets.rawMail,
    attachments: new S3AttachmentWriter({ client: clients.s3, bucket: buckets.attachments }),
    logger,
    originCheck: input.originCheck,
    ...(config.authservId !== undefined ? { authservId: config.authservId } : {}),
    // Names only (no notification groups): who triaged a held email.
    directory: shared.directory ?? staffDirectoryOn({ client, tables, logger }),
  });
}
