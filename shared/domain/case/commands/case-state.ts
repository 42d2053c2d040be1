import { CaseNotFoundError, CasePolicyMismatchError, CaseStateConflictError } from '../../../errors';
import type { BilingualText } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { Actor, LedgerEvent } from '../../ledger/events';
import type { LedgerIndex } from '../../ledger/ledger-index';
import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { Clock } from '../../messaging/ports';
import type { Category, Policy } from '../../policy/schema';
import { bundledCalendars } from '../../time/calendars';
import type { CalendarRegistry } from '../../time/calendars';
import type { BusinessCalendar } from '../../time/calendar';
import { CaseIdSchema } from '../case';
import type { CaseStatus } from '../case';
import { authorize, enforce, requireRoleFor, staffActor } from '../../access/case-access';
import type { AccessDecision, StaffAction } from '../../access/case-access';
import { localDateOf } from '../../time/local-date-of';
import type { CaseHistory } from './idempotency';

/** A case loaded for a staff action that the person is allowed to take. */
export interface LoadedCase {
  readonly projection: CaseProjection;
  readonly category: Category;
  /** The case's ledger, read when asked: its index (from the head) and its events (the whole ledger). */
  readonly history: CaseHistory;
  readonly decision: Extract<AccessDecision, { allowed: true }>;
  readonly actor: Actor;
}

/** Where a staff action comes from, for the record of a refused attempt. */
export interface AccessContext {
  /** The API route, e.g. `GET /api/staff/cases/{caseId}` (a template: never the id or a query). */
  readonly route?: string;
}

/**
 * Loads a case for `action` and checks access, before anything is changed:
 * the person's roles must allow the action at all (403, says nothing about the case), the case must exist
 * (404; a malformed id is an unknown case), and the person must be allowed on this case (404 when they may
 * not know it exists, 403 otherwise; see `authorize`).
 *
 * A hidden case (a confidential case someone else tried to read or act on) records the attempt first,
 * `access.refused {action, route}` with the person as actor and nothing of the case, then answers exactly as
 * for an unknown case. If that record cannot be written the error propagates, as for a confidential read.
 *
 * @throws AccessDeniedError, CaseNotFoundError, CasePolicyMismatchError (the case's category is not in the
 *   policy: a configuration fault).
 */
export async function loadCaseFor(
  deps: { readonly ledger: CaseLedger; readonly policy: Policy; readonly clock: Clock },
  identity: StaffIdentity,
  action: StaffAction,
  caseId: string,
  context: AccessContext = {},
): Promise<LoadedCase> {
  requireRoleFor(identity, action);
  if (!CaseIdSchema.safeParse(caseId).success) throw new CaseNotFoundError(caseId);
  const projection = await deps.ledger.getCase(caseId);
  if (projection === undefined) throw new CaseNotFoundError(caseId);
  const access = authorize(identity, action, projection, deps.policy);
  if (!access.allowed && access.refusal === 'hidden') {
    await deps.ledger.append(caseId, {
      type: 'access.refused',
      at: deps.clock.now().toISOString(),
      actor: { kind: 'staff', id: identity.id },
      data: { action, ...(context.route !== undefined ? { route: context.route } : {}) },
    });
  }
  const decision = enforce(access, caseId, action);
  const category = deps.policy.categories.find((candidate) => candidate.id === projection.category);
  if (category === undefined) throw new CasePolicyMismatchError(caseId, projection.category);
  const history = historyOf(deps.ledger, projection);
  return { projection, category, history, decision, actor: staffActor(identity, decision) };
}

/**
 * The case's history for a staff action loaded at `projection`: its index from the head that `getCase` read
 * (a store that remembers it answers without a request), its events read at most once, when first asked.
 */
function historyOf(ledger: CaseLedger, projection: CaseProjection): CaseHistory {
  const { caseId } = projection;
  let index: Promise<LedgerIndex> | undefined;
  let events: Promise<readonly LedgerEvent[]> | undefined;
  return {
    index: () =>
      (index ??= ledger
        .readIndex(caseId, { seq: projection.lastSeq, hash: projection.lastHash })
        .then((found) => {
          if (found === undefined) throw new CaseNotFoundError(caseId);
          return found;
        })),
    events: () => (events ??= ledger.read(caseId, { seq: projection.lastSeq, hash: projection.lastHash })),
  };
}

/** The calendar version in effect today (Québec date) for the category: deadlines computed now use it. */
export function calendarFor(
  registry: CalendarRegistry | undefined,
  category: Category,
  now: Date,
): BusinessCalendar {
  return (registry ?? bundledCalendars()).at(category.calendarId, localDateOf(now));
}

const ACTION_WORDS: Record<Exclude<StaffAction, 'read'>, BilingualText> = {
  acknowledge: { fr: 'accuser réception de', en: 'acknowledge' },
  answer: { fr: 'répondre à', en: 'answer' },
  extend: { fr: 'prolonger le délai de', en: 'extend' },
  reassign: { fr: 'réassigner', en: 'reassign' },
  recategorize: { fr: 'changer la catégorie de', en: 'recategorize' },
  close: { fr: 'fermer', en: 'close' },
  dissatisfied: { fr: 'consigner l’insatisfaction pour', en: 'record dissatisfaction on' },
  mailed: { fr: 'consigner la mise à la poste d’une lettre de', en: 'record a letter as mailed on' },
  note: { fr: 'ajouter une note interne à', en: 'add an internal note to' },
  'requester-reached': {
    fr: 'consigner un contact avec le demandeur pour',
    en: 'record a contact with the requester on',
  },
};

const STATUS_WORDS: Record<CaseStatus, BilingualText> = {
  received: { fr: 'reçu, sans accusé de réception', en: 'received and not acknowledged' },
  acknowledged: { fr: 'accusé, sans réponse', en: 'acknowledged and not answered' },
  answered: { fr: 'répondu', en: 'answered' },
  dissatisfied: { fr: 'rouvert pour insatisfaction', en: 'reopened for dissatisfaction' },
  closed: { fr: 'fermé', en: 'closed' },
};

/**
 * Refuses an action the case's status does not allow (409), saying why in French and English. A closed case
 * gives `CASE_CLOSED`, any other status `CASE_STATUS_CONFLICT`.
 *
 * @throws CaseStateConflictError
 */
export function requireStatus(
  projection: CaseProjection,
  action: Exclude<StaffAction, 'read'>,
  allowed: readonly CaseStatus[],
): void {
  if (allowed.includes(projection.status)) return;
  const verb = ACTION_WORDS[action];
  const status = STATUS_WORDS[projection.status];
  throw new CaseStateConflictError(
    projection.status === 'closed' ? 'CASE_CLOSED' : 'CASE_STATUS_CONFLICT',
    {
      fr: `Impossible de ${verb.fr} ce dossier : il est ${status.fr}.`,
      en: `Cannot ${verb.en} this case: it is ${status.en}.`,
    },
    { caseId: projection.caseId, status: projection.status, action },
  );
}

/**
 * Messages to the requester must quote the case reference; a case is registered (given its reference) right
 * after receipt, so a case without one is refused (409) until it is.
 *
 * @throws CaseStateConflictError
 */
export function requireReference(projection: CaseProjection): string {
  if (projection.reference !== undefined) return projection.reference;
  throw new CaseStateConflictError(
    'CASE_NOT_REGISTERED',
    {
      fr: 'Le dossier n’a pas encore de numéro de référence; réessayez dans un instant.',
      en: 'The case has no reference number yet; try again in a moment.',
    },
    { caseId: projection.caseId },
  );
}
