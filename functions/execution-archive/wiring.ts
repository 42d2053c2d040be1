import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';

import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { makeHandler } from './handler';
import type { ExecutionArchiveDeps } from './handler';

/** What the execution archive is deployed with (its Lambda's environment; the local stack's names). */
export interface ExecutionArchiveConfig {
  /** The case-lifecycle state machine, whose closed executions are archived. */
  readonly stateMachineArn: string;
  /** The ledger mirror bucket: archives go under `executions/v1/`. */
  readonly buckets: { readonly ledgerMirror: string };
}

export interface ExecutionArchiveWiringInput {
  readonly clients: { readonly s3: S3Client; readonly sfn: SFNClient };
  readonly config: ExecutionArchiveConfig;
}

/**
 * The archive's ports, composed in one place for the EventBridge rule's Lambda and the local stack (which
 * archives on its engine's close hook): the state machine's execution history, the mirror bucket's
 * write-once store.
 */
export function executionArchiveDeps(
  input: ExecutionArchiveWiringInput,
): Pick<ExecutionArchiveDeps, 'executions' | 'archive'> {
  const { clients, config } = input;
  return {
    executions: new SfnExecutionHistory({ client: clients.sfn, stateMachineArn: config.stateMachineArn }),
    archive: new S3WriteOnceStore({
      client: clients.s3,
      bucket: config.buckets.ledgerMirror,
      label: 'ledger-mirror',
    }),
  };
}

/** The Lambda's handler on the archive's ports (`executionArchiveDeps`). */
export function executionArchiveFunction(
  input: ExecutionArchiveWiringInput & Pick<ExecutionArchiveDeps, 'logger'>,
) {
  return makeHandler({
    ...executionArchiveDeps(input),
    stateMachineArn: input.config.stateMachineArn,
    logger: input.logger,
  });
}
