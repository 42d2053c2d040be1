import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from '../../shared/zod-mini';

import { acknowledge } from '../../shared/domain/case/commands/acknowledge';
import { answer } from '../../shared/domain/case/commands/answer';
import { getAttachmentDownload } from '../../shared/domain/case/commands/attachments';
import { close } from '../../shared/domain/case/commands/close';
import { recordDissatisfaction } from '../../shared/domain/case/commands/dissatisfied';
import { extend } from '../../shared/domain/case/commands/extend';
import { findCases } from '../../shared/domain/case/commands/find-cases';
import { registerStaffIntake } from '../../shared/domain/case/commands/intake';
import {
  getLetterDocument,
  listLetters,
  recordLetterMailed,
} from '../../shared/domain/case/commands/letters';
import { addNote } from '../../shared/domain/case/commands/note';
import { getCase } from '../../shared/domain/case/commands/read';
import { reassign } from '../../shared/domain/case/commands/reassign';
import { recategorize } from '../../shared/domain/case/commands/recategorize';
import { recordRequesterReached } from '../../shared/domain/case/commands/requester-reached';
import { restartEnforcement } from '../../shared/domain/case/commands/restart-enforcement';
import type { CaseSearchIndex } from '../../shared/domain/case/commands/case-search';
import type { CommandDeps, CommandOptions } from '../../shared/domain/case/commands/deps';
import type { IntakeMetrics, StaffIntakeResult } from '../../shared/domain/case/commands/intake';
import type { CaseQueries } from '../../shared/domain/case/commands/queries';
import type { DownloadLinks } from '../../shared/domain/attachments/download';
import type { AccessJournal } from '../../shared/domain/access/access-journal';
import { resolveCaseKey } from '../../shared/domain/case/case-key';
import type { StaffIdentity } from '../../shared/domain/identity/identity';
import type { ReferenceAllocator } from '../../shared/domain/ledger/ports';
import type { StaffDirectory } from '../../shared/domain/identity/staff-directory';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { InvalidRequestError, LetterNotFoundError, PortNotConfiguredError } from '../../shared/errors';
import {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  CloseBodySchema,
  DissatisfiedBodySchema,
  ExtendBodySchema,
  IdempotencyKeyHeaderSchema,
  ListCasesQuerySchema,
  MailedBodySchema,
  NoteBodySchema,
  ReassignBodySchema,
  RecategorizeBodySchema,
  RequesterReachedBodySchema,
  RestartEnforcementBodySchema,
  StaffIntakeBodySchema,
  parseRequest,
} from '../../shared/schemas/staff-api';
import { json, readJsonBody, jwtApiHandler } from './http';
import type { JwtApiCycle, ResponseLanguage } from './http';
import { STAFF_API_ROUTES } from './routes';
import type { CaseCommand, StaffRouteId } from './routes';

/** What staff intake needs on top of the commands: reference counters, the workflow, the lag metric. */
export interface StaffIntakePorts {
  readonly references: ReferenceAllocator;
  readonly workflow: Workflow;
  readonly metrics: IntakeMetrics;
}

export interface StaffApiDeps extends CommandDeps, JwtApiCycle {
  readonly queries: CaseQueries;
  /** The work list and the search (`GET /api/staff/cases`), and the references every case route accepts. */
  readonly search: CaseSearchIndex;
  /** Where a work-list view of confidential cases is recorded, once per view. */
  readonly accessJournal: AccessJournal;
  /** Staff intake (`POST /api/staff/intake`); without it the route fails closed (500, `PORT_NOT_CONFIGURED`). */
  readonly intake?: StaffIntakePorts;
  /** Who the staff are (units, roles), to check where a case is reassigned; without it, reassign fails closed. */
  readonly directory?: StaffDirectory;
  /** Short-lived attachment download links; without it, the attachment route fails closed. */
  readonly downloadLinks?: DownloadLinks;
}

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

/** What a route needs from the request once the caller is identified. */
interface RouteRequest {
  readonly identity: StaffIdentity;
  readonly caseId: string;
  readonly event: Event;
  readonly language: ResponseLanguage;
  /** `METHOD /path/{caseId}…`: the route template, recorded with a refused attempt. */
  readonly route: string;
  /** The path parameters, decoded (`caseId` above is already resolved from a reference). */
  readonly params: Readonly<Record<string, string>>;
}

type Route = (deps: StaffApiDeps, request: RouteRequest) => Promise<Result>;

/** A command answers 201 when it recorded something, 200 when it replayed an outcome already recorded. */
function commandResult(result: { readonly replayed: boolean }): Result {
  return json(result.replayed ? 200 : 201, result);
}

/** Each command route: body schema → one use case (the case id comes from the path) → its result. */
function commandRoute<S extends z.core.$ZodType<object>, R extends { readonly replayed: boolean }>(
  schema: S,
  run: (
    deps: StaffApiDeps,
    identity: StaffIdentity,
    input: z.output<S> & { caseId: string },
    options: CommandOptions,
  ) => Promise<R>,
): Route {
  return async (deps, { identity, caseId, event, route }) => {
    const body = parseRequest(schema, readJsonBody(event));
    const result = await run(deps, identity, { ...body, caseId }, { ...idempotencyOptions(event), route });
    return commandResult(result);
  };
}

const COMMANDS: Readonly<Record<CaseCommand, Route>> = {
  acknowledge: commandRoute(AcknowledgeBodySchema, acknowledge),
  answer: commandRoute(AnswerBodySchema, answer),
  extend: commandRoute(ExtendBodySchema, extend),
  reassign: commandRoute(ReassignBodySchema, (deps, identity, input, options) => {
    if (deps.directory === undefined) throw new PortNotConfiguredError('StaffDirectory');
    return reassign({ ...deps, directory: deps.directory }, identity, input, options);
  }),
  recategorize: commandRoute(RecategorizeBodySchema, recategorize),
  close: commandRoute(CloseBodySchema, close),
  dissatisfied: commandRoute(DissatisfiedBodySchema, recordDissatisfaction),
  note: commandRoute(NoteBodySchema, addNote),
  'requester-reached': commandRoute(RequesterReachedBodySchema, recordRequesterReached),
  // Starts a workflow generation: the same Workflow port as staff intake.
  'restart-enforcement': commandRoute(RestartEnforcementBodySchema, (deps, identity, input, options) => {
    if (deps.intake === undefined) throw new PortNotConfiguredError('StaffIntake');
    return restartEnforcement({ ...deps, workflow: deps.intake.workflow }, identity, input, options);
  }),
};

const listRoute: Route = async (deps, { identity, event, route }) => {
  const params = parseRequest(ListCasesQuerySchema, event.queryStringParameters ?? {}, ['query']);
  return json(200, await findCases(deps, identity, params, { route }));
};

const getRoute: Route = async (deps, { identity, caseId, route }) =>
  json(200, { case: await getCase(deps, identity, caseId, { route }) });

/**
 * The response of a staff intake: what the registrant may see (see `registerStaffIntake`), warnings in the
 * negotiated language when there are any. 201 for a new case, 200 when the key replayed a registered one.
 */
function intakeBody(result: StaffIntakeResult, language: ResponseLanguage): Record<string, unknown> {
  const visible =
    result.view === 'full'
      ? {
          caseId: result.caseId,
          reference: result.reference,
          receivedAt: result.receivedAt,
          registeredAt: result.registeredAt,
          acknowledgementDueDate: result.acknowledgementDueDate,
          acknowledgementDueAt: result.acknowledgementDueAt,
        }
      : { caseId: result.caseId, reference: result.reference };
  if (result.warnings.length === 0) return visible;
  return {
    ...visible,
    warnings: result.warnings.map((warning) => ({ code: warning.code, message: warning.messages[language] })),
  };
}

const intakeRoute: Route = async (deps, { identity, event, language }) => {
  if (deps.intake === undefined) throw new PortNotConfiguredError('StaffIntake');
  const idempotencyKey = requiredIdempotencyKey(event);
  const body = parseRequest(StaffIntakeBodySchema, readJsonBody(event));
  const result = await registerStaffIntake({ ...deps, ...deps.intake }, identity, body, { idempotencyKey });
  deps.logger.info('staff intake registered', {
    caseId: result.caseId,
    channel: body.channel,
    replayed: result.replayed,
    ...(result.warnings.length > 0 ? { warnings: result.warnings.map((warning) => warning.code) } : {}),
  });
  return json(result.replayed ? 200 : 201, intakeBody(result, language));
};

/** Where the staff API serves a letter's PDF. */
export function letterPdfPath(caseId: string, letterId: string): string {
  return `/api/staff/cases/${encodeURIComponent(caseId)}/letters/${letterId}.pdf`;
}

const lettersRoute: Route = async (deps, { identity, caseId, route }) => {
  const { letters, today } = await listLetters(deps, identity, caseId, { route });
  return json(200, {
    letters: letters.map((letter) => ({ ...letter, pdf: letterPdfPath(caseId, letter.letterId) })),
    today,
  });
};

/** The letter's PDF, inline, never cached (it holds case content). */
const letterPdfRoute: Route = async (deps, { identity, caseId, params, route }) => {
  const letterId = LETTER_FILE.exec(params['letterFile'] ?? '')?.[1];
  if (letterId === undefined) throw new LetterNotFoundError(caseId, params['letterFile'] ?? '');
  const document = await getLetterDocument(
    { ...deps, letterStore: deps.letters.store },
    identity,
    caseId,
    letterId,
    { route },
  );
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="lettre-${letterId}.pdf"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: Buffer.from(document).toString('base64'),
    isBase64Encoded: true,
  };
};

/** A download link for one attachment (never cached: it is a credential for 60 s, to case content). */
const attachmentRoute: Route = async (deps, { identity, caseId, params, route }) => {
  if (deps.downloadLinks === undefined) throw new PortNotConfiguredError('DownloadLinks');
  const download = await getAttachmentDownload(
    { ...deps, downloadLinks: deps.downloadLinks },
    identity,
    caseId,
    params['attachmentId'] ?? '',
    { route },
  );
  return json(200, download, { 'cache-control': 'no-store' });
};

const letterMailedRoute: Route = async (deps, { identity, caseId, params, event, route }) => {
  const body = parseRequest(MailedBodySchema, readJsonBody(event));
  const result = await recordLetterMailed(
    deps,
    identity,
    { ...body, caseId, letterId: params['letterId'] ?? '' },
    { ...idempotencyOptions(event), route },
  );
  return commandResult(result);
};

/** `<letterId>.pdf`, the last segment of a letter's PDF path. */
const LETTER_FILE = /^([0-9a-f-]{36})\.pdf$/;

/** The handler of each declared route (`STAFF_API_ROUTES`): the type makes every route have one. */
const ROUTES: Readonly<Record<StaffRouteId, Route>> = {
  'cases.list': listRoute,
  'cases.get': getRoute,
  ...(Object.fromEntries(
    Object.entries(COMMANDS).map(([command, route]) => [`cases.${command}`, route]),
  ) as Record<`cases.${CaseCommand}`, Route>),
  'letters.list': lettersRoute,
  'letters.pdf': letterPdfRoute,
  'letters.mailed': letterMailedRoute,
  'attachments.get': attachmentRoute,
  intake: intakeRoute,
};

/**
 * The staff HTTP API (API Gateway HTTP API v2, JWT authorizer):
 * - `GET /api/staff/cases?q=&status=&sort=&order=&limit=&cursor=&assignee=&unit=&overdue=true&toMail=true` →
 *   200 `{cases: [...], nextCursor?}`: open or closed cases, found by reference, name, email or subject words,
 *   sorted and paged (see `findCases` and `docs/case-search.md`).
 * - `GET /api/staff/cases/{caseId}` → 200 `{case: {...}}`. Under `/api/staff/cases/`, `{caseId}` may be the
 *   case's reference (`SCT-2026-000123`, any letter case), resolved once by `resolveCaseKey`.
 * - `POST /api/staff/cases/{caseId}/acknowledge|answer|extend|reassign|recategorize|close|dissatisfied` → 201
 *   with the command's result (200 when an identical retry replayed it); optional `Idempotency-Key` header.
 * - `POST /api/staff/cases/{caseId}/note {text}` → 201 `{caseId, replayed, seq, notedAt}`: an internal note
 *   (never sent; shown with the case's content), in any status.
 * - `POST /api/staff/cases/{caseId}/requester-reached {channel, reachedAt, messageIds?, note?}` → 201
 *   `{caseId, replayed, seq, channel, reachedAt, messageIds, undeliveredMessages}`: the requester was reached
 *   another way; the undelivered messages named (or all) stop being a task (see `recordRequesterReached`).
 * - `GET /api/staff/cases/{caseId}/letters` → 200 `{letters: [{letterId, template, language, createdAt,
 *   mailedOn?, mailedAt?, pdf}], today}`: the letters to post to a requester without email (content readers
 *   only), and today's date in Québec by the server's clock (the latest mailing date accepted);
 *   `GET …/letters/{letterId}.pdf` → the PDF (`application/pdf`);
 *   `POST …/letters/{letterId}/mailed {mailedOn}` → 201 (200 replayed): the letter was posted that day.
 * - `GET /api/staff/cases/{caseId}/attachments/{attachmentId}` → 200 `{url, expiresAt, filename, contentType,
 *   size}` (`cache-control: no-store`): a download link valid 60 s (content readers only; a complaint's
 *   download is recorded first, see `getAttachmentDownload`); 404 `ATTACHMENT_NOT_FOUND` for an unknown id.
 * - `POST /api/staff/cases/{caseId}/restart-enforcement {reason}` (admin) → 201 `{caseId, generation, …}`:
 *   restarts the deadline enforcement of a case whose workflow failed (see `restartEnforcement`).
 * - `POST /api/staff/intake` → 201 `{caseId, reference, receivedAt, registeredAt, acknowledgementDueDate, …}`
 *   for a letter, call, visit or email staff received (200 when the same key replays it; only
 *   `{caseId, reference}` when the registrant may not read the case, e.g. an agent registering a complaint);
 *   `Idempotency-Key` header required.
 * - The holding pen's routes (`/api/staff/holding…`) are the holding-api function's.
 *
 * A body over 1 MiB (`MAX_BODY_BYTES`, after base64 decoding) is refused with 413 before it is decoded or
 * parsed. Identity comes from the verified JWT claims only (401 without). Bodies and queries are parsed with zod (400,
 * field by field, in French or in English per `Accept-Language`). Every rule lives in the use cases; errors
 * become responses in one place (`toErrorResponse`): domain errors 4xx, anything else a 500 without internals.
 */
export function makeHandler(deps: StaffApiDeps): (event: Event) => Promise<Result> {
  return jwtApiHandler(STAFF_API_ROUTES, deps, async (request) => {
    // A case route takes the case's id or its reference: one lookup here, then the id path as before.
    const named = request.params['caseId'];
    const caseId = named === undefined ? '' : await resolveCaseKey(named, deps.search);
    return ROUTES[request.route.id](deps, {
      identity: request.identity,
      caseId,
      params: request.params,
      event: request.event,
      language: request.language,
      route: request.routeName,
    });
  });
}

/**
 * The `Idempotency-Key` of a staff intake, which is required: a letter or a call has no natural identifier,
 * and a key derived from the content would merge two genuinely identical requests, so only the client's key
 * (generated when the intake form opens, resent on every retry) tells a retry from a new request.
 *
 * @throws InvalidRequestError when absent or malformed
 */
function requiredIdempotencyKey(event: Event): string {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined || key === '') {
    throw new InvalidRequestError([
      {
        path: 'headers.idempotency-key',
        fr: 'est obligatoire pour enregistrer une demande : générez une clé (un UUID) à l’ouverture du formulaire et renvoyez la même à chaque nouvel essai',
        en: 'is required to register a request: generate a key (a UUID) when the form opens and send the same one on every retry',
      },
    ]);
  }
  return parseRequest(IdempotencyKeyHeaderSchema, key, ['headers', 'idempotency-key']);
}

/** The client's `Idempotency-Key`, when sent. @throws InvalidRequestError when malformed */
function idempotencyOptions(event: Event): CommandOptions {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined) return {};
  return { idempotencyKey: parseRequest(IdempotencyKeyHeaderSchema, key, ['headers', 'idempotency-key']) };
}
