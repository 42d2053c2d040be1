import type { SQSBatchItemFailure } from 'aws-lambda';
import * as z from '../../shared/zod-mini';

import { errorNameOf } from '../../shared/domain/intake/email/failures';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import { recordMailReports } from '../../shared/domain/messaging/mail-events';
import type { MailReport, MailReportOutcome } from '../../shared/domain/messaging/mail-events';
import type { Clock } from '../../shared/domain/messaging/ports';

/**
 * How many times the mail-events queue delivers one event before moving it to its dead-letter queue (the
 * redrive policy's `maxReceiveCount`; the local stack redelivers as often).
 */
export const MAIL_EVENTS_MAX_RECEIVES = 5;

/** Structured logging (Powertools in AWS, the local console locally): identifiers and codes only. */
export interface MailEventsLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Counts what became of each event (dimension `outcome`: recorded, already-recorded, not-kept-…, unmatched-…,
 * invalid).
 */
export interface MailEventsMetrics {
  record(outcome: string): void;
}

export interface MailEventsHandlerDeps {
  readonly ledger: CaseLedger;
  readonly clock: Clock;
  readonly logger: MailEventsLogger;
  readonly metrics: MailEventsMetrics;
}

/** What one invocation did: the queue messages to deliver again (Lambda's partial batch response). */
export interface MailEventsSummary {
  readonly batchItemFailures: SQSBatchItemFailure[];
}

export type MailEventsHandler = (event: unknown) => Promise<MailEventsSummary>;

/** The SES tags of a message (`mail.tags`): each tag name with its values. */
const TagsSchema = z.record(z.string(), z.array(z.string()));

/**
 * An SES event as SES event publishing sends it to EventBridge (the `detail` of an `aws.ses` event): only the
 * fields read, the rest (addresses, headers, diagnostics) ignored and never logged.
 */
const SesEventSchema = z.object({
  eventType: z.enum(['Delivery', 'Bounce', 'Complaint', 'Reject']),
  mail: z.object({
    messageId: z.string().check(z.minLength(1), z.maxLength(256)),
    timestamp: z.iso.datetime({ offset: true }),
    tags: z.optional(TagsSchema),
  }),
  delivery: z.optional(z.object({ timestamp: z.iso.datetime({ offset: true }) })),
  bounce: z.optional(
    z.object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.optional(z.string().check(z.maxLength(64))),
      feedbackId: z.string().check(z.minLength(1), z.maxLength(200)),
      timestamp: z.iso.datetime({ offset: true }),
    }),
  ),
  complaint: z.optional(
    z.object({
      feedbackId: z.string().check(z.minLength(1), z.maxLength(200)),
      complaintFeedbackType: z.optional(z.string().check(z.maxLength(64))),
      timestamp: z.iso.datetime({ offset: true }),
    }),
  ),
  reject: z.optional(z.object({ reason: z.optional(z.string().check(z.maxLength(200))) })),
});

/** The EventBridge event a queue message carries: `source` `aws.ses`, the SES event in `detail`. */
const EventBridgeEventSchema = z.object({
  source: z.literal('aws.ses'),
  detail: SesEventSchema,
});

const SqsEventSchema = z.object({
  Records: z.array(
    z.object({
      eventSource: z.literal('aws:sqs'),
      messageId: z.string().check(z.minLength(1)),
      body: z.string(),
      attributes: z.optional(z.object({ ApproximateReceiveCount: z.optional(z.string()) })),
    }),
  ),
});

/** A tag of a message (`caseId`, `template`): one value that the notifier put there. */
function tagOf(tags: z.infer<typeof TagsSchema> | undefined, name: string): string | undefined {
  const values = tags?.[name];
  return values !== undefined && values.length === 1 ? values[0] : undefined;
}

const instant = (timestamp: string) => new Date(timestamp).toISOString();

/**
 * The report an SES event makes, or `undefined` when the event lacks the part its type needs. Its key is the
 * feedback id of a bounce or complaint, the delivery's instant, or the message's own for a refusal (one per
 * message).
 */
export function reportOf(event: z.infer<typeof SesEventSchema>): MailReport | undefined {
  const caseId = tagOf(event.mail.tags, 'caseId');
  const template = tagOf(event.mail.tags, 'template');
  const common = {
    messageId: event.mail.messageId,
    ...(caseId !== undefined ? { caseId } : {}),
    ...(template !== undefined ? { template } : {}),
  };
  switch (event.eventType) {
    case 'Delivery':
      if (event.delivery === undefined) return undefined;
      return {
        ...common,
        kind: 'delivery',
        reportedAt: instant(event.delivery.timestamp),
        reportKey: instant(event.delivery.timestamp),
      };
    case 'Bounce':
      if (event.bounce === undefined) return undefined;
      return {
        ...common,
        kind: 'bounce',
        reportedAt: instant(event.bounce.timestamp),
        reportKey: event.bounce.feedbackId,
        bounceType: event.bounce.bounceType.toLowerCase() as 'permanent' | 'transient' | 'undetermined',
        ...(event.bounce.bounceSubType !== undefined ? { subType: event.bounce.bounceSubType } : {}),
      };
    case 'Complaint':
      if (event.complaint === undefined) return undefined;
      return {
        ...common,
        kind: 'complaint',
        reportedAt: instant(event.complaint.timestamp),
        reportKey: event.complaint.feedbackId,
        ...(event.complaint.complaintFeedbackType !== undefined
          ? { feedbackType: event.complaint.complaintFeedbackType }
          : {}),
      };
    case 'Reject':
      return {
        ...common,
        kind: 'reject',
        reportedAt: instant(event.mail.timestamp),
        reportKey: 'reject',
        ...(event.reject?.reason !== undefined ? { reason: event.reject.reason } : {}),
      };
  }
}

function metricOf(outcome: MailReportOutcome): string {
  return outcome.outcome === 'unmatched' || outcome.outcome === 'not-kept'
    ? `${outcome.outcome}-${outcome.why}`
    : outcome.outcome;
}

/** A queue message that holds an SES event. */
interface Received {
  readonly queueMessageId: string;
  readonly receives: number;
  readonly report: MailReport;
}

/**
 * The mail-events Lambda: SES events (delivery, bounce, complaint, reject of a message sent with the stage's
 * configuration set) reach it through EventBridge and the mail-events queue, and each is recorded on its case
 * by `recordMailReports`, those of one case in the batch together (one ledger item). Every queue message gets
 * its own outcome and the batch never fails as a whole:
 * - an event that is not an SES event of those types is logged and counted (`invalid`), and dropped;
 * - the delivery of a message to staff is counted (`not-kept-delivery-to-staff`) and not recorded (`keptOnCase`);
 * - an event for no case or an unknown case is logged and counted (`unmatched-no-case`, `unmatched-unknown-case`):
 *   an operator sees it in the metric and its alarm, and nothing is recorded;
 * - an event whose message the case has not recorded yet (`unmatched-unknown-message`: the event can arrive
 *   before the sender's `message.sent` is written) is delivered again, up to the queue's last receive, then
 *   logged and counted;
 * - a failure to record (DynamoDB unavailable…) is delivered again with the batch's other reports of its case,
 *   and after the last receive lands in the dead-letter queue (alarmed).
 * Logs hold ids and codes only, never an address.
 */
export function makeHandler(deps: MailEventsHandlerDeps): MailEventsHandler {
  return async (event) => {
    const parsed = SqsEventSchema.safeParse(event);
    if (!parsed.success) {
      deps.logger.error('mail event invocation is not a queue event', {
        paths: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
      deps.metrics.record('invalid');
      return { batchItemFailures: [] };
    }
    const batchItemFailures: SQSBatchItemFailure[] = [];
    // The batch's reports by case, in the order their cases first appear: one ledger item per case.
    const byCase = new Map<string, Received[]>();
    for (const [index, record] of parsed.data.Records.entries()) {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      const report = reportOfBody(record.body);
      if (report === undefined) {
        deps.logger.error('mail event is not an SES delivery event; dropped', {
          queueMessageId: record.messageId,
        });
        deps.metrics.record('invalid');
        continue;
      }
      // Reports of no case are each answered alone.
      const group = report.caseId ?? `no-case:${index}`;
      const received = byCase.get(group) ?? [];
      received.push({ queueMessageId: record.messageId, receives, report });
      byCase.set(group, received);
    }
    // The cases are independent: recorded at once, then answered in the order of the batch.
    const groups = [...byCase.values()];
    const recorded = await Promise.allSettled(
      groups.map((received) =>
        recordMailReports(
          deps,
          received.map(({ report }) => report),
        ),
      ),
    );
    for (const [position, received] of groups.entries()) {
      const result = recorded[position]!;
      if (result.status === 'rejected') {
        for (const { queueMessageId, receives, report } of received) {
          deps.logger.error('mail event not recorded; delivered again later', {
            sesMessageId: report.messageId,
            receives,
            errorName: errorNameOf(result.reason),
          });
          batchItemFailures.push({ itemIdentifier: queueMessageId });
        }
        continue;
      }
      const outcomes: readonly MailReportOutcome[] = result.value;
      for (const [index, { queueMessageId, receives, report }] of received.entries()) {
        const outcome = outcomes[index]!;
        const retry =
          outcome.outcome === 'unmatched' &&
          outcome.why === 'unknown-message' &&
          receives < MAIL_EVENTS_MAX_RECEIVES;
        const where = {
          kind: report.kind,
          sesMessageId: report.messageId,
          ...(report.caseId !== undefined ? { caseId: report.caseId } : {}),
        };
        if (retry) {
          deps.logger.info('mail event before its message.sent; delivered again later', {
            ...where,
            receives,
          });
          batchItemFailures.push({ itemIdentifier: queueMessageId });
          continue;
        }
        deps.metrics.record(metricOf(outcome));
        if (outcome.outcome === 'unmatched') {
          deps.logger.warn('mail event matches no sent message of a case; nothing recorded', {
            ...where,
            why: outcome.why,
          });
        } else if (outcome.outcome === 'not-kept') {
          deps.logger.info('mail event not kept on the case', { ...where, why: outcome.why });
        } else {
          deps.logger.info('mail event recorded', { ...where, outcome: outcome.outcome, type: outcome.type });
        }
      }
    }
    return { batchItemFailures };
  };
}

function reportOfBody(body: string): MailReport | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  return reportOfEvent(json);
}

/** The report of an EventBridge event that holds an SES event, or `undefined` when it holds none. */
export function reportOfEvent(json: unknown): MailReport | undefined {
  const parsed = EventBridgeEventSchema.safeParse(json);
  return parsed.success ? reportOf(parsed.data.detail) : undefined;
}
