import * as z from '../../shared/zod-mini';
import type { SQSBatchResponse } from 'aws-lambda';

import { replayAfterFailures } from '../../shared/domain/report/replay-triggers';
import type { ReportReplayStarter } from '../../shared/domain/report/aggregates';

/**
 * A batch of the stream consumer's failure queue, as the SQS event source delivers it: only each message's id
 * and when it was sent are read (the body holds stream positions, which the replay does not need).
 */
const FailureBatchSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().check(z.minLength(1)),
        attributes: z.object({ SentTimestamp: z.string().check(z.regex(/^\d+$/)) }),
      }),
    )
    .check(z.minLength(1)),
});

/** The deployment's trigger invokes the function without a payload: Lambda hands it `{}`. */
const DeploymentSchema = z.strictObject({});

export interface ReportReplayStartDeps {
  readonly replay: ReportReplayStarter;
  /** Run ids, counts and message ids only. */
  readonly logger: { info(message: string, fields: Record<string, unknown>): void };
}

/** Thrown on an input that is neither a failure-queue batch nor the deployment's trigger. */
export class InvalidReplayStartError extends Error {
  override readonly name = 'InvalidReplayStartError';
}

/**
 * Starts a full replay of the report aggregates (`docs/service-statement-report.md`), or finds the one in
 * progress, on two occasions: a deployment (the `Trigger` of `ReportReplayStarts`, invoked with `{}` when the
 * stack is created and whenever the stream consumer, the replay machine or its step change), and a batch of
 * the stream consumer's failure queue (`replayAfterFailures`: the messages a run in progress does not cover
 * are reported as batch item failures, so the queue shows them again later; the others are deleted).
 *
 * @throws InvalidReplayStartError on any other input; the starter's errors as they are (the trigger then
 * fails the deployment, the queue shows the batch again).
 */
export function makeHandler(
  deps: ReportReplayStartDeps,
): (event: unknown) => Promise<SQSBatchResponse | { readonly runId: string }> {
  return async (event) => {
    const batch = FailureBatchSchema.safeParse(event);
    if (batch.success) {
      const notices = batch.data.Records.map((record) => ({
        id: record.messageId,
        failedAt: new Date(Number(record.attributes.SentTimestamp)),
      }));
      const { run, notCovered } = await replayAfterFailures(deps.replay, notices);
      deps.logger.info('report replay for aggregate failures', {
        runId: run.runId,
        startedAt: run.startedAt,
        failures: notices.length,
        notCovered: notCovered.length,
      });
      return { batchItemFailures: notCovered.map((itemIdentifier) => ({ itemIdentifier })) };
    }
    if (!DeploymentSchema.safeParse(event).success) {
      throw new InvalidReplayStartError('neither a failure-queue batch nor a deployment trigger');
    }
    const run = await deps.replay.start();
    deps.logger.info('report replay after deployment', { runId: run.runId, startedAt: run.startedAt });
    return { runId: run.runId };
  };
}
