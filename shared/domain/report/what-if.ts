import { AccessDeniedError, InvalidRequestError } from '../../errors';
import type { RequestIssue } from '../../errors';
import type { StaffIdentity } from '../identity/identity';
import type { Clock } from '../messaging/ports';
import type { Category, Policy } from '../policy/schema';
import { BusinessCalendar } from '../time/calendar';
import type { CalendarRegistry } from '../time/calendars';
import { parseLocalDate } from '../time/local-date';
import type { CalendarId, LocalDate } from '../time/types';
import { endOfLocalDay } from '../time/zone';
import { withCaseLinks } from './case-links';
import { computeReportFigures } from './compute';
import type { Drilldown, ReportFigures, ReportPeriod } from './compute';
import { caseReportFacts } from './facts';
import type { CaseReportFacts, DeadlineFacts } from './facts';
import { checkReportPeriod } from './period';
import { scopeOf } from './service-statement';
import type { ReportCaseSource, ReportScope } from './service-statement';
import { memoizedDeadlines, replayCase } from './what-if-replay';
import type { ReplayCategoryChange } from './what-if-replay';

/** A change to one category's policy, as asked (`POST /api/audit/what-if`); unset fields stay as they are. */
export interface CategoryChange {
  /** The acknowledgement delay, in business days. */
  readonly acknowledgementDays?: number;
  /** The answer delay, in business days (standard delay, and the longest a promise may reach). */
  readonly answerDays?: number;
  /** `true`: the workflow acknowledges at the deadline; `false`: it only escalates. */
  readonly automaticAcknowledgement?: boolean;
  /** Count the category's delays on another calendar, another version of it, and/or with added closures. */
  readonly calendar?: {
    readonly id?: CalendarId;
    readonly version?: string;
    readonly addClosures?: readonly LocalDate[];
  };
}

export interface WhatIfRequest {
  readonly from?: unknown;
  readonly to?: unknown;
  /** By category id. */
  readonly changes: Readonly<Record<string, CategoryChange>>;
}

export interface WhatIfDeps {
  readonly reportSource: ReportCaseSource;
  readonly clock: Clock;
  readonly policy: Pick<Policy, 'categories' | 'organization'>;
  readonly calendars: CalendarRegistry;
}

/** Cases whose deadline outcome differs between the recorded reality and the changed policy. */
export interface DeadlineDifferences {
  /** On time or not yet due in reality, late or missed under the change. */
  readonly breached: Drilldown;
  /** Late or missed in reality, on time or not yet due under the change (a deadline it has at all). */
  readonly noLongerBreached: Drilldown;
}

export interface WhatIfReport {
  readonly report: 'what-if';
  readonly period: ReportPeriod;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly scope: ReportScope;
  readonly changes: Readonly<Record<string, CategoryChange>>;
  /** The service-statement figures as recorded (the report's own computation). */
  readonly reality: ReportFigures;
  /** The same figures with the recorded cases replayed under the changes. */
  readonly changed: ReportFigures;
  readonly differences: {
    readonly acknowledgement: DeadlineDifferences;
    readonly answer: DeadlineDifferences;
    /**
     * Acknowledged by staff after the changed deadline: the workflow would have sent the acknowledgement
     * automatically at that deadline (counted under `ack-automatic` in `changed`, not as a breach).
     */
    readonly automaticInstead: Drilldown;
  };
  /** How the replay treats what the workflow does by itself, in French and English. */
  readonly model: { readonly fr: string; readonly en: string };
  readonly source: {
    readonly kind: 'ledger-replay';
    readonly casesRead: number;
    readonly casesChanged: number;
  };
  /** Nothing here is journaled (the what-if writes nothing), so confidential references are never listed. */
  readonly confidentialReferences: 'withheld';
}

const MODEL = {
  fr: 'Le dossier est rejoué avec ses instants réels : la réception et chaque action du personnel restent où elles ont été consignées ; ce que le flux de travail fait seul suit la politique modifiée. À la nouvelle échéance, l’accusé de réception automatique part si personne ne l’a envoyé avant (sauf si la politique modifiée ne fait qu’escalader) : un accusé de réception du personnel consigné après cette échéance n’aurait pas eu lieu, il est compté à part (« automaticInstead ») ; l’accusé automatique promet le délai de réponse normal. Une date de réponse promise par le personnel reste, sans dépasser le nouveau délai de réponse ; l’avis de retard part à la date de réponse rejouée si le dossier est encore sans réponse. Les rappels et escalades ne sont pas rejoués.',
  en: 'Each case is replayed at its recorded instants: the receipt and every staff action stay where they were recorded; what the workflow does by itself follows the changed policy. At the new deadline the automatic acknowledgement goes out if nobody sent one before (unless the changed policy only escalates): a staff acknowledgement recorded after that deadline would not have happened and is counted apart ("automaticInstead"); the automatic acknowledgement promises the standard answer delay. A date promised by staff stays, but never beyond the new answer delay; the delay notice goes out at the replayed answer date if the case is still unanswered. Reminders and escalations are not replayed.',
};

/**
 * What-if: the service-statement figures of a period as recorded, and as they would have been had some
 * categories' policies differed (acknowledgement delay, answer delay, automatic acknowledgement, calendar),
 * with the cases whose acknowledgement or answer would have been late under the change and were not (and the
 * reverse). The recorded cases are replayed (`replayCase`): their receipt instants and every staff action at
 * its recorded instant, under the changed policy; what the workflow does by itself is re-derived.
 *
 * Read-only: nothing is written (no ledger event, no access record). So confidential references are never
 * listed, to anyone: they are counted (`withheld`); an auditor finds them in the report, whose listing is
 * journaled.
 *
 * Who may run it: auditors, every category; supervisors, the categories of their units (changes to another
 * category are refused field by field, and the figures cover their categories only); anyone else 403.
 *
 * @throws AccessDeniedError, InvalidRequestError (the period and each change, field by field, in both languages)
 */
export async function whatIfReport(
  deps: WhatIfDeps,
  identity: StaffIdentity,
  request: WhatIfRequest,
): Promise<WhatIfReport> {
  const auditor = identity.roles.includes('auditor');
  if (!auditor && !identity.roles.includes('supervisor')) throw new AccessDeniedError('audit-report');
  const scope = scopeOf(identity, deps.policy, auditor);
  const issues: RequestIssue[] = [];
  let period: ReportPeriod | undefined;
  try {
    period = checkReportPeriod(request);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    issues.push(
      ...error.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^query\./, 'body.') })),
    );
  }
  const changes = resolveChanges(deps, scope, request.changes, issues);
  if (issues.length > 0 || period === undefined) throw new InvalidRequestError(issues);

  const now = deps.clock.now();
  const asOf = new Date(Math.min(Date.parse(endOfLocalDay(parseLocalDate(period.to))), now.getTime()));
  const inScope =
    scope.kind === 'all' ? () => true : (f: CaseReportFacts) => scope.categories.includes(f.category);
  const context = {
    policy: deps.policy,
    changes,
    calendarOf: (category: Category, on: LocalDate) => deps.calendars.at(category.calendarId, on),
    computeDeadline: memoizedDeadlines(),
  };
  const reality: CaseReportFacts[] = [];
  const changed: CaseReportFacts[] = [];
  const automaticInstead: CaseReportFacts[] = [];
  let casesRead = 0;
  let casesChanged = 0;
  for await (const events of deps.reportSource.caseHistories()) {
    casesRead += 1;
    const real = caseReportFacts(events, asOf, deps.calendars);
    if (real === undefined || !inScope(real)) continue;
    const replayed = replayCase(events, context);
    let facts = real;
    if (replayed.changed) {
      casesChanged += 1;
      const change = changes.get(real.category);
      const calendars =
        change?.calendar === undefined
          ? deps.calendars
          : {
              at: (_id: CalendarId, on: LocalDate) =>
                (change.calendar as (on: LocalDate) => BusinessCalendar)(on),
            };
      facts = caseReportFacts(replayed.events, asOf, calendars) ?? real;
      if (replayed.automaticInstead !== undefined && Date.parse(replayed.automaticInstead) <= asOf.getTime())
        automaticInstead.push(real);
    }
    reality.push(real);
    changed.push(facts);
  }

  const categoryKinds = new Map(deps.policy.categories.map((c) => [c.id, c.kind]));
  const confidential = (f: Pick<CaseReportFacts, 'confidential' | 'category'>) =>
    f.confidential || deps.policy.categories.some((c) => c.id === f.category && c.confidential);
  const mayList = (f: Pick<CaseReportFacts, 'confidential' | 'category'>) => !confidential(f);
  const received = (f: CaseReportFacts) => f.receivedDate >= period.from && f.receivedDate <= period.to;
  const compare = (of: (f: CaseReportFacts) => DeadlineFacts | undefined): DeadlineDifferences => {
    const breached: CaseReportFacts[] = [];
    const noLonger: CaseReportFacts[] = [];
    reality.forEach((real, index) => {
      if (!received(real)) return;
      const replayed = of(changed[index]!);
      const was = late(of(real));
      const would = late(replayed);
      if (would && !was) breached.push(real);
      // A deadline the replay never planned (no acknowledgement, so no answer date) is not "kept".
      if (was && !would && replayed !== undefined) noLonger.push(real);
    });
    return { breached: drill(breached, mayList), noLongerBreached: drill(noLonger, mayList) };
  };
  return {
    report: 'what-if',
    period,
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    scope,
    changes: request.changes,
    // The recorded side is the report's own figures, so each links to its cases as the report's do.
    reality: withCaseLinks(computeReportFigures({ period, facts: reality, categoryKinds, mayList }), period),
    changed: computeReportFigures({ period, facts: changed, categoryKinds, mayList }),
    differences: {
      acknowledgement: compare((f) => f.acknowledgement),
      answer: compare((f) => f.answer),
      automaticInstead: drill(automaticInstead.filter(received), mayList),
    },
    model: MODEL,
    source: { kind: 'ledger-replay', casesRead, casesChanged },
    confidentialReferences: 'withheld',
  };
}

/** The calendars a what-if may count a category's delays on (`GET /api/audit/what-if/calendars`). */
export interface WhatIfCalendars {
  readonly calendars: ReturnType<CalendarRegistry['list']>;
}

/**
 * The calendars and versions a what-if change may name (`calendar: {id, version}`): those the API counts
 * business days on, so the dashboard offers exactly what `whatIfReport` accepts. For those who may run a
 * what-if (auditors, supervisors).
 *
 * @throws AccessDeniedError for anyone else.
 */
export function whatIfCalendars(
  deps: Pick<WhatIfDeps, 'calendars'>,
  identity: StaffIdentity,
): WhatIfCalendars {
  if (!identity.roles.includes('auditor') && !identity.roles.includes('supervisor')) {
    throw new AccessDeniedError('audit-report');
  }
  return { calendars: deps.calendars.list() };
}

function late(deadline: DeadlineFacts | undefined): boolean {
  return deadline?.outcome === 'met-late' || deadline?.outcome === 'breached';
}

function drill(
  cases: readonly CaseReportFacts[],
  mayList: (f: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean,
): Drilldown {
  const references: string[] = [];
  let withheld = 0;
  for (const facts of cases) {
    if (mayList(facts)) references.push(facts.reference ?? facts.caseId);
    else withheld += 1;
  }
  return { references: references.sort(), withheld };
}

const WHAT_IF_CLOSURE = { fr: 'Fermeture hypothétique (simulation)', en: 'What-if closure (simulation)' };

/**
 * Checks each change against the policy and the reader's scope (unknown category, another unit's category,
 * an acknowledgement change for a category without that commitment, an unknown calendar version), adding
 * every failure to `issues`, and resolves the valid ones into replay changes.
 */
function resolveChanges(
  deps: WhatIfDeps,
  scope: ReportScope,
  changes: Readonly<Record<string, CategoryChange>>,
  issues: RequestIssue[],
): Map<string, ReplayCategoryChange> {
  const resolved = new Map<string, ReplayCategoryChange>();
  for (const [id, change] of Object.entries(changes)) {
    const path = `body.changes.${id}`;
    const category = deps.policy.categories.find((c) => c.id === id);
    if (category === undefined) {
      issues.push({
        path,
        fr: `catégorie inconnue (connues : ${deps.policy.categories.map((c) => c.id).join(', ')})`,
        en: `unknown category (known: ${deps.policy.categories.map((c) => c.id).join(', ')})`,
      });
      continue;
    }
    if (scope.kind === 'units' && !scope.categories.includes(id)) {
      issues.push({
        path,
        fr: 'n’est pas une catégorie de vos unités',
        en: 'is not a category of your units',
      });
      continue;
    }
    if (
      category.acknowledgement === null &&
      (change.acknowledgementDays !== undefined || change.automaticAcknowledgement !== undefined)
    ) {
      issues.push({
        path: `${path}.${change.acknowledgementDays !== undefined ? 'acknowledgementDays' : 'automaticAcknowledgement'}`,
        fr: 'cette catégorie ne prévoit pas d’accusé de réception',
        en: 'this category makes no acknowledgement commitment',
      });
      continue;
    }
    const calendarId = change.calendar?.id ?? category.calendarId;
    const version = change.calendar?.version;
    if (version !== undefined && deps.calendars.named(calendarId, version) === undefined) {
      issues.push({
        path: `${path}.calendar.version`,
        fr: `version inconnue du calendrier ${calendarId} (connues : ${deps.calendars.versions(calendarId).join(', ')})`,
        en: `unknown version of calendar ${calendarId} (known: ${deps.calendars.versions(calendarId).join(', ')})`,
      });
      continue;
    }
    resolved.set(id, {
      ...(change.acknowledgementDays !== undefined
        ? { acknowledgementDelay: { amount: change.acknowledgementDays, unit: 'business-days' } }
        : {}),
      ...(change.answerDays !== undefined
        ? { answerDelay: { amount: change.answerDays, unit: 'business-days' } }
        : {}),
      ...(change.automaticAcknowledgement !== undefined
        ? { automaticAcknowledgement: change.automaticAcknowledgement }
        : {}),
      ...(change.calendar !== undefined
        ? {
            calendar: changedCalendar(deps.calendars, calendarId, version, change.calendar.addClosures ?? []),
          }
        : {}),
    });
  }
  return resolved;
}

/** The calendar a change asks for, on a day of computation: a named version or the one in effect, plus closures. */
function changedCalendar(
  calendars: CalendarRegistry,
  id: CalendarId,
  version: string | undefined,
  closures: readonly LocalDate[],
): (on: LocalDate) => BusinessCalendar {
  const cache = new Map<string, BusinessCalendar>();
  const fixed = version !== undefined ? calendars.named(id, version) : undefined;
  return (on) => {
    const base = fixed ?? calendars.at(id, on);
    if (closures.length === 0) return base;
    let calendar = cache.get(base.version.version);
    if (calendar === undefined) {
      calendar = new BusinessCalendar(base.id, base.name, {
        ...base.version,
        // The closures are in the label: replayed deadlines are remembered by calendar version.
        version: `${base.version.version}+what-if:${closures.join(',')}`,
        additionalClosures: [
          ...base.version.additionalClosures,
          ...closures.map((date) => ({ date, name: WHAT_IF_CLOSURE })),
        ],
      });
      cache.set(base.version.version, calendar);
    }
    return calendar;
  };
}
