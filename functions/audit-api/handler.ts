import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { getCaseTimeline, listViewsOfDay, verifyLedger } from '../../shared/domain/audit';
import type { AccessJournal, TimelineDeps, VerifyLedgerDeps } from '../../shared/domain/audit';
import { resolveCaseKey } from '../../shared/domain/case/case-key';
import type { CaseReferenceLookup } from '../../shared/domain/case/reference';
import { identityFromClaims } from '../../shared/domain/identity/identity';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import { NotAuthenticatedError } from '../../shared/errors';
import {
  decodeSegment,
  json,
  methodNotAllowed,
  negotiateLanguage,
  routeNotFound,
  toErrorResponse,
} from '../staff-api/http';
import type { ApiLogger } from '../staff-api/http';
import {
  LedgerReportSource,
  latestReportReplay,
  reportToCsv,
  serviceStatementReport,
  startReportReplay,
} from '../../shared/domain/report';
import type { ReportCaseSource, ReportRecordSource, ReportReplayDeps } from '../../shared/domain/report';
import { bundledCalendars } from '../../shared/domain/time';
import type { CalendarRegistry } from '../../shared/domain/time';
import { ListViewsQuerySchema, ReportQuerySchema } from '../../shared/schemas/audit-api';
import { parseRequest } from '../../shared/schemas/staff-api';

export interface AuditApiDeps extends TimelineDeps, Pick<VerifyLedgerDeps, 'scanner'> {
  readonly logger: ApiLogger;
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

const listViewsRoute: Route = async (deps, identity, _caseId, event) => {
  const { day } = parseRequest(ListViewsQuerySchema, event.queryStringParameters ?? {}, ['query']);
  return json(200, await listViewsOfDay(deps, identity, day));
};

const reportRoute: Route = async (deps, identity, _caseId, event) => {
  const query = event.queryStringParameters ?? {};
  const { format, lang } = parseRequest(ReportQuerySchema, { format: query['format'], lang: query['lang'] }, [
    'query',
  ]);
  const report = await serviceStatementReport(
    {
      reportSource: deps.reportSource ?? new LedgerReportSource(deps.scanner),
      clock: deps.clock,
      policy: deps.policy,
      calendars: deps.calendars ?? bundledCalendars(),
      accessJournal: deps.accessJournal,
    },
    identity,
    { from: query['from'], to: query['to'] },
  );
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

const replayRoute: Route = async (deps, identity, _caseId, event) => {
  const replay = deps.reportReplay!;
  if (event.requestContext.http.method.toUpperCase() === 'POST') {
    const run = await startReportReplay(replay, identity);
    deps.logger.info('report replay started', { runId: run.runId });
    return json(202, run);
  }
  return json(200, await latestReportReplay(replay, identity));
};

const TIMELINE_PATH = /^\/api\/audit\/cases\/([^/]+)\/timeline\/?$/;
const VERIFY_PATH = /^\/api\/audit\/ledger\/verify\/?$/;
const LIST_VIEWS_PATH = /^\/api\/audit\/access\/list-views\/?$/;
const REPORT_PATH = /^\/api\/audit\/reports\/service-statement\/?$/;
const REPLAY_PATH = /^\/api\/audit\/reports\/replay\/?$/;

function resolve(
  path: string,
  deps: AuditApiDeps,
): { route: Route; caseId: string; name: string; post?: true } | undefined {
  const timeline = TIMELINE_PATH.exec(path);
  if (timeline?.[1] !== undefined)
    return { route: timelineRoute, caseId: decodeSegment(timeline[1]), name: 'cases/{caseId}/timeline' };
  if (VERIFY_PATH.test(path)) return { route: verifyRoute, caseId: '', name: 'ledger/verify' };
  if (LIST_VIEWS_PATH.test(path)) return { route: listViewsRoute, caseId: '', name: 'access/list-views' };
  if (REPORT_PATH.test(path)) return { route: reportRoute, caseId: '', name: 'reports/service-statement' };
  if (REPLAY_PATH.test(path) && deps.reportReplay !== undefined)
    return { route: replayRoute, caseId: '', name: 'reports/replay', post: true };
  return undefined;
}

/**
 * The auditor HTTP API (API Gateway HTTP API v2, on the staff API behind the same JWT authorizer), read-only:
 * - `GET /api/audit/cases/{caseId}/timeline` → 200 `{case, deadlines, events, execution, chain}` (see
 *   `getCaseTimeline`); 404 for an unknown case; `{caseId}` may be the case's reference (`SCT-2026-000123`).
 * - `GET /api/audit/ledger/verify` → 200 `{ok, cases, events, badCases?, badCaseCount?, truncated?}` (see
 *   `verifyLedger`: every failing case, bounded); a failed verification is still a 200 (the answer is the
 *   finding) and is logged as a warning with the count and the first ids.
 * - `GET /api/audit/access/list-views?day=YYYY-MM-DD` → 200 `{day, views: [{at, actor, route, caseIds}]}`: the
 *   work-list views of that local day that showed confidential cases (see `listViewsOfDay`).
 * - `GET /api/audit/reports/service-statement?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=json|csv][&lang=fr|en]`
 *   → 200, the service-statement report (`serviceStatementReport`) as JSON, or as CSV (`reportToCsv`, UTF-8
 *   with a BOM, headers in `lang`, else in the `Accept-Language` one); 400 field by field for a bad period.
 *   Supervisors may read it too, for the categories of their units (see `serviceStatementReport`).
 * - `POST /api/audit/reports/replay` → 202 `{runId, startedAt}`: starts a full replay of the ledger against the
 *   report aggregates (`startReportReplay`; the run in progress when one is); `GET /api/audit/reports/replay`
 *   → 200 `{latest}`, the last finished check `{checkedAt, matched, differences, cases, …}` or `null`. Auditors
 *   only; present where the aggregates are kept (`reportReplay`).
 *
 * Auditors only, but for the report: any other role gets 403 (administrators too, see `requireAuditor`); no
 * identity, 401.
 * Errors become responses in the staff API's one place (`toErrorResponse`), in French or English per
 * `Accept-Language`.
 */
export function makeHandler(deps: AuditApiDeps): (event: Event) => Promise<Result> {
  return async (event) => {
    const language = negotiateLanguage(event.headers?.['accept-language']);
    const method = event.requestContext.http.method.toUpperCase();
    const resolved = resolve(event.rawPath, deps);
    if (resolved === undefined) {
      return routeNotFound(language);
    }
    if (method !== 'GET' && !(method === 'POST' && resolved.post === true)) {
      return methodNotAllowed(language);
    }
    try {
      const identity = identityFromClaims(event.requestContext.authorizer?.jwt?.claims);
      if (identity === undefined) throw new NotAuthenticatedError();
      return await resolved.route(deps, identity, resolved.caseId, event);
    } catch (error) {
      return toErrorResponse(
        error,
        {
          language,
          route: `${method} /api/audit/${resolved.name}`,
          ...(event.requestContext.requestId ? { requestId: event.requestContext.requestId } : {}),
        },
        deps.logger,
      );
    }
  };
}
