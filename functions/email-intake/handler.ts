import type { S3Event } from 'aws-lambda';
import * as z from 'zod';

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
}

const S3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), versionId: z.string().min(1).optional() }),
  }),
});

const S3EventSchema = z.union([
  z.object({ Records: z.array(S3RecordSchema).min(1) }),
  /** What S3 sends once when a notification is configured; nothing to do. */
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

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

/**
 * The email-intake Lambda, invoked (asynchronously) by the raw-mail bucket's object-created notifications:
 * parse the S3 event (zod) → `receiveEmail` for each record, in order → log and count where each message was
 * filed. Every record is attempted; if any failed on infrastructure (S3, DynamoDB, Step Functions or SES
 * unavailable, a missing raw object), the invocation then throws the first such error, so that Lambda retries
 * the whole event (records already filed are idempotent) and finally keeps it in the failure queue. A message
 * that is merely odd never throws: it is in the holding pen. Logs hold keys, ids and codes, never addresses,
 * subjects or bodies.
 *
 * @throws InvalidS3EventError for an event that is not an S3 event of the raw-mail bucket.
 */
export function makeHandler(
  deps: EmailIntakeHandlerDeps,
): (event: S3Event | unknown) => Promise<EmailIntakeSummary> {
  return async (event) => {
    const parsed = S3EventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidS3EventError('unexpected shape', {
        paths: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
    }
    if (!('Records' in parsed.data)) return { results: [], skipped: 1 };

    const locations: RawMailLocation[] = [];
    let skipped = 0;
    for (const record of parsed.data.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) {
        skipped += 1;
        continue;
      }
      if (record.s3.bucket.name !== deps.rawMailBucket) {
        throw new InvalidS3EventError('not the raw-mail bucket', { bucket: record.s3.bucket.name });
      }
      locations.push({
        bucket: record.s3.bucket.name,
        key: decodeS3Key(record.s3.object.key),
        ...(record.s3.object.versionId !== undefined ? { versionId: record.s3.object.versionId } : {}),
      });
    }

    const results: (EmailIntakeResult & { key: string })[] = [];
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
    if (failures.length > 0) throw failures[0];
    return { results, skipped };
  };
}
