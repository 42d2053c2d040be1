import type { S3Event, SQSBatchItemFailure, SQSEvent } from 'aws-lambda';
import * as z from '../../shared/zod-mini';

import { InvalidS3EventError } from '../../shared/errors';
import { errorNameOf } from '../../shared/domain/intake/email/failures';
import { receiveEmail } from '../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps, EmailIntakeResult } from '../../shared/domain/intake/email/receive-email';
import type { RawMailLocation } from '../../shared/domain/intake/email/ports';
import type { EmailIntakeMetrics } from './metrics';

/** Structured logging (Powertools in AWS, the local console locally): identifiers and codes only. */
export interface IntakeLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface EmailIntakeHandlerDeps extends EmailIntakeDeps {
  /** Physical name of the raw-mail bucket: the only bucket whose events are processed. */
  readonly rawMailBucket: string;
  readonly logger: IntakeLogger;
  readonly metrics?: EmailIntakeMetrics;
}

/** What one invocation did, per record (identifiers and counts only). */
export interface EmailIntakeSummary {
  readonly results: readonly (EmailIntakeResult & { readonly key: string })[];
  /** Records that were not object-created events (skipped). */
  readonly skipped: number;
  /**
   * For a queue event: the messages to deliver again (Lambda's partial batch response). The queue redelivers
   * them after its visibility timeout and, after its last receive, moves them to the dead-letter queue.
   */
  readonly batchItemFailures?: readonly SQSBatchItemFailure[];
}

/** The email-intake function: an intake-queue event or an S3 event in, what it filed out. */
export type EmailIntakeHandler = (event: S3Event | SQSEvent | unknown) => Promise<EmailIntakeSummary>;

const S3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      versionId: z.optional(z.string().check(z.minLength(1))),
    }),
  }),
});

const S3EventSchema = z.union([
  z.object({ Records: z.array(S3RecordSchema).check(z.minLength(1)) }),
  /** What S3 sends once when a notification is configured; nothing to do. */
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

/** The raw-mail bucket's notifications as the intake queue delivers them: each message's body is an S3 event. */
const SqsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:sqs'),
        messageId: z.string().check(z.minLength(1)),
        body: z.string(),
      }),
    )
    .check(z.minLength(1)),
});

type S3Records = z.infer<typeof S3RecordSchema>[];

/** An S3 event key, URL-decoded (`+` is a space). @throws InvalidS3EventError for a malformed escape */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw new InvalidS3EventError('object key is not URL-encoded');
  }
}

function logAttributes(result: EmailIntakeResult & { key: string }): Record<string, unknown> {
  switch (result.outcome) {
    case 'case':
      return {
        key: result.key,
        outcome: result.outcome,
        caseId: result.caseId,
        created: result.created,
        category: result.category,
        attachments: result.attachments,
        refused: result.refused,
        receiptSource: result.receiptSource,
        ...(result.notice !== undefined ? { notice: result.notice } : {}),
      };
    case 'reply':
      return {
        key: result.key,
        outcome: result.outcome,
        caseId: result.caseId,
        appended: result.appended,
        attachments: result.attachments,
        refused: result.refused,
        ...(result.notice !== undefined ? { notice: result.notice } : {}),
      };
    case 'held':
      return {
        key: result.key,
        outcome: result.outcome,
        itemId: result.itemId,
        kind: result.kind,
        created: result.created,
        ...(result.caseId !== undefined ? { caseId: result.caseId } : {}),
        ...(result.errorName !== undefined ? { errorName: result.errorName } : {}),
      };
  }
}

/** The raw messages an S3 event names (object creations in the raw-mail bucket), and how many it skipped. */
function locationsOf(
  records: S3Records,
  rawMailBucket: string,
): { locations: RawMailLocation[]; skipped: number } {
  const locations: RawMailLocation[] = [];
  let skipped = 0;
  for (const record of records) {
    if (!record.eventName.startsWith('ObjectCreated:')) {
      skipped += 1;
      continue;
    }
    if (record.s3.bucket.name !== rawMailBucket) {
      throw new InvalidS3EventError('not the raw-mail bucket', { bucket: record.s3.bucket.name });
    }
    locations.push({
      bucket: record.s3.bucket.name,
      key: decodeS3Key(record.s3.object.key),
      ...(record.s3.object.versionId !== undefined ? { versionId: record.s3.object.versionId } : {}),
    });
  }
  return { locations, skipped };
}

/** The S3 event a queue message carries. @throws InvalidS3EventError when the body is not one. */
function s3EventOfBody(body: string): z.infer<typeof S3EventSchema> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidS3EventError('queue message body is not JSON');
  }
  const parsed = S3EventSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidS3EventError('queue message body is not an S3 event', {
      paths: parsed.error.issues.map((issue) => issue.path.join('.')),
    });
  }
  return parsed.data;
}

/**
 * The email-intake Lambda. In AWS the raw-mail bucket's object-created notifications reach it through the
 * intake queue (an SQS event whose messages each carry an S3 event); an S3 event is also accepted as it is
 * (S3 invoking the function directly). For each raw message, in order: `receiveEmail`, then log and count
 * where it was filed. A message that is merely odd never fails: it is in the holding pen. Every record is
 * attempted; what failed on infrastructure (S3, DynamoDB, Step Functions or SES unavailable, a missing raw
 * object) is delivered again (records already filed are idempotent):
 * - from the queue, each queue message that failed (or whose body is not an S3 event of the raw-mail bucket)
 *   is returned in `batchItemFailures`, so the queue redelivers that one alone and finally moves it to its
 *   dead-letter queue;
 * - an S3 event fails the invocation with the first such error, and Lambda's retries take it from there.
 * Logs hold keys, ids and codes, never addresses, subjects or bodies.
 *
 * @throws InvalidS3EventError for an event that is neither an S3 event of the raw-mail bucket nor a queue event.
 */
export function makeHandler(deps: EmailIntakeHandlerDeps): EmailIntakeHandler {
  /** Files each raw message into `results`; the infrastructure errors met, in order. */
  const file = async (
    locations: readonly RawMailLocation[],
    results: (EmailIntakeResult & { key: string })[],
  ): Promise<unknown[]> => {
    const failures: unknown[] = [];
    for (const location of locations) {
      try {
        const result = { ...(await receiveEmail(deps, location)), key: location.key };
        results.push(result);
        deps.metrics?.record(result);
        deps.logger.info('received email filed', logAttributes(result));
      } catch (error) {
        deps.logger.error('received email not filed; the event will be retried (the raw message is kept)', {
          key: location.key,
          errorName: errorNameOf(error),
        });
        failures.push(error);
      }
    }
    return failures;
  };

  return async (event) => {
    const results: (EmailIntakeResult & { key: string })[] = [];
    const fromQueue = SqsEventSchema.safeParse(event);
    if (fromQueue.success) {
      const batchItemFailures: SQSBatchItemFailure[] = [];
      let skipped = 0;
      for (const message of fromQueue.data.Records) {
        try {
          const s3Event = s3EventOfBody(message.body);
          if (!('Records' in s3Event)) {
            skipped += 1;
            continue;
          }
          const found = locationsOf(s3Event.Records, deps.rawMailBucket);
          skipped += found.skipped;
          if ((await file(found.locations, results)).length > 0) {
            batchItemFailures.push({ itemIdentifier: message.messageId });
          }
        } catch (error) {
          deps.logger.error(
            'queue message is not an event of the raw-mail bucket; it will go to the dead-letter queue',
            {
              messageId: message.messageId,
              errorName: errorNameOf(error),
            },
          );
          batchItemFailures.push({ itemIdentifier: message.messageId });
        }
      }
      return { results, skipped, batchItemFailures };
    }

    const parsed = S3EventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidS3EventError('unexpected shape', {
        paths: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
    }
    if (!('Records' in parsed.data)) return { results: [], skipped: 1 };
    const { locations, skipped } = locationsOf(parsed.data.Records, deps.rawMailBucket);
    const failures = await file(locations, results);
    if (failures.length > 0) throw failures[0];
    return { results, skipped };
  };
}
