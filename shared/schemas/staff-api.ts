import * as z from '../zod-mini';

import {
  AcknowledgeInputSchema,
  AnswerInputSchema,
  CloseInputSchema,
  DissatisfiedInputSchema,
  ExtendInputSchema,
  NoteInputSchema,
  ReassignInputSchema,
  RecategorizeInputSchema,
  RequesterReachedInputSchema,
} from '../domain/case/commands/inputs';
import { RECEIVED_AT_FORMAT_MESSAGE, StaffIntakeInputSchema } from '../domain/case/commands/intake';
import { RestartEnforcementInputSchema } from '../domain/case/commands/restart-enforcement';
import { MailedInputSchema } from '../domain/case/commands/letters';
import { MAX_CASE_PAGE } from '../domain/case/commands/find-cases';
import { StaffIdSchema, UnitIdSchema } from '../domain/case/case';
import { describeIssue } from '../domain/policy/messages';
import { InvalidRequestError } from '../errors';
import { IntakeMailDomainSchema, OriginVerifyEnvSchema } from './env';
import type { RequestIssue } from '../errors';

/** Bodies of `POST /api/staff/cases/{caseId}/<command>`: the command input without the case id (from the path). */
export const AcknowledgeBodySchema = z.omit(AcknowledgeInputSchema, { caseId: true });
export const AnswerBodySchema = z.omit(AnswerInputSchema, { caseId: true });
export const ExtendBodySchema = z.omit(ExtendInputSchema, { caseId: true });
export const ReassignBodySchema = z.omit(ReassignInputSchema, { caseId: true });
export const RecategorizeBodySchema = z.omit(RecategorizeInputSchema, { caseId: true });
export const CloseBodySchema = z.omit(CloseInputSchema, { caseId: true });
export const DissatisfiedBodySchema = z.omit(DissatisfiedInputSchema, { caseId: true });
/** Body of `POST /api/staff/cases/{caseId}/note`: the internal note's text. */
export const NoteBodySchema = z.omit(NoteInputSchema, { caseId: true });
/**
 * Body of `POST /api/staff/cases/{caseId}/requester-reached`: how and when the requester was reached, the
 * undelivered messages settled (all when absent) and an optional note.
 */
export const RequesterReachedBodySchema = z.omit(RequesterReachedInputSchema, { caseId: true });
export const RestartEnforcementBodySchema = z.omit(RestartEnforcementInputSchema, { caseId: true });
/** Body of `POST /api/staff/cases/{caseId}/letters/{letterId}/mailed`: the local date the letter was posted. */
export const MailedBodySchema = z.omit(MailedInputSchema, { caseId: true, letterId: true });

/**
 * Body of `POST /api/staff/intake`: a request staff received by mail, phone, in person or in their own mailbox
 * (channel, category, requester, subject, body, `receivedAt`, `evidence`, optional `confirmLateEntry`).
 */
export const StaffIntakeBodySchema = StaffIntakeInputSchema;
export type StaffIntakeBody = z.output<typeof StaffIntakeBodySchema>;

/** Query of `GET /api/staff/cases`: every filter optional; `overdue=true` keeps overdue cases only. */
export const ListCasesQuerySchema = z.pipe(
  z.strictObject({
    assignee: z.optional(StaffIdSchema),
    unit: z.optional(UnitIdSchema),
    /** `open` (a list's default), `closed`, `all` (a search's default), or one open status. */
    status: z.optional(
      z.enum(['open', 'closed', 'all', 'received', 'acknowledged', 'answered', 'dissatisfied']),
    ),
    overdue: z.optional(z.enum(['true', 'false'])),
    /** `toMail=true`: only cases with a letter to post. */
    toMail: z.optional(z.enum(['true', 'false'])),
    /** A reference, or words of the requester's name or email or of the subject (see `findCases`). */
    q: z.optional(z.string().check(z.maxLength(200))),
    sort: z.optional(z.enum(['received', 'deadline', 'reference'])),
    order: z.optional(z.enum(['asc', 'desc'])),
    limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_CASE_PAGE))),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  }),
  z.transform(({ overdue, toMail, q, ...filters }) => ({
    ...filters,
    // An empty box is no search.
    ...(q !== undefined && q.trim() !== '' ? { q: q.trim() } : {}),
    ...(overdue !== undefined ? { overdueOnly: overdue === 'true' } : {}),
    ...(toMail !== undefined ? { toMailOnly: toMail === 'true' } : {}),
  })),
);
export type ListCasesQuery = z.output<typeof ListCasesQuerySchema>;

/** The `Idempotency-Key` header: 1 to 255 visible ASCII characters (a UUID in practice). */
export const IdempotencyKeyHeaderSchema = z.string().check(
  z.refine((key) => /^[\x21-\x7e]{1,255}$/.test(key), {
    message: 'must be 1 to 255 visible ASCII characters',
    params: { fr: 'doit contenir de 1 à 255 caractères ASCII visibles' },
  }),
);

/** Environment of the staff API Lambda, read once at cold start; no defaults for names. */
export const StaffApiEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** Holds the yearly reference counters that staff intake allocates from. */
  CONTROL_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The case-lifecycle state machine a staff-entered case starts (execution name = case id). */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /** Verified SES identity citizen messages are sent from. */
  SENDER_ADDRESS: z.string().check(z.minLength(3)),
  /** The intake mail domain: the Reply-To of a message to the requester is the case's address on it. */
  INTAKE_MAIL_DOMAIN: IntakeMailDomainSchema,
  /** Optional SES configuration set for delivery events. */
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** The attachments bucket, which download links read (`GET …/attachments/{attachmentId}`). */
  ATTACHMENTS_BUCKET_NAME: z.string().check(z.minLength(3)),
  /** Bucket of the letters to requesters without email: their PDFs are stored and served from it. */
  LETTERS_BUCKET_NAME: z.string().check(z.minLength(3)),
  /**
   * The staff directory table (`docs/staff-directory.md`): the groups' notification addresses and the staff
   * members a case may be assigned to.
   */
  STAFF_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The secret the staff distribution's origin-verify header carries, and the secrets extension's port. */
  ...OriginVerifyEnvSchema.shape,
});
export type StaffApiEnv = z.infer<typeof StaffApiEnvSchema>;

/** French for the English messages of the shared text schemas (`singleLineText`, `multiLineText`). */
const TEXT_MESSAGES_FR: Readonly<Record<string, string>> = {
  'must be a single line without control characters': 'doit tenir sur une ligne, sans caractère de contrôle',
  'must not be blank': 'ne doit pas être vide',
  'must not contain control characters': 'ne doit pas contenir de caractère de contrôle',
  [RECEIVED_AT_FORMAT_MESSAGE]:
    'doit être un instant ISO 8601 avec son fuseau horaire (ex. 2026-03-02T14:05:00-05:00)',
};

/**
 * One zod issue explained in both languages, with its field path (an unknown-fields issue gives one issue per
 * field). The value given is never repeated.
 */
export function toRequestIssues(
  issue: z.core.$ZodIssue,
  prefix: readonly PropertyKey[] = [],
): RequestIssue[] {
  const paths =
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...prefix, ...issue.path, key])
      : [[...prefix, ...issue.path]];
  const fr = issue.code === 'invalid_format' ? TEXT_MESSAGES_FR[issue.message] : undefined;
  const described = fr !== undefined ? { fr, en: issue.message } : describeIssue(issue);
  return paths.map((path) => ({ path: path.map(String).join('.'), fr: described.fr, en: described.en }));
}

/**
 * Parses a request part with its schema, or throws an `InvalidRequestError` listing every failing field in
 * French and English. `prefix` names where the part comes from (`query`, `headers.idempotency-key`).
 *
 * @throws InvalidRequestError
 */
export function parseRequest<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): z.output<S> {
  // `reportInput` lets the messages tell a missing field from a wrong one; values are never copied out.
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  throw new InvalidRequestError(result.error.issues.flatMap((issue) => toRequestIssues(issue, prefix)));
}
