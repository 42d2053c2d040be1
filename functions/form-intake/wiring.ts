import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { referencesOn } from '../../shared/adapters/ports/references';
import { systemClock } from '../../shared/adapters/ports/shared-ports';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { makeHandler } from './handler';
import type { FormIntakeDeps } from './handler';

/** What form intake is deployed with (its Lambda's environment; the local stack's emulator names). */
export interface FormIntakeConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'control'>;
  /** The case-lifecycle state machine (a new case starts it). */
  readonly stateMachineArn: string;
}

/**
 * The form-intake handler (`POST /api/requests`) with every port it needs, composed in one place for the
 * Lambda entry point and the local stack: from the clients and the configuration, the ports it shares with
 * other functions (ledger, references, workflow, clock, policy, calendars) unless the caller passes them
 * already built (the local stack's single instances). The per-client limiter is the local stack's: in AWS the
 * WAF's rate-based rule limits submissions per IP address across every container.
 */
export function formIntakeFunction(
  input: Pick<FormIntakeDeps, 'metrics' | 'logger' | 'originCheck' | 'rateLimiter'> & {
    readonly clients: { readonly dynamo: DynamoDBDocumentClient; readonly sfn: SFNClient };
    readonly config: FormIntakeConfig;
    readonly shared?: Partial<SharedPorts>;
  },
) {
  const { clients, config, logger, shared = {} } = input;
  const client = clients.dynamo;
  const { tables } = config;
  return makeHandler({
    ledger: shared.ledger ?? caseLedgerOn({ client, tables, logger }),
    references: shared.references ?? referencesOn({ client, tables }),
    workflow: shared.workflow ?? workflowOn({ sfn: clients.sfn, stateMachineArn: config.stateMachineArn }),
    clock: shared.clock ?? systemClock,
    policy: shared.policy ?? bundledSctPolicy(),
    calendars: shared.calendars ?? bundledCalendars(),
    metrics: input.metrics,
    logger,
    originCheck: input.originCheck,
    ...(input.rateLimiter !== undefined ? { rateLimiter: input.rateLimiter } : {}),
  });
}
