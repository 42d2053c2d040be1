import * as z from 'zod';

/** Environment of the audit API Lambda, read once at cold start; no defaults for names. */
export const AuditApiEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().min(3),
  LEDGER_TABLE_NAME: z.string().min(3),
  /** The case-lifecycle state machine whose executions (named after the case id) the timeline reads. */
  STATE_MACHINE_ARN: z.string().startsWith('arn:'),
});
export type AuditApiEnv = z.infer<typeof AuditApiEnvSchema>;
