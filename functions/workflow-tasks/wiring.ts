import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { StaffDirectoryLogger } from '../../shared/adapters/dynamodb/staff-directory';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { rateCounterOn } from '../../shared/adapters/ports/rate-counter';
import { lettersOn } from '../../shared/adapters/ports/letters';
import { notifierOn } from '../../shared/adapters/ports/notifier';
import type { SenderConfig } from '../../shared/adapters/ports/notifier';
import { replyAddressesOn } from '../../shared/adapters/ports/reply-addresses';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { staffDirectoryOn } from '../../shared/adapters/ports/staff-directory';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { makeHandler } from './handler';

/** What the workflow tasks are deployed with (their Lambda's environment; the local stack's emulator names). */
export interface WorkflowTasksConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control' | 'staff'>;
  readonly buckets: { readonly letters: string };
  readonly sender: SenderConfig;
  /** The domain intake mail is received for: the cases' reply addresses are on it. */
  readonly intakeDomain: string;
  /** The case-lifecycle state machine (a case woken early starts a new generation). */
  readonly stateMachineArn: string;
  /** Where the staff pages are served (`https://…/`): a case's page is `staff/cases/<caseId>` under it. */
  readonly staffBaseUrl: string;
}

/**
 * The workflow-tasks handler with every port it needs, composed in one place for the Lambda entry point and
 * the local stack: from the clients and the configuration, the ports it shares with other functions (ledger,
 * notifier, reply addresses, rate counter, directory, workflow, letters, clock, policy, calendars) unless the
 * caller passes them already built (the local stack's single instances; accepted messages where the mail
 * service keeps a record of them), and the links of staff notifications into the staff pages.
 */
export function workflowTasksFunction(input: {
  readonly clients: {
    readonly dynamo: DynamoDBDocumentClient;
    readonly s3: S3Client;
    readonly ses: SESv2Client;
    readonly sfn: SFNClient;
  };
  readonly config: WorkflowTasksConfig;
  readonly logger: StaffDirectoryLogger;
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
    rateCounter: shared.rateCounter ?? rateCounterOn({ client, tables }),
    directory: shared.directory ?? staffDirectoryOn({ client, tables, logger }),
    clock: shared.clock ?? systemClock,
    policy: shared.policy ?? bundledSctPolicy(),
    calendars: shared.calendars ?? bundledCalendars(),
    workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
    letters: shared.letters ?? lettersOn({ s3: clients.s3, bucket: config.buckets.letters }),
    ...(shared.acceptedMessages !== undefined ? { acceptedMessages: shared.acceptedMessages } : {}),
    caseUrl: (caseId) => new URL(`staff/cases/${encodeURIComponent(caseId)}`, config.staffBaseUrl).toString(),
  });
}
