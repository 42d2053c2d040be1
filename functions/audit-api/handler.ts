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
import { ListViewsQuerySchema } from '../../shared/schemas/audit-api';
import { parseRequest } from '../../shared/schemas/staff-api';

export interface AuditApiDeps extends TimelineDeps, Pick<VerifyLedgerDeps, 'scanner'> {
  readonly logger: ApiLogger;
  /** The work-list views of confidential cases (`GET /api/audit/access/list-views?day=`). */
  readonly accessJournal: AccessJournal;
  /** A timeline may be asked for by the case's reference (`ByReference`). */
  readonly caseReferences: CaseReferenceLookup;
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

const TIMELINE_PATH = /^\/api\/audit\/cases\/([^/]+)\/timeline\/?$/;
const VERIFY_PATH = /^\/api\/audit\/ledger\/verify\/?$/;
const LIST_VIEWS_PATH = /^\/api\/audit\/access\/list-views\/?$/;

function resolve(path: string): { route: Route; caseId: string; name: string } | undefined {
  const timeline = TIMELINE_PATH.exec(path);
  if (timeline?.[1] !== undefined)
    return { route: timelineRoute, caseId: decodeSegment(timeline[1]), name: 'cases/{caseId}/timeline' };
  if (VERIFY_PATH.test(path)) return { route: verifyRoute, caseId: '', name: 'ledger/verify' };
  if (LIST_VIEWS_PATH.test(path)) return { route: listViewsRoute, caseId: '', name: 'access/list-views' };
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
 *
 * Auditors only: any other role gets 403 (administrators too, see `requireAuditor`); no identity, 401.
 * Errors become responses in the staff API's one place (`toErrorResponse`), in French or English per
 * `Accept-Language`.
 */
export function makeHandler(deps: AuditApiDeps): (event: Event) => Promise<Result> {
  return async (event) => {
    const language = negotiateLanguage(event.headers?.['accept-language']);
    const method = event.requestContext.http.method.toUpperCase();
    const resolved = resolve(event.rawPath);
    if (resolved === undefined) {
      return routeNotFound(language);
    }
    if (method !== 'GET') {
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
