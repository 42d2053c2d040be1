import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { listViewsOfDay } from '../../shared/domain/audit/list-views';
import { getCaseTimeline } from '../../shared/domain/audit/timeline';
import {
  latestLedgerVerification,
  startLedgerVerification,
} from '../../shared/domain/audit/verification-job';
import { verifyLedger } from '../../shared/domain/audit/verify-ledger';
import type { AccessJournal } from '../../shared/domain/access/access-journal';
import type { TimelineDeps } from '../../shared/domain/audit/timeline';
import type { VerificationStarter, VerificationStore } from '../../shared/domain/audit/verification-job';
import type { VerifyLedgerDeps } from '../../shared/domain/audit/verify-ledger';
import { resolveCaseKey } from '../../shared/domain/case/case-key';
import type { CaseReferenceLookup } from '../../shared/domain/case/reference';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import { PortNotConfiguredError } from '../../shared/errors';
import { json, negotiateLanguage, readJsonBody, jwtApiHandler } from '../staff-api/http';
import type { JwtApiCycle } from '../staff-api/http';
import { AUDIT_API_ROUTES } from './routes';
import type { AuditRouteId } from './routes';
import { latestReportReplay, startReportReplay } from '../../shared/domain/report/aggregates';
import { reportToCsv } from '../../shared/domain/report/csv';
import { serviceStatementCases } from '../../shared/domain/report/drilldown';
import { LedgerReportSource } from '../../shared/domain/report/ledger-source';
import { serviceStatementReport } from '../../shared/domain/report/service-statement';
import { whatIfCalendars, whatIfCases, whatIfReport } from '../../shared/domain/report/what-if';
import type { ReportRecordSource, ReportReplayDeps } from '../../shared/domain/report/aggregates';
import type { DaySummaryNotSaved } from '../../shared/domain/report/day-summary';
import type { ReportCaseSource } from '../../shared/domain/report/service-statement';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import type { CalendarRegistry } from '../../shared/domain/time/calendars';
import type { Policy } from '../../shared/domain/policy/schema';
import { ListViewsQuerySchema, ReportQuerySchema, WhatIfBodySchema } from '../../shared/schemas/audit-api';
import { parseRequest } from '../../shared/schemas/staff-api';

export interface AuditApiDeps extends TimelineDeps, Pick<VerifyLedgerDeps, 'scanner'>, JwtApiCycle {
  /** The work-list views of confidential cases (`GET /api/audit/access/list-views?day=`). */
  readonly accessJournal: AccessJournal;
  /** A timeline may be asked for by the case's reference (`ByReference`). */
  readonly caseReferences: CaseReferenceLookup;
  /**
   * Where the service-statement report reads its cases: the report aggregates, or by default one pass over
   * the ledger (`scanner`).
   */
  readonly reportSource?: ReportCaseSource | ReportRecordSource;
  /** The full replay of the ledger against the report aggregates (`/api/audit/reports/replay`), when kept. */
  readonly reportReplay?: ReportReplayDeps;
  /**
   * The ledger verification job (`/api/audit/ledger/verifications`): its starter (the state machine) and the
   * store of its runs, when deployed.
   */
  readonly ledgerVerification?: {
    readonly verifications: VerificationStarter;
    readonly verificationStore: Pick<VerificationStore, 'latest'>;
  };
  /** The what-if replays deadlines within the organization's working hours. */
  readonly policy: Pick<Policy, 'categories' | 'organization'>;
  /** Calendars the report counts business days on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
}

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;
type Route = (deps: AuditApiDeps, identity: StaffIdentity, caseId: string, event: Event) => Promise<Result>;

const timelineRoute: Route = async (deps, identity, caseId) =>
  json(200, await getCaseTimeline(deps, identity, await resolveCaseKey(caseId, deps.caseReferences)));

const verifyRoute: Route = async (deps, identity) => {
  const result = await verifyLedger(deps, identity);
  if (!result.ok) {
    deps.logger.warn('ledger verification failed', {
      cases: result.cases,
      events: result.events,
      badCaseCount: result.badCaseCount,
      badCases: result.badCases?.slice(0, 20).map((bad) => `${bad.caseId}#${bad.seq}:${bad.problem}`),
    });
  } else {
    deps.logger.info('ledger verified', { cases: result.cases, events: result.events });
  }
  return json(200, result);
};

/** The ledger verification job, where deployed (fails closed elsewhere). */
function ledgerVerificationOf(deps: AuditApiDeps): NonNullable<AuditApiDeps['ledgerVerification']> {
  if (deps.ledgerVerification === undefined) throw new PortNotConfiguredError('LedgerVerification');
  return deps.ledgerVerification;
}

const verificationStartRoute: Route = async (deps, identity) => {
  const run = await startLedgerVerification(ledgerVerificationOf(deps), identity);
  deps.logger.info('ledger verification started', { runId: run.runId });
  return json(202, run);
};

const verificationLatestRoute: Route = async (deps, identity) =>
  json(
    200,
    await latestLedgerVerification(
      {
        ...ledgerVerificationOf(deps),
        now: () => deps.clock.now(),
        onEngineUnavailable: (runId, error) =>
          deps.logger.warn('ledger verification run: its execution could not be read; judged by its age', {
            runId,
            errorName: error instanceof Error ? error.name : 'unknown',
          }),
      },
      identity,
    ),
  );

const listViewsRoute: Route = async (deps, identity, _caseId, event) => {
  const { day } = parseRequest(ListViewsQuerySchema, event.queryStringParameters ?? {}, ['query']);
  return json(200, await listViewsOfDay(deps, identity, day));
};

const reportRoute: Route = async (deps, identity, _caseId, event) => {
  const query = event.queryStringParameters ?? {};
  const { format, lang } = parseRequest(ReportQuerySchema, { format: query['format'], lang: query['lang'] }, [
    'query',
  ]);
  const report = await serviceStatementReport(reportDeps(deps), identity, {
    from: query['from'],
    to: query['to'],
  });
  deps.logger.info('service-statement report', {
    from: report.period.from,
    to: report.period.to,
    scope: report.scope.kind,
    casesRead: report.source.casesRead,
  });
  if (format !== 'csv') return json(200, report);
  const language = lang ?? negotiateLanguage(event.headers?.['accept-language']);
  const name = language === 'fr' ? 'declaration-de-services' : 'service-statement';
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-${report.period.from}-${report.period.to}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: reportToCsv(report, deps.policy, language),
  };
};

const reportCasesRoute: Route = async (deps, identity, _caseId, event) => {
  const query = event.queryStringParameters ?? {};
  const page = await serviceStatementCases(reportDeps(deps), identity, {
    from: query['from'],
    to: query['to'],
    indicator: query['indicator'],
    category: query['category'],
    channel: query['channel'],
    page: query['page'],
    pageSize: query['pageSize'],
  });
  deps.logger.info('service-statement report cases', {
    from: page.period.from,
    to: page.period.to,
    indicator: page.indicator,
    count: page.count,
    page: page.page,
  });
  return json(200, page);
};

function reportDeps(deps: AuditApiDeps) {
  return {
    reportSource: deps.reportSource ?? new LedgerReportSource(deps.scanner),
    clock: deps.clock,
    policy: deps.policy,
    calendars: deps.calendars ?? bundledCalendars(),
    accessJournal: deps.accessJournal,
    daySummaryMonitor: {
      summaryNotSaved: (failure: DaySummaryNotSaved) =>
        deps.logger.warn('day summary not saved', { day: failure.day, error: failure.error }),
    },
  };
}

/** The replay of the ledger against the report aggregates, where they are kept (fails closed elsewhere). */
function reportReplayOf(deps: AuditApiDeps): ReportReplayDeps {
  if (deps.reportReplay === undefined) throw new PortNotConfiguredError('ReportReplay');
  return deps.reportReplay;
}

const replayStartRoute: Route = async (deps, identity) => {
  const run = await startReportReplay(reportReplayOf(deps), identity);
  deps.logger.info('report replay started', { runId: run.runId });
  return json(202, run);
};

const replayLatestRoute: Route = async (deps, identity) =>
  json(200, await latestReportReplay(reportReplayOf(deps), identity));

/**
 * Replays the period under changed category policies; reads the ledger, writes nothing: the what-if
 * (`whatIfReport`), or with `cases` one page of one of its lists (`whatIfCases`).
 */
const whatIfRoute: Route = async (deps, identity, _caseId, event) => {
  const body = parseRequest(WhatIfBodySchema, readJsonBody(event), ['body']);
  // The report's dependencies, but the what-if replays each case's events: the ledger, even where the report
  // reads aggregates. It uses no access journal: it lists no confidential reference.
  const source = deps.reportSource;
  const reportSource =
    source !== undefined && 'caseHistories' in source ? source : new LedgerReportSource(deps.scanner);
  const whatIfDeps = { ...reportDeps(deps), reportSource };
  const request = {
    from: body.from,
    to: body.to,
    changes: body.changes,
    ...(body.pageSize !== undefined ? { pageSize: body.pageSize } : {}),
  };
  if (body.cases !== undefined) {
    const page = await whatIfCases(whatIfDeps, identity, { ...request, cases: body.cases });
    deps.logger.info('what-if cases', {
      from: page.period.from,
      to: page.period.to,
      scope: page.scope.kind,
      list: page.list,
      page: page.page,
    });
    return json(200, page);
  }
  const result = await whatIfReport(whatIfDeps, identity, request);
  deps.logger.info('what-if replay', {
    from: result.period.from,
    to: result.period.to,
    scope: result.scope.kind,
    categories: Object.keys(result.changes),
    casesRead: result.source.casesRead,
    casesChanged: result.source.casesChanged,
  });
  return json(200, result);
};

/** The calendars and versions the what-if may name (`whatIfCalendars`). */
const whatIfCalendarsRoute: Route = async (deps, identity) =>
  json(200, whatIfCalendars({ calendars: deps.calendars ?? bundledCalendars() }, identity));

/** The handler of each declared route (`AUDIT_API_ROUTES`): the type makes every route have one. */
const ROUTES: Readonly<Record<AuditRouteId, Route>> = {
  timeline: timelineRoute,
  'ledger.verify': verifyRoute,
  'ledger.verifications.start': verificationStartRoute,
  'ledger.verifications.latest': verificationLatestRoute,
  'access.list-views': listViewsRoute,
  'reports.service-statement': reportRoute,
  'reports.service-statement.cases': reportCasesRoute,
  'what-if': whatIfRoute,
  'what-if.calendars': whatIfCalendarsRoute,
  'reports.replay.start': replayStartRoute,
  'reports.replay.latest': replayLatestRoute,
};

/**
 * The auditor HTTP API (API Gateway HTTP API v2, on the staff API behind the same JWT authorizer), read-only:
 * - `GET /api/audit/cases/{caseId}/timeline` → 200 `{case, deadlines, events, execution, chain}` (see
 *   `getCaseTimeline`); 404 for an unknown case; `{caseId}` may be the case's reference (`SCT-2026-000123`).
 * - `GET /api/audit/ledger/verify` → 200 `{ok, cases, events, badCases?, badCaseCount?, truncated?}` (see
 *   `verifyLedger`: every failing case, bounded); a failed verification is still a 200 (the answer is the
 *   finding) and is logged as a warning with the count and the first ids. It reads the whole ledger within one
 *   request, so it is routed by the local stack only (`localOnly`); in AWS the verification is the job below.
 * - `POST /api/audit/ledger/verifications` → 202 `{runId, startedAt}`: starts the ledger verification job
 *   (chains, mirror and last signed digest; `startLedgerVerification`), or answers the run in progress;
 *   `GET /api/audit/ledger/verifications/latest` → 200 `{latest, lastFinished}`: the latest run's progress or
 *   result and the last run that ended (`null` before any). Auditors only; where the job is deployed
 *   (`ledgerVerification`), else 500 `PORT_NOT_CONFIGURED`.
 * - `GET /api/audit/access/list-views?day=YYYY-MM-DD` → 200 `{day, views: [{at, actor, route, caseIds}]}`: the
 *   work-list views of that local day that showed confidential cases (see `listViewsOfDay`).
 * - `GET /api/audit/reports/service-statement?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=json|csv][&lang=fr|en]`
 *   → 200, the service-statement report (`serviceStatementReport`: each figure's count and drill-down address,
 *   no reference) as JSON, or as CSV (`reportToCsv`, UTF-8 with a BOM, headers in `lang`, else in the
 *   `Accept-Language` one); 400 field by field for a bad period.
 *   Supervisors may read it too, for the categories of their units (see `serviceStatementReport`). Without
 *   `from` and `to`: 1 January to today (Québec date of the server's clock).
 * - `GET /api/audit/reports/service-statement/cases?from&to&indicator[&category][&channel][&page][&pageSize]`
 *   → 200, one page of the references behind a figure (`serviceStatementCases`; each figure's `cases.href`).
 * - `POST /api/audit/what-if {"from", "to", "changes": {<category>: {acknowledgementDays?, answerDays?,
 *   automaticAcknowledgement?, calendar?: {id?, version?, addClosures?}}}, "pageSize"?}` → 200, the report's
 *   figures as recorded and under the changes side by side, with the counts and first page of the cases that
 *   would have breached (`whatIfReport`); with `"cases": {list, indicator?, category?, channel?, page, asOf}`
 *   (a list's `next`), one page of that list (`whatIfCases`); 400 field by field (`body.…`). Reads the ledger
 *   and writes nothing. Auditors; supervisors for their units.
 * - `GET /api/audit/what-if/calendars` → 200 `{calendars: [{id, name: {fr, en}, versions: [{version,
 *   effectiveFrom}]}]}`: what a what-if's `calendar` may name (`whatIfCalendars`). Auditors and supervisors.
 * - `POST /api/audit/reports/replay` → 202 `{runId, startedAt}`: starts a full replay of the ledger against the
 *   report aggregates (`startReportReplay`; the run in progress when one is); `GET /api/audit/reports/replay`
 *   → 200 `{latest}`, the last finished check `{checkedAt, matched, differences, cases, …}` or `null`. Auditors
 *   only; where the aggregates are kept (`reportReplay`), else 500 `PORT_NOT_CONFIGURED`.
 *
 * Auditors only, but for the report and the what-if (and its calendars): any other role gets 403 (administrators too, see `requireAuditor`); no
 * identity, 401.
 * Errors become responses in the staff API's one place (`toErrorResponse`), in French or English per
 * `Accept-Language`.
 */
export function makeHandler(deps: AuditApiDeps): (event: Event) => Promise<Result> {
  return jwtApiHandler(AUDIT_API_ROUTES, deps, ({ identity, route, params, event }) =>
    ROUTES[route.id](deps, identity, params['caseId'] ?? '', event),
  );
}
