import * as z from 'zod';

import { LocalDateSchema } from '../domain/time/types';

/** Environment of the audit API Lambda, read once at cold start; no defaults for names. */
export const AuditApiEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().min(3),
  LEDGER_TABLE_NAME: z.string().min(3),
  /** The case-lifecycle state machine whose executions (named after the case id) the timeline reads. */
  STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  /** The access journal's records (list views of confidential cases) live in the control table. */
  CONTROL_TABLE_NAME: z.string().min(3),
});
export type AuditApiEnv = z.infer<typeof AuditApiEnvSchema>;

/** Environment of the report-aggregates Lambda (the ledger stream's consumer). */
export const ReportAggregatesEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().min(3),
  LEDGER_TABLE_NAME: z.string().min(3),
  REPORTS_TABLE_NAME: z.string().min(3),
});
export type ReportAggregatesEnv = z.infer<typeof ReportAggregatesEnvSchema>;

/** The query of `GET /api/audit/access/list-views`: one Québec-local day. */
export const ListViewsQuerySchema = z.strictObject({ day: LocalDateSchema });

/**
 * The options of `GET /api/audit/reports/service-statement` (the period, `from` and `to`, is checked by
 * `checkReportPeriod`): `format` (`json` by default) and the CSV's language `lang`.
 */
export const ReportQuerySchema = z.strictObject({
  format: z.enum(['json', 'csv']).optional(),
  lang: z.enum(['fr', 'en']).optional(),
});
