import { getStoreReadonly } from 'aws-ses-v2-local/dist/store';
import type { Email } from 'aws-ses-v2-local/dist/store';

import { reportOfEvent } from '../../functions/mail-events/handler';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import { keptOnCase } from '../../shared/domain/messaging/mail-events';
import { DELIVERY_KEY_HEADER } from '../../shared/domain/messaging/delivery-key';
import type { ActivityTracker } from './clock/activity-tracker';
import type { LocalConsole } from './console-log';
import { sesEventsFor } from './mail-events';
import type { LocalMailEvents } from './mail-events';
import { realNow } from './real-timers';

const REPORT_TYPES: ReadonlySet<string> = new Set([
  'message.delivered',
  'message.bounced',
  'message.complained',
  'message.rejected',
]);

/** A message the emulator accepted whose reports are not all on its case: what to produce again. */
export interface PendingMailReport {
  readonly messageId: string;
  readonly caseId: string;
  readonly message: Parameters<typeof sesEventsFor>[0];
  readonly at: Date;
}

/**
 * The messages the SES emulator accepted (its store, which the data folder's outbox restores) whose case holds
 * their `message.sent` but fewer reports than the handler records of the events the emulator produces for them
 * (`sesEventsFor`: one, or a delivery and a complaint; a staff message's delivery is not recorded): their
 * events were still on their way when the process died. One pass over the ledger (`events`, every event of
 * every case). A message whose `message.sent` is not recorded is left out:
 * its report could not be matched (the resumed workflow records the `message.sent` of a message the emulator
 * had accepted, but no report follows; `docs/local-stack-crash-safety.md`).
 */
export async function pendingMailReports(input: {
  readonly emails: readonly Email[];
  readonly events: AsyncIterable<readonly LedgerEvent[]>;
}): Promise<{ readonly messages: number; readonly pending: readonly PendingMailReport[] }> {
  const sent = new Map<string, { caseId: string; template?: string }>();
  const reports = new Map<string, number>();
  for await (const page of input.events) {
    for (const event of page) {
      const messageId = (event.data as { messageId?: unknown } | undefined)?.messageId;
      if (typeof messageId !== 'string') continue;
      if (event.type === 'message.sent') {
        const template = (event.data as { template?: unknown }).template;
        sent.set(messageId, { caseId: event.caseId, ...(typeof template === 'string' ? { template } : {}) });
      } else if (REPORT_TYPES.has(event.type)) {
        reports.set(messageId, (reports.get(messageId) ?? 0) + 1);
      }
    }
  }
  const header = DELIVERY_KEY_HEADER.toLowerCase();
  const pending: PendingMailReport[] = [];
  for (const email of input.emails) {
    const case_ = sent.get(email.messageId);
    if (case_ === undefined) continue;
    const deliveryKey = email.headers?.find((h) => h.name.toLowerCase() === header)?.value;
    const message = {
      to: email.destination.to,
      caseId: case_.caseId,
      ...(case_.template !== undefined ? { template: case_.template } : {}),
      ...(deliveryKey !== undefined ? { deliveryKey } : {}),
    };
    const at = new Date(email.at * 1000);
    // The reports the handler records: not the delivery of a staff message (`keptOnCase`).
    const expected = sesEventsFor(message, email.messageId, at).filter((event) => {
      const report = reportOfEvent(event);
      return report !== undefined && keptOnCase(report);
    }).length;
    if ((reports.get(email.messageId) ?? 0) < expected) {
      pending.push({ messageId: email.messageId, caseId: case_.caseId, message, at });
    }
  }
  return { messages: input.emails.length, pending };
}

/**
 * At the start of a local stack that finds a previous run's data: produces again, through the same mail-events
 * path (`LocalMailEvents.publish`, the handler as the Lambda composes it), the SES events of the messages whose
 * reports a `kill -9` lost. The handler records a report once per key, so a report that was in fact recorded
 * is not recorded twice. Tracked activity (the virtual clock and the stop wait for it); prints its cost.
 */
export function replayPendingMailReports(input: {
  readonly events: () => AsyncIterable<readonly LedgerEvent[]>;
  readonly mailEvents: Pick<LocalMailEvents, 'publish'>;
  readonly activity: Pick<ActivityTracker, 'begin'>;
  readonly console: Pick<LocalConsole, 'info' | 'warn'>;
}): Promise<number | undefined> {
  const end = input.activity.begin('mail events catch-up');
  const started = realNow();
  return pendingMailReports({ emails: getStoreReadonly().emails, events: input.events() })
    .then(({ messages, pending }) => {
      for (const report of pending) input.mailEvents.publish(report.message, report.messageId, report.at);
      input.console.info('mail reports caught up', {
        messages,
        replayed: pending.length,
        findMs: Math.round(realNow() - started),
      });
      return pending.length;
    })
    .catch((error: unknown) => {
      input.console.warn('mail reports not caught up', {
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      return undefined;
    })
    .finally(end);
}
