import * as z from '../../shared/zod-mini';

import { IntakeMailDomainSchema, TablesEnvSchema } from '../../shared/schemas/env';

/**
 * Environment of the email-intake Lambda (validated once at cold start, no defaults for names). The email
 * stack sets all of them; `HOLDING_TABLE_NAME` names the holding table (`HOLDING_TABLE`).
 */
export const EmailIntakeEnvSchema = z.extend(TablesEnvSchema, {
  HOLDING_TABLE_NAME: z.string().check(z.minLength(3)),
  /** ARN of the case-lifecycle state machine (each new case starts its execution). */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /** Verified SES identity the attachment-refused notices are sent from (also a loop guard). */
  SENDER_ADDRESS: z.string().check(z.minLength(3)),
  /** The bucket SES writes raw mail to: events from any other bucket are refused. */
  RAW_MAIL_BUCKET_NAME: z.string().check(z.minLength(3)),
  ATTACHMENTS_BUCKET_NAME: z.string().check(z.minLength(3)),
  /** The domain SES receives intake mail for; reply addresses are on it. */
  INTAKE_MAIL_DOMAIN: IntakeMailDomainSchema,
  POLICY_ID: z.literal('sct'),
  /** Optional SES configuration set for delivery events. */
  SES_CONFIGURATION_SET: z.optional(z.string()),
});
export type EmailIntakeEnv = z.infer<typeof EmailIntakeEnvSchema>;
