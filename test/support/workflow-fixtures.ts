import { InMemoryCaseLedger } from '../../shared/domain/ledger/in-memory-ledger';
import { PdfkitLetterRenderer } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import { InMemoryLetterStore } from '../../shared/domain/letters/ports';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Clock, Notifier, OutgoingMessage } from '../../shared/domain/messaging/ports';
import { InMemoryRateCounter } from '../../shared/domain/messaging/rate-counter';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars } from '../../shared/domain/time';
import type { WorkflowDeps } from '../../shared/domain/workflow/tasks';
import { StaticStaffDirectory } from '../../shared/adapters/config/static-directory';
import { InMemoryReplyAddressBook } from '../unit/email/fakes';

/** Where the fixtures' reply addresses live: `demandes+<token>@sct.example`. */
export const REPLY_FORMAT = { mailbox: 'demandes', domain: 'sct.example' } as const;

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: string | Date): void {
    this.current = new Date(instant);
  }
}

/** Records every message instead of sending it; can be told to fail. */
export class RecordingNotifier implements Notifier {
  readonly sent: (OutgoingMessage & { messageId: string; at: string })[] = [];
  failWith: Error | undefined;
  constructor(private readonly clock: Clock) {}
  send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.failWith) return Promise.reject(this.failWith);
    const messageId = `msg-${this.sent.length + 1}`;
    this.sent.push({ ...message, messageId, at: this.clock.now().toISOString() });
    return Promise.resolve({ messageId });
  }
}

export const DIRECTORY = {
  'statistics-officers': ['stats@sct.example'],
  'statistics-supervisors': ['stats-sup@sct.example'],
  'statistics-directors': ['stats-dir@sct.example'],
  'complaints-officer': ['plaintes@sct.example'],
  'complaints-supervisors': ['plaintes-sup@sct.example'],
  'complaints-directors': ['plaintes-dir@sct.example'],
  operations: ['ops@sct.example'],
};

export function workflowDeps(start: string, ledger: CaseLedger = new InMemoryCaseLedger()) {
  const clock = new ManualClock(new Date(start));
  const notifier = new RecordingNotifier(clock);
  const replyAddresses = new InMemoryReplyAddressBook(REPLY_FORMAT);
  const policy = loadSctPolicy();
  const directoryConfig: Record<string, string[]> = { ...DIRECTORY };
  for (const category of policy.categories) {
    for (const group of [
      category.routing.assigneeGroup,
      category.routing.supervisor,
      category.routing.director,
    ]) {
      directoryConfig[group] ??= [`${group}@sct.example`];
    }
  }
  const deps: WorkflowDeps = {
    ledger,
    notifier,
    replyAddresses,
    directory: new StaticStaffDirectory(directoryConfig),
    clock,
    policy,
    calendars: bundledCalendars(),
    caseUrl: (caseId) => `http://127.0.0.1:3000/staff/cases/${caseId}`,
    letters: { renderer: new PdfkitLetterRenderer(), store: new InMemoryLetterStore() },
    rateCounter: new InMemoryRateCounter(),
  };
  return { deps, clock, notifier, ledger, policy, replyAddresses };
}

let counter = 0;

/** Records a received and registered case, as intake does. */
export async function receiveCase(
  ledger: CaseLedger,
  options: {
    category?: string;
    receivedAt: string;
    email?: string | undefined;
    language?: 'fr' | 'en';
    confidential?: boolean;
  },
): Promise<string> {
  counter += 1;
  const caseId = `case-${String(counter).padStart(6, '0')}-${Math.random().toString(36).slice(2, 10)}`;
  const language = options.language ?? 'fr';
  await ledger.append(caseId, {
    type: 'case.received',
    at: options.receivedAt,
    actor: { kind: 'citizen' },
    data: {
      channel: options.email === undefined ? 'mail' : 'web',
      category: options.category ?? 'statistics',
      requester:
        language === 'en'
          ? {
              name: 'Alex Smith',
              ...(options.email ? { email: options.email } : {}),
              language: 'en',
              languageBasis: { basis: 'outside-quebec', attestedOn: '2026-11-01' },
            }
          : { name: 'Marie Tremblay', ...(options.email ? { email: options.email } : {}), language: 'fr' },
      subject: 'Effectif de la fonction publique 2025',
      body: 'Bonjour, je souhaite obtenir les statistiques.',
      attachments: [],
      receivedAt: options.receivedAt,
      confidential: options.confidential ?? false,
    },
  });
  await ledger.append(caseId, {
    type: 'case.registered',
    at: options.receivedAt,
    actor: { kind: 'system' },
    data: { reference: `SCT-2026-${String(counter).padStart(6, '0')}`, registeredAt: options.receivedAt },
  });
  return caseId;
}
