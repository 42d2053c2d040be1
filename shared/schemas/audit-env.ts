import * as z from '../zod-mini';

/*
 * Environments of the functions behind the audit side (the report and the ledger's jobs), read once at cold
 * start; no defaults for names. Apart from `audit-api.ts` (which re-exports them) so that these functions'
 * bundles do not build the audit API's schemas (`docs/cold-start.md`).
 */

/** Environment of the report-aggregates Lambda (the ledger stream's consumer). */
export const ReportAggregatesEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  REPORTS_TABLE_NAME: z.string().check(z.minLength(3)),
});
export type ReportAggregatesEnv = z.infer<typeof ReportAggregatesEnvSchema>;

/** Environment of the report-replay Lambda (the replay state machine's steps): the same tables. */
export const ReportReplayEnvSchema = ReportAggregatesEnvSchema;
export type ReportReplayEnv = ReportAggregatesEnv;

/**
 * Environment of the report-replay-start Lambda (the deployment's trigger and the failure queue's consumer):
 * the machine it starts.
 */
export const ReportReplayStartEnvSchema = z.object({
  REPORT_REPLAY_STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
});
export type ReportReplayStartEnv = z.infer<typeof ReportReplayStartEnvSchema>;

/** Environment of the ledger-verification step Lambda: the tables it reads and writes, the mirror, the key. */
export const LedgerVerificationEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The verification runs are stored in the reports table. */
  REPORTS_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The WORM mirror of the ledger (`ledger/v1/…`) and the signed digests (`digests/…`). */
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
  /** The KMS asymmetric key whose public half checks the digests' signatures. */
  LEDGER_DIGEST_KEY_ID: z.string().check(z.minLength(1)),
});
export type LedgerVerificationEnv = z.infer<typeof LedgerVerificationEnvSchema>;

/** Environment of the ledger mirror back-fill's step Lambda (`docs/ledger-mirror.md`, "Back-fill"). */
export const LedgerMirrorBackfillEnvSchema = z.object({
  /** Read only: the cases' pages, their item keys, each item. */
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The back-fill runs are stored in the reports table. */
  REPORTS_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The WORM mirror: events under `ledger/v1/`, tamper records under `ledger-conflicts/v1/`, `executions/v1/`. */
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
  /** The case-lifecycle state machine whose closed executions are archived. */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
});
export type LedgerMirrorBackfillEnv = z.infer<typeof LedgerMirrorBackfillEnvSchema>;

/** Environment of the daily ledger-digest Lambda: the cases' heads, the mirror bucket, the signing key. */
export const LedgerDigestEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
  LEDGER_DIGEST_KEY_ID: z.string().check(z.minLength(1)),
});
export type LedgerDigestEnv = z.infer<typeof LedgerDigestEnvSchema>;
