import * as z from '../zod-mini';

/**
 * Environment of the Lambdas, validated once at cold start (fail fast, no defaults for names): a missing or
 * malformed variable stops the function with a message naming it.
 */
export const TablesEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  CONTROL_TABLE_NAME: z.string().check(z.minLength(3)),
});

/**
 * The domain SES receives intake mail for (`INTAKE_MAIL_DOMAIN`): the per-case reply addresses are on it, so
 * every function that mails a requester needs it.
 */
export const IntakeMailDomainSchema = z.pipe(
  z
    .string()
    .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i)),
  z.transform((domain) => domain.toLowerCase()),
);

/**
 * What a Lambda behind a CloudFront API origin reads to check the origin-verify header
 * (`shared/http/origin-verify.ts`): the secret CloudFront sends, read through the secrets extension.
 */
export const OriginVerifyEnvSchema = z.object({
  /** The Secrets Manager secret CloudFront's origin-verify header carries (read through the secrets extension). */
  ORIGIN_VERIFY_SECRET_ARN: z.string().check(z.startsWith('arn:')),
  /** The port CDK configures the secrets extension layer on (its default, 2773, when absent). */
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: z.optional(
    z.coerce.number().check(z.int(), z.gte(1), z.lte(65_535)),
  ),
});
export type OriginVerifyEnv = z.infer<typeof OriginVerifyEnvSchema>;

/** What the Lambda runtime sets, not the stack: the secrets extension only answers a caller presenting it. */
export const LambdaSessionEnvSchema = z.object({ AWS_SESSION_TOKEN: z.string().check(z.minLength(1)) });

export const WorkflowTasksEnvSchema = z.extend(TablesEnvSchema, {
  /** Verified SES identity the messages are sent from. */
  SENDER_ADDRESS: z.string().check(z.minLength(3)),
  /** ARN of the case-lifecycle state machine (to continue a long case as a new execution). */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /**
   * The staff directory table (`docs/staff-directory.md`): the groups' notification addresses, and the staff
   * members, whose own address gets the reminders of the cases assigned to them.
   */
  STAFF_TABLE_NAME: z.string().check(z.minLength(3)),
  /** Base URL of the staff pages, for links in notifications. */
  STAFF_BASE_URL: z.url(),
  /** The intake mail domain: the Reply-To of a message to the requester is the case's address on it. */
  INTAKE_MAIL_DOMAIN: IntakeMailDomainSchema,
  /** Policy of the organization (bundled policy file id). */
  POLICY_ID: z.literal('sct'),
  /** Optional SES configuration set for delivery events. */
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /**
   * Bucket of the letters (`docs/letters.md`): the workflow prepares the automatic acknowledgement of a
   * requester without email as a letter there. Required, so a deployment without it fails at cold start
   * instead of falling back to a message to the director.
   */
  LETTERS_BUCKET_NAME: z.string().check(z.minLength(3)),
});
export type WorkflowTasksEnv = z.infer<typeof WorkflowTasksEnvSchema>;

/** The re-planning function: it reads and appends to the ledger of every case; it sends nothing. */
export const ReplanEnvSchema = z.extend(
  z.pick(TablesEnvSchema, {
    CASES_TABLE_NAME: true,
    LEDGER_TABLE_NAME: true,
  }),
  {
    /** Policy of the organization (bundled policy file id): its working hours. */
    POLICY_ID: z.literal('sct'),
    /** ARN of the case-lifecycle state machine (to wake a case's workflow when a deadline moved earlier). */
    STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  },
);
export type ReplanEnv = z.infer<typeof ReplanEnvSchema>;

/** Parses the environment or throws one error that names every bad variable (never their values). */
export function parseEnv<T extends z.core.$ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  // Parsed once per container: zod's compiled fast path would cost more to generate than it saves.
  const result = z.safeParse(schema, env, { jitless: true });
  if (!result.success) {
    const names = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${names}`);
  }
  return result.data;
}

/** The mail-events function: it reads a case's ledger and appends what SES reported; it sends nothing. */
export const MailEventsEnvSchema = z.pick(TablesEnvSchema, {
  CASES_TABLE_NAME: true,
  LEDGER_TABLE_NAME: true,
});
export type MailEventsEnv = z.infer<typeof MailEventsEnvSchema>;
