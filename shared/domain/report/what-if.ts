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
import { ChannelSchema } from '../case/case';
import { CASES_PAGE_SIZE, MAX_CASES_PAGE_SIZE, mapFigureCases, withCaseLinks } from './case-links';
import { computeReportFigures } from './compute';
import type { Drilldown, FigureCases, Figures, ReportFigures, ReportPeriod } from './compute';
import { caseReportFacts } from './facts';
import type { CaseReportFacts, DeadlineFacts } from './facts';
import { INDICATOR_IDS } from './indicators';
import type { IndicatorId } from './indicators';
import { checkReportPeriod } from './period';
import { scopeOf } from './service-statement';
import { addToTally, emptyTally, figureCountsFromTally } from './tally';
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
  /** References per page of each list (default 100, at most 500, as the report's drill-down). */
  readonly pageSize?: unknown;
  /** One page of one list of the what-if instead of the whole answer (`whatIfCases`). */
  readonly cases?: WhatIfCasesQuery;
}

/**
 * The lists of cases a what-if gives: its differences (`differences.<list>`), and `changed`, the cases behind a
 * figure of the changed side (with `indicator`, and `category` and/or `channel` for a figure of a scope).
 */
export const WHAT_IF_LISTS = [
  'acknowledgement.breached',
  'acknowledgement.noLongerBreached',
  'answer.breached',
  'answer.noLongerBreached',
  'automaticInstead',
  'changed',
] as const;
export type WhatIfListId = (typeof WHAT_IF_LISTS)[number];

/**
 * One page of one list of a what-if: what a list's `next`, `previous` (and a changed figure's `first`) hold, to
 * be sent back as `cases` with the same body. `asOf` is the cut-off of the answer it comes from, so that every
 * page is of the same list even while the period's last day goes on.
 */
export interface WhatIfCasesSelector {
  readonly list: WhatIfListId;
  readonly indicator?: IndicatorId;
  readonly category?: string;
  readonly channel?: string;
  readonly page: number;
  readonly asOf: string;
}

/** `cases` as asked (checked field by field by `whatIfCases`). */
export interface WhatIfCasesQuery {
  readonly list?: unknown;
  readonly indicator?: unknown;
  readonly category?: unknown;
  readonly channel?: unknown;
  readonly page?: unknown;
  readonly asOf?: unknown;
}

/**
 * A list of cases of a what-if, a page at a time: how many (`count`, listed or withheld), how many are
 * confidential and not listed (`withheld`), this page's references (sorted) and the pages around it.
 */
export interface WhatIfCases {
  readonly count: number;
  readonly withheld: number;
  readonly page: number;
  readonly pageSize: number;
  /** Pages of listed references (at least 1). */
  readonly pages: number;
  readonly references: string[];
  readonly next?: WhatIfCasesSelector;
  readonly previous?: WhatIfCasesSelector;
}

/** The cases behind a figure of the changed side: how many are withheld, and the `cases` that lists them. */
export interface WhatIfFigureCases {
  readonly withheld: number;
  readonly first: WhatIfCasesSelector;
}

export interface WhatIfDeps {
  readonly reportSource: ReportCaseSource;
  readonly clock: Clock;
  readonly policy: Pick<Policy, 'categories' | 'organization'>;
  readonly calendars: CalendarRegistry;
}

/** Cases whose deadline outcome differs between the recorded reality and the changed policy. */
export interface DeadlineDifferences<Cases = WhatIfCases> {
  /** On time or not yet due in reality, late or missed under the change. */
  readonly breached: Cases;
  /** Late or missed in reality, on time or not yet due under the change (a deadline it has at all). */
  readonly noLongerBreached: Cases;
}

export interface WhatIfReport {
  readonly report: 'what-if';
  readonly period: ReportPeriod;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly scope: ReportScope;
  readonly changes: Readonly<Record<string, CategoryChange>>;
  /**
   * The service-statement figures as recorded: the report's own, each with its drill-down address (`href`)
   * and `withheld` by the report's rules (the drill-down lists confidential references to auditors, journaled).
   */
  readonly reality: ReportFigures<FigureCases>;
  /** The same figures with the recorded cases replayed under the changes; each figure's `cases.first` lists them. */
  readonly changed: ReportFigures<WhatIfFigureCases>;
  /** Each list's first page (`pageSize` references); `next` is the `cases` that asks for the following one. */
  readonly differences: {
    readonly acknowledgement: DeadlineDifferences;
    readonly answer: DeadlineDifferences;
    /**
     * Acknowledged by staff after the changed deadline: the workflow would have sent the acknowledgement
     * automatically at that deadline (counted under `ack-automatic` in `changed`, not as a breach).
     */
    readonly automaticInstead: WhatIfCases;
  };
  readonly pageSize: number;
  /** How the replay treats what the workflow does by itself, in French and English. */
  readonly model: { readonly fr: string; readonly en: string };
  readonly source: {
    readonly kind: 'ledger-replay';
    readonly casesRead: number;
    readonly casesChanged: number;
  };
  /** Nothing here is journaled (the what-if writes nothing), so its lists never name a confidential case. */
  readonly confidentialReferences: 'withheld';
}

/** One page of one list of a what-if (`cases` in the body): the same replay, the same cut-off. */
export interface WhatIfCasesPage extends WhatIfCases {
  readonly report: 'what-if-cases';
  readonly period: ReportPeriod;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly scope: ReportScope;
  readonly changes: Readonly<Record<string, CategoryChange>>;
  readonly list: WhatIfListId;
  readonly indicator?: IndicatorId;
  readonly category?: string;
  readonly channel?: string;
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
 * The answer's size does not grow with the cases: each list of cases gives its count and its first page
 * (`pageSize`, default 100), sorted, and the `cases` that asks for the next page (`whatIfCases`); each
 * figure of the changed side, the `cases` that asks for its first page; the recorded side, the report's
 * drill-down addresses.
 *
 * Read-only: nothing is written (no ledger event, no access record). So confidential references are never
 * listed, to anyone: they are counted (`withheld`); an auditor finds them in the report, whose listing is
 * journaled.
 *
 * Who may run it: auditors, every category; supervisors, the categories of their units (changes to another
 * category are refused field by field, and the figures cover their categories only); anyone else 403.
 *
 * @throws AccessDeniedError, InvalidRequestError (the period, each change and the page size, field by field, in
 *   both languages)
 */
export async function whatIfReport(
  deps: WhatIfDeps,
  identity: StaffIdentity,
  request: WhatIfRequest,
): Promise<WhatIfReport> {
  const replay = await replayPeriod(deps, identity, request, undefined);
  const { period, asOf, pageSize, lists } = replay;
  const at = asOf.toISOString();
  const reality = emptyTally();
  const changed = emptyTally();
  for (const facts of replay.reality) addToTally(reality, facts, period);
  for (const facts of replay.changed) addToTally(changed, facts, period);
  const first = (list: Exclude<WhatIfListId, 'changed'>) =>
    casesPage(drill(lists[list](), replay.mayList), { list, asOf: at }, 1, pageSize);
  return {
    report: 'what-if',
    period,
    asOf: at,
    generatedAt: replay.now.toISOString(),
    scope: replay.scope,
    changes: request.changes,
    // The recorded side is the report's own figures, each linking to its cases as the report's do.
    reality: withCaseLinks(
      figureCountsFromTally(reality, {
        period,
        categoryKinds: replay.categoryKinds,
        mayList: replay.reportMayList,
      }),
      period,
    ),
    changed: mapFigureCases(
      figureCountsFromTally(changed, {
        period,
        categoryKinds: replay.categoryKinds,
        mayList: replay.mayList,
      }),
      ({ withheld }, figure) => ({ withheld, first: { list: 'changed', ...figure, page: 1, asOf: at } }),
    ),
    differences: {
      acknowledgement: {
        breached: first('acknowledgement.breached'),
        noLongerBreached: first('acknowledgement.noLongerBreached'),
      },
      answer: { breached: first('answer.breached'), noLongerBreached: first('answer.noLongerBreached') },
      automaticInstead: first('automaticInstead'),
    },
    pageSize,
    model: MODEL,
    source: { kind: 'ledger-replay', casesRead: replay.casesRead, casesChanged: replay.casesChanged },
    confidentialReferences: 'withheld',
  };
}

/**
 * One page of one list of a what-if (`cases` in the body of `POST /api/audit/what-if`): a difference list
 * (`acknowledgement.breached`…) or the cases behind a figure of the changed side (`changed` with its
 * `indicator`, and `category` and/or `channel`). The whole period is replayed again (the what-if keeps
 * nothing), at the cut-off `asOf` of the answer the page was asked from, so the pages are of one list; the
 * references are sorted, `pageSize` a page. Same readers and rules as `whatIfReport`: confidential
 * references withheld, to everyone.
 *
 * @throws AccessDeniedError, InvalidRequestError (the what-if's fields and `body.cases.*`, field by field)
 */
export async function whatIfCases(
  deps: WhatIfDeps,
  identity: StaffIdentity,
  request: WhatIfRequest & { readonly cases: WhatIfCasesQuery },
): Promise<WhatIfCasesPage> {
  const replay = await replayPeriod(deps, identity, request, request.cases);
  const { period, asOf, pageSize } = replay;
  const selector = replay.selector!;
  const at = asOf.toISOString();
  let cases: Drilldown;
  if (selector.list === 'changed') {
    const figures = computeReportFigures({
      period,
      facts: replay.changed,
      categoryKinds: replay.categoryKinds,
      mayList: replay.mayList,
    });
    const { category, channel } = selector;
    const scope: Figures | undefined =
      category !== undefined && channel !== undefined
        ? figures.byCategoryChannel[category]?.[channel]
        : category !== undefined
          ? figures.byCategory[category]
          : channel !== undefined
            ? figures.byChannel[channel]
            : figures.total;
    cases = scope?.[selector.indicator!].cases ?? { references: [], withheld: 0 };
  } else {
    cases = drill(replay.lists[selector.list](), replay.mayList);
  }
  const which = {
    list: selector.list,
    ...(selector.indicator !== undefined ? { indicator: selector.indicator } : {}),
    ...(selector.category !== undefined ? { category: selector.category } : {}),
    ...(selector.channel !== undefined ? { channel: selector.channel } : {}),
  };
  const listed = casesPage(cases, { ...which, asOf: at }, selector.page, pageSize);
  return {
    report: 'what-if-cases',
    period,
    asOf: at,
    generatedAt: replay.now.toISOString(),
    scope: replay.scope,
    changes: request.changes,
    ...which,
    ...listed,
    confidentialReferences: 'withheld',
  };
}

/** The period's cases replayed under the changes, as of the cut-off, with who may see which. */
interface PeriodReplay {
  readonly period: ReportPeriod;
  readonly scope: ReportScope;
  readonly now: Date;
  readonly asOf: Date;
  readonly pageSize: number;
  readonly selector: Omit<WhatIfCasesSelector, 'asOf'> | undefined;
  /** The facts of each case in scope, as recorded, and replayed (same order). */
  readonly reality: readonly CaseReportFacts[];
  readonly changed: readonly CaseReportFacts[];
  /** The cases of each difference list (recorded facts), computed when asked. */
  readonly lists: Readonly<Record<Exclude<WhatIfListId, 'changed'>, () => CaseReportFacts[]>>;
  readonly categoryKinds: ReadonlyMap<string, Category['kind']>;
  /** The what-if lists no confidential case, to anyone. */
  readonly mayList: (f: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean;
  /** The report's rule (its drill-down lists confidential cases to auditors): for the recorded side's `withheld`. */
  readonly reportMayList: (f: Pick<CaseReportFacts, 'confidential' | 'category'>) => boolean;
  readonly casesRead: number;
  readonly casesChanged: number;
}

async function replayPeriod(
  deps: WhatIfDeps,
  identity: StaffIdentity,
  request: WhatIfRequest,
  cases: WhatIfCasesQuery | undefined,
): Promise<PeriodReplay> {
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
  const pageSize = checkPageSize(request.pageSize, issues);
  const now = deps.clock.now();
  const cutOff =
    period === undefined
      ? undefined
      : new Date(Math.min(Date.parse(endOfLocalDay(parseLocalDate(period.to))), now.getTime()));
  const checked = cases === undefined ? undefined : checkCasesQuery(cases, deps.policy, cutOff, issues);
  if (issues.length > 0 || period === undefined || cutOff === undefined)
    throw new InvalidRequestError(issues);
  const asOf = checked?.asOf ?? cutOff;

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

  const confidential = (f: Pick<CaseReportFacts, 'confidential' | 'category'>) =>
    f.confidential || deps.policy.categories.some((c) => c.id === f.category && c.confidential);
  const inPeriod = period;
  const received = (f: CaseReportFacts) => f.receivedDate >= inPeriod.from && f.receivedDate <= inPeriod.to;
  const compare = (
    of: (f: CaseReportFacts) => DeadlineFacts | undefined,
  ): DeadlineDifferences<CaseReportFacts[]> => {
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
    return { breached, noLongerBreached: noLonger };
  };
  const acknowledgement = lazily(() => compare((f) => f.acknowledgement));
  const answer = lazily(() => compare((f) => f.answer));
  return {
    period,
    scope,
    now,
    asOf,
    pageSize,
    selector: checked?.selector,
    reality,
    changed,
    lists: {
      'acknowledgement.breached': () => acknowledgement().breached,
      'acknowledgement.noLongerBreached': () => acknowledgement().noLongerBreached,
      'answer.breached': () => answer().breached,
      'answer.noLongerBreached': () => answer().noLongerBreached,
      automaticInstead: () => automaticInstead.filter(received),
    },
    categoryKinds: new Map(deps.policy.categories.map((c) => [c.id, c.kind])),
    mayList: (f) => !confidential(f),
    reportMayList: (f) => auditor || !confidential(f),
    casesRead,
    casesChanged,
  };
}

function lazily<T>(compute: () => T): () => T {
  let value: { readonly is: T } | undefined;
  return () => (value ??= { is: compute() }).is;
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

/** The cases of a list: the references the what-if may list (sorted), and how many it withholds. */
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

/** Page `page` of a list (`pageSize` references), with the `cases` asking for the pages around it. */
function casesPage(
  cases: Drilldown,
  which: Omit<WhatIfCasesSelector, 'page'>,
  page: number,
  pageSize: number,
): WhatIfCases {
  const pages = Math.max(1, Math.ceil(cases.references.length / pageSize));
  return {
    count: cases.references.length + cases.withheld,
    withheld: cases.withheld,
    page,
    pageSize,
    pages,
    references: cases.references.slice((page - 1) * pageSize, page * pageSize),
    ...(page < pages ? { next: { ...which, page: page + 1 } } : {}),
    ...(page > 1 ? { previous: { ...which, page: Math.min(page, pages + 1) - 1 } } : {}),
  };
}

function checkPageSize(value: unknown, issues: RequestIssue[]): number {
  if (value === undefined) return CASES_PAGE_SIZE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_CASES_PAGE_SIZE)
    return value;
  issues.push({
    path: 'body.pageSize',
    fr: `doit être un nombre entier de 1 à ${MAX_CASES_PAGE_SIZE}`,
    en: `must be a whole number from 1 to ${MAX_CASES_PAGE_SIZE}`,
  });
  return CASES_PAGE_SIZE;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Checks `cases` field by field: a known list; for `changed`, an indicator and optionally a category of the
 * policy and a channel (for no other list); a page from 1; a cut-off (`asOf`, an ISO instant in UTC) not after
 * the period's own (the end of `to`, or now).
 */
function checkCasesQuery(
  query: WhatIfCasesQuery,
  policy: Pick<Policy, 'categories'>,
  cutOff: Date | undefined,
  issues: RequestIssue[],
): { selector: Omit<WhatIfCasesSelector, 'asOf'>; asOf: Date | undefined } {
  const path = (field: string) => `body.cases.${field}`;
  const oneOf = (field: string, values: readonly string[]) => {
    const list = values.join(', ');
    issues.push({ path: path(field), fr: `doit être l’un de ${list}`, en: `must be one of ${list}` });
  };
  const list = query.list as WhatIfListId;
  if (!WHAT_IF_LISTS.includes(list)) oneOf('list', WHAT_IF_LISTS);
  const changed = list === 'changed';
  for (const field of ['indicator', 'category', 'channel'] as const) {
    if (!changed && query[field] !== undefined && WHAT_IF_LISTS.includes(list)) {
      issues.push({
        path: path(field),
        fr: 'ne vaut que pour la liste changed',
        en: 'applies to the list changed only',
      });
    }
  }
  if (changed && query.indicator === undefined) {
    issues.push({
      path: path('indicator'),
      fr: 'est obligatoire pour la liste changed',
      en: 'is required for the list changed',
    });
  } else if (changed && !INDICATOR_IDS.includes(query.indicator as IndicatorId)) {
    oneOf('indicator', INDICATOR_IDS);
  }
  const categories = policy.categories.map((c) => c.id).sort();
  if (changed && query.category !== undefined && !categories.includes(query.category as string)) {
    oneOf('category', categories);
  }
  if (changed && query.channel !== undefined && !ChannelSchema.safeParse(query.channel).success) {
    oneOf('channel', ChannelSchema.options);
  }
  const page = query.page ?? 1;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) {
    issues.push({
      path: path('page'),
      fr: 'doit être un nombre entier à partir de 1',
      en: 'must be a whole number from 1',
    });
  }
  let asOf: Date | undefined;
  if (query.asOf !== undefined) {
    const at = typeof query.asOf === 'string' && INSTANT.test(query.asOf) ? Date.parse(query.asOf) : NaN;
    if (!Number.isFinite(at)) {
      issues.push({
        path: path('asOf'),
        fr: 'doit être un instant ISO 8601 en UTC (le asOf d’une réponse)',
        en: 'must be an ISO 8601 instant in UTC (the asOf of an answer)',
      });
    } else if (cutOff !== undefined && at > cutOff.getTime()) {
      issues.push({
        path: path('asOf'),
        fr: `ne peut pas être après la fin de la période ni maintenant (${cutOff.toISOString()})`,
        en: `cannot be after the end of the period nor now (${cutOff.toISOString()})`,
      });
    } else asOf = new Date(at);
  }
  return {
    selector: {
      list,
      ...(changed ? { indicator: query.indicator as IndicatorId } : {}),
      ...(changed && query.category !== undefined ? { category: query.category as string } : {}),
      ...(changed && query.channel !== undefined ? { channel: query.channel as string } : {}),
      page: page as number,
    },
    asOf,
  };
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
