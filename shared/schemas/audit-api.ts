import * as z from '../zod-mini';

import { CalendarIdSchema, LocalDateSchema, RealLocalDateSchema } from '../domain/time/types';
import { OriginVerifyEnvSchema } from './env';

// The background functions' environments live apart, so that their bundles do not build the API's schemas.
export {
  LedgerDigestEnvSchema,
  LedgerMirrorBackfillEnvSchema,
  LedgerVerificationEnvSchema,
  ReportAggregatesEnvSchema,
  ReportReplayEnvSchema,
  ReportReplayStartEnvSchema,
  type LedgerDigestEnv,
  type LedgerMirrorBackfillEnv,
  type LedgerVerificationEnv,
  type ReportAggregatesEnv,
  type ReportReplayEnv,
  type ReportReplayStartEnv,
} from './audit-env';

/** Environment of the audit API Lambda, read once at cold start; no defaults for names. */
export const AuditApiEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The case-lifecycle state machine whose executions (named after the case id) the timeline reads. */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /** The access journal's records (list views of confidential cases) live in the control table. */
  CONTROL_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The staff directory table (`docs/staff-directory.md`): the staff's display names in timelines. */
  STAFF_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The report aggregates and the replay results (`docs/service-statement-report.md`). */
  REPORTS_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The report-replay state machine, which `POST /api/audit/reports/replay` starts. */
  REPORT_REPLAY_STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /**
   * The ledger-verification state machine, which `POST /api/audit/ledger/verifications` starts; without it
   * those routes answer 500 `PORT_NOT_CONFIGURED` (a stack deployed before the job existed).
   */
  LEDGER_VERIFICATION_STATE_MACHINE_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** The ledger mirror bucket: the timeline reads the executions archived under `executions/v1/`. */
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
  /** The secret the staff distribution's origin-verify header carries, and the secrets extension's port. */
  ...OriginVerifyEnvSchema.shape,
});
export type AuditApiEnv = z.infer<typeof AuditApiEnvSchema>;

/** The query of `GET /api/audit/access/list-views`: one Québec-local day. */
export const ListViewsQuerySchema = z.strictObject({ day: LocalDateSchema });

/**
 * The options of `GET /api/audit/reports/service-statement` (the period, `from` and `to`, is checked by
 * `checkReportPeriod`): `format` (`json` by default) and the CSV's language `lang`.
 */
export const ReportQuerySchema = z.strictObject({
  format: z.optional(z.enum(['json', 'csv'])),
  lang: z.optional(z.enum(['fr', 'en'])),
});

/** A delay of the what-if, in business days. */
const WhatIfDaysSchema = z.number().check(z.int(), z.gte(1), z.lte(100));

/** What may change in one category's policy (`POST /api/audit/what-if`); at least one field. */
export const WhatIfCategoryChangeSchema = z
  .strictObject({
    acknowledgementDays: z.optional(WhatIfDaysSchema),
    answerDays: z.optional(WhatIfDaysSchema),
    automaticAcknowledgement: z.optional(z.boolean()),
    calendar: z.optional(
      z.strictObject({
        id: z.optional(CalendarIdSchema),
        version: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
        addClosures: z.optional(z.array(RealLocalDateSchema).check(z.maxLength(60))),
      }),
    ),
  })
  .check(
    z.refine((change) => Object.keys(change).length > 0, {
      message: 'must change at least one thing',
      params: { fr: 'doit changer au moins une chose' },
    }),
  );

/**
 * `cases` in the body of `POST /api/audit/what-if`: one page of one of its lists (a list's `next`, `previous`,
 * or a changed figure's `first`, sent back as it came); the values are checked by `whatIfCases`.
 */
export const WhatIfCasesBodySchema = z.strictObject({
  list: z.string().check(z.maxLength(64)),
  indicator: z.optional(z.string().check(z.maxLength(64))),
  category: z.optional(z.string().check(z.maxLength(64))),
  channel: z.optional(z.string().check(z.maxLength(32))),
  page: z.optional(z.number().check(z.int(), z.gte(1))),
  asOf: z.optional(z.string().check(z.maxLength(40))),
});

/**
 * The body of `POST /api/audit/what-if`: the period (checked by `checkReportPeriod`) and the changes by
 * category id (checked against the policy by `whatIfReport`), at least one, at most one per category; the
 * references per page of its lists (`pageSize`, 1–500, 100 by default), and `cases` for one page of one list.
 */
export const WhatIfBodySchema = z.strictObject({
  from: z.unknown(),
  to: z.unknown(),
  changes: z.record(z.string().check(z.maxLength(64)), WhatIfCategoryChangeSchema).check(
    z.refine((changes) => Object.keys(changes).length > 0, {
      message: 'must change at least one category',
      params: { fr: 'doit modifier au moins une catégorie' },
    }),
  ),
  pageSize: z.optional(z.number().check(z.int(), z.gte(1), z.lte(500))),
  cases: z.optional(WhatIfCasesBodySchema),
});
export type WhatIfBody = z.infer<typeof WhatIfBodySchema>;
