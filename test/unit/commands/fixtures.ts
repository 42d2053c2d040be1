import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import {
  findCases,
  InMemoryCaseQueries,
  InMemoryCaseSearchIndex,
} from '../../../shared/domain/case/commands';
import type {
  CaseListItem,
  CommandDeps,
  FindCasesDeps,
  FindCasesParams,
} from '../../../shared/domain/case/commands';
import type { AttachmentRef } from '../../../shared/domain/case/case';
import type { Requester } from '../../../shared/domain/case/requester';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  EventDraft,
  EventType,
  KeyedDraft,
} from '../../../shared/domain/ledger';
import type { Clock, Notifier, OutgoingMessage } from '../../../shared/domain/messaging/ports';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars, computeDeadline } from '../../../shared/domain/time';
import { PdfkitLetterRenderer } from '../../../shared/adapters/pdf/pdfkit-letter-renderer';
import { InMemoryLetterStore } from '../../../shared/domain/letters/ports';
import { REPLY_FORMAT } from '../../support/workflow-fixtures';
import { InMemoryReplyAddressBook } from '../email/fakes';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';

/** Monday 2 March 2026, 09:00 in Québec (EST). */
export const RECEIVED_AT = '2026-03-02T14:00:00.000Z';
/** Wednesday 4 March 2026, 10:00 in Québec. */
export const NOW = '2026-03-04T15:00:00.000Z';

export const CASE_ID = 'case-0001-statistics';
export const COMPLAINT_ID = 'case-0002-complaint';

export class FixedClock implements Clock {
  constructor(private instant: string = NOW) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: string): void {
    this.instant = instant;
  }
}

/** Records every message and answers `ses-<n>`; `failNext` makes the next send throw. */
export class RecordingNotifier implements Notifier {
  readonly sent: OutgoingMessage[] = [];
  private failure: Error | undefined;

  failNext(error: Error): void {
    this.failure = error;
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
    this.sent.push(structuredClone(message));
    return { messageId: `ses-${this.sent.length}` };
  }
}

export function staffIdentity(overrides: Partial<StaffIdentity> = {}): StaffIdentity {
  return { id: 'agent-tremblay', roles: ['agent'], units: ['statistics'], ...overrides };
}

export const AGENT = staffIdentity();
export const OTHER_UNIT_AGENT = staffIdentity({ id: 'agent-roy', units: ['media-relations'] });
export const SUPERVISOR = staffIdentity({ id: 'sup-gagnon', roles: ['supervisor'], units: ['statistics'] });
export const COMPLAINTS_OFFICER = staffIdentity({
  id: 'rp-lavoie',
  roles: ['complaints-officer'],
  units: [],
});
export const AUDITOR = staffIdentity({ id: 'aud-bouchard', roles: ['auditor'], units: [] });
export const ADMIN = staffIdentity({ id: 'adm-cote', roles: ['admin'], units: [] });

/**
 * The staff directory of the tests: the people above (the admin and auditor included, who handle no case) and
 * a second agent of the statistics unit; every policy group gets one address.
 */
export const STAFF_MEMBERS = [
  AGENT,
  OTHER_UNIT_AGENT,
  SUPERVISOR,
  COMPLAINTS_OFFICER,
  AUDITOR,
  ADMIN,
  staffIdentity({ id: 'agent-pelletier', units: ['statistics'] }),
].map(({ id, roles, units }) => ({ id, roles, units }));

export function testDirectory(): StaticStaffDirectory {
  const policy = loadSctPolicy();
  const groups = new Set(['complaints-officer', 'operations']);
  for (const { routing } of policy.categories) {
    groups.add(routing.assigneeGroup);
    groups.add(routing.supervisor);
    groups.add(routing.director);
  }
  return new StaticStaffDirectory(
    Object.fromEntries([...groups].map((group) => [group, [`${group}@sct.example`]])),
    STAFF_MEMBERS,
  );
}

export const FRENCH_REQUESTER: Requester = {
  name: 'Marie Gagnon',
  email: 'marie.gagnon@example.org',
  language: 'fr',
};
export const ENGLISH_REQUESTER: Requester = {
  name: 'John Smith',
  email: 'john.smith@example.org',
  language: 'en',
  languageBasis: { basis: 'outside-quebec', attestedOn: '2026-03-02' },
};
export const LETTER_REQUESTER: Requester = {
  name: 'Paul Bédard',
  postalAddress: { lines: ['12, rue des Érables'], municipality: 'Lévis', country: 'CA' },
  language: 'fr',
};

export interface SeedOptions {
  readonly caseId?: string;
  readonly category?: string;
  readonly requester?: Requester;
  readonly confidential?: boolean;
  readonly unit?: string | null;
  readonly assignee?: string;
  readonly registered?: boolean;
  readonly attachments?: readonly AttachmentRef[];
}

export interface Harness {
  readonly ledger: InMemoryCaseLedger;
  readonly notifier: RecordingNotifier;
  readonly replyAddresses: InMemoryReplyAddressBook;
  readonly clock: FixedClock;
  readonly queries: InMemoryCaseQueries;
  readonly search: InMemoryCaseSearchIndex;
  readonly directory: StaticStaffDirectory;
  readonly accessJournal: InMemoryAccessJournal;
  readonly deps: CommandDeps & {
    queries: InMemoryCaseQueries;
    search: InMemoryCaseSearchIndex;
    directory: StaticStaffDirectory;
    accessJournal: InMemoryAccessJournal;
  };
  letterStore: InMemoryLetterStore;
  seed(options?: SeedOptions): Promise<string>;
}

/**
 * A ledger with the SCT policy, a recording notifier and a clock fixed on Wednesday 4 March 2026. `seed`
 * receives a case on Monday 2 March, registers it, plans its acknowledgement deadline and assigns it.
 */
export function harness(): Harness {
  const ledger = new InMemoryCaseLedger();
  const notifier = new RecordingNotifier();
  const replyAddresses = new InMemoryReplyAddressBook(REPLY_FORMAT);
  const clock = new FixedClock();
  const policy = loadSctPolicy();
  const calendars = bundledCalendars();
  const queries = new InMemoryCaseQueries(ledger);
  const search = new InMemoryCaseSearchIndex(ledger);
  const directory = testDirectory();
  const accessJournal = new InMemoryAccessJournal();
  const letterStore = new InMemoryLetterStore();
  const system = { kind: 'system' } as const;
  let sequence = 0;
  return {
    ledger,
    notifier,
    replyAddresses,
    clock,
    queries,
    search,
    directory,
    accessJournal,
    letterStore,
    deps: {
      ledger,
      notifier,
      replyAddresses,
      clock,
      policy,
      calendars,
      queries,
      search,
      directory,
      accessJournal,
      letters: { renderer: new PdfkitLetterRenderer(), store: letterStore },
    },
    async seed(options: SeedOptions = {}) {
      sequence += 1;
      const caseId = options.caseId ?? CASE_ID;
      const category = options.category ?? 'statistics';
      const confidential =
        options.confidential ?? policy.categories.some((c) => c.id === category && c.confidential);
      await ledger.append(caseId, {
        type: 'case.received',
        at: RECEIVED_AT,
        actor: { kind: 'citizen' },
        data: {
          channel: options.requester === LETTER_REQUESTER ? 'mail' : 'email',
          category,
          requester: options.requester ?? FRENCH_REQUESTER,
          subject: 'Effectifs de la fonction publique 2025',
          body: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?',
          attachments: [...(options.attachments ?? [])],
          receivedAt: RECEIVED_AT,
          confidential,
        },
      });
      if (options.registered !== false) {
        await ledger.append(caseId, {
          type: 'case.registered',
          at: RECEIVED_AT,
          actor: system,
          data: { reference: `SCT-2026-${String(sequence).padStart(6, '0')}`, registeredAt: RECEIVED_AT },
        });
      }
      await ledger.append(caseId, {
        type: 'deadline.planned',
        at: RECEIVED_AT,
        actor: system,
        data: {
          kind: 'acknowledgement',
          deadline: computeDeadline({
            receivedAt: RECEIVED_AT,
            delay: { amount: 10, unit: 'business-days' },
            calendar: calendars.at('qc-fonction-publique', '2026-03-02'),
          }),
        },
      });
      const unit =
        options.unit === undefined
          ? category === 'statistics'
            ? 'statistics'
            : 'service-complaints'
          : options.unit;
      if (unit !== null) {
        await ledger.append(caseId, {
          type: 'case.assigned',
          at: RECEIVED_AT,
          actor: system,
          data: { unit, ...(options.assignee !== undefined ? { assignee: options.assignee } : {}) },
        });
      }
      queries.track(caseId);
      search.track(caseId);
      return caseId;
    },
  };
}

/** The event types of a case after `from` (1-based seq), in order. */
export async function typesAfter(
  ledger: InMemoryCaseLedger,
  caseId: string,
  from: number,
): Promise<string[]> {
  return (await ledger.read(caseId)).filter((event) => event.seq > from).map((event) => event.type);
}

/**
 * A ledger that fails the next append of a given event type once (a crash between two appends): an item of
 * several events (`appendAll`) holding it fails whole, as its one write would.
 */
export class FlakyLedger extends ForwardingCaseLedger {
  private failing: EventType | undefined;

  constructor(inner: InMemoryCaseLedger) {
    super(inner);
  }

  failNextAppendOf(type: EventType): void {
    this.failing = type;
  }

  override async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    if (draft.type === this.failing) {
      this.failing = undefined;
      throw new Error('store unavailable');
    }
    return this.inner.append(caseId, draft, options);
  }

  override async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    if (drafts.some(({ draft }) => draft.type === this.failing)) {
      this.failing = undefined;
      throw new Error('store unavailable');
    }
    return this.inner.appendAll(caseId, drafts, options);
  }
}

/** The rows of the work list (`findCases`, open cases unless asked otherwise), as the staff API lists them. */
export async function listRows(
  deps: FindCasesDeps,
  identity: StaffIdentity,
  params: FindCasesParams = {},
  context: { readonly route?: string } = {},
): Promise<CaseListItem[]> {
  return (await findCases(deps, identity, params, context)).cases;
}
