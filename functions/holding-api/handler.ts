import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { resolveCaseKey } from '../../shared/domain/case/case-key';
import type { CaseReferenceLookup } from '../../shared/domain/case/reference';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import type { AttachmentLimits } from '../../shared/domain/intake/email/attachments';
import type { HoldingPen } from '../../shared/domain/intake/email/holding-pen';
import {
  attachHeldMessage,
  dismissHeldMessage,
  getHoldingItem,
  listHoldingItems,
  registerHeldMessage,
} from '../../shared/domain/intake/email/holding-triage';
import type { AttachmentStore, RawMailReader } from '../../shared/domain/intake/email/ports';
import type { IntakeDeps } from '../../shared/domain/intake/register-case';
import type { StaffDirectory } from '../../shared/domain/identity/staff-directory';
import {
  HoldingAttachBodySchema,
  HoldingDismissBodySchema,
  HoldingListQuerySchema,
  HoldingRegisterBodySchema,
} from '../../shared/schemas/holding-api';
import { parseRequest } from '../../shared/schemas/staff-api';
import { json, readJsonBody, jwtApiHandler } from '../staff-api/http';
import type { JwtApiCycle } from '../staff-api/http';
import { HOLDING_API_ROUTES } from './routes';
import type { HoldingAction, HoldingRouteId } from './routes';

/**
 * What the holding-pen routes need: intake (a held message may become a case: the ledger, reference counters,
 * the workflow), the pen, the raw mail (read only), the attachment store, and the lookup of quoted references
 * (held mail naming a case takes that case's access rules).
 */
export interface HoldingApiDeps extends IntakeDeps, JwtApiCycle {
  readonly holdingPen: HoldingPen;
  readonly caseReferences: CaseReferenceLookup;
  readonly rawMail: RawMailReader;
  readonly rawMailBucket: string;
  readonly attachments: AttachmentStore;
  readonly attachmentLimits?: AttachmentLimits;
  /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
  readonly authservId?: string;
  /** Who staff ids are (display names), for the triage byline; ids alone when absent. */
  readonly directory?: Pick<StaffDirectory, 'member'>;
}

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;
type Route = (
  deps: HoldingApiDeps,
  request: { identity: StaffIdentity; itemId: string; event: Event },
) => Promise<Result>;

/** A triage answers 201 when it recorded something, 200 when the same triage was already recorded. */
function triageResult(result: { readonly replayed: boolean }): Result {
  return json(result.replayed ? 200 : 201, result);
}

/** A held item that may be a complaint is confidential: each read leaves who, which item and scope, no content. */
const itemRoute: Route = async (deps, { identity, itemId }) => {
  const item = await getHoldingItem(deps, identity, itemId);
  if (item.confidential)
    deps.logger.info('confidential held item read', { itemId, staffId: identity.id, scope: item.scope });
  return json(200, { item });
};

const TRIAGE: Readonly<Record<HoldingAction, Route>> = {
  attach: async (deps, { identity, itemId, event }) => {
    const body = parseRequest(HoldingAttachBodySchema, readJsonBody(event));
    // The case may be named by its reference, as on every case route.
    const caseId = await resolveCaseKey(body.caseId, deps.caseReferences);
    const result = await attachHeldMessage(deps, identity, itemId, { ...body, caseId });
    deps.logger.info('held message attached', { itemId, caseId: result.caseId, replayed: result.replayed });
    return triageResult(result);
  },
  register: async (deps, { identity, itemId, event }) => {
    const body = parseRequest(HoldingRegisterBodySchema, readJsonBody(event));
    const result = await registerHeldMessage(deps, identity, itemId, body);
    deps.logger.info('held message registered', { itemId, caseId: result.caseId, replayed: result.replayed });
    return triageResult(result);
  },
  dismiss: async (deps, { identity, itemId, event }) => {
    const body = parseRequest(HoldingDismissBodySchema, readJsonBody(event));
    const result = await dismissHeldMessage(deps, identity, itemId, body);
    deps.logger.info('held message dismissed', { itemId, reason: body.reason, replayed: result.replayed });
    return triageResult(result);
  },
};

/** The handler of each declared route (`HOLDING_API_ROUTES`): the type makes every route have one. */
const ROUTES: Readonly<Record<HoldingRouteId, Route>> = {
  'holding.list': async (deps, { identity, event }) => {
    const query = parseRequest(HoldingListQuerySchema, event.queryStringParameters ?? {}, ['query']);
    return json(200, await listHoldingItems(deps, identity, query));
  },
  'holding.get': itemRoute,
  'holding.attach': TRIAGE.attach,
  'holding.register': TRIAGE.register,
  'holding.dismiss': TRIAGE.dismiss,
};

/**
 * The holding-pen API (on the staff HTTP API, JWT authorizer), for email intake could not file on its own:
 * - `GET /api/staff/holding?status=open|recorded|resolved&kind=&order=oldest|newest&limit=&cursor=` → 200
 *   `{items: [...], cursor?}`: held email the person may see, metadata only (subject for content readers).
 * - `GET /api/staff/holding/{itemId}` → 200 `{item: {...}}` (the sanitized message for content readers).
 * - `POST /api/staff/holding/{itemId}/attach {caseId}` (the case's id or reference) |
 *   `register {category, requester, subject?, body?}` | `dismiss {reason, note?}` → 201 with the triage
 *   (200 when the same triage was already recorded; 409 when another one was).
 *
 * Identity from the verified JWT claims only (401 without); bodies over 1 MiB are refused (413) before they
 * are read; errors become responses in the staff API's one place (`toErrorResponse`).
 */
export function makeHandler(deps: HoldingApiDeps): (event: Event) => Promise<Result> {
  return jwtApiHandler(HOLDING_API_ROUTES, deps, ({ identity, route, params, event }) =>
    ROUTES[route.id](deps, { identity, itemId: params['itemId'] ?? '', event }),
  );
}
