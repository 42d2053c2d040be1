import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The case-lifecycle state machine: one ASL file, deployed by CDK and run locally by the same code. */
export const CASE_LIFECYCLE_ASL_PATH = path.join(__dirname, 'case-lifecycle.asl.json');

/**
 * Every `${Name}` placeholder of the ASL file. CDK passes one definition substitution per name (each paired
 * with its IAM grant); the local engine replaces them with local ARNs. A test checks both directions.
 */
export const CASE_LIFECYCLE_SUBSTITUTIONS = ['WorkflowTasksFunctionArn'] as const;
export type CaseLifecycleSubstitution = (typeof CASE_LIFECYCLE_SUBSTITUTIONS)[number];

export function readCaseLifecycleDefinition(): string {
  return readFileSync(CASE_LIFECYCLE_ASL_PATH, 'utf8');
}

/** The report-replay state machine (`docs/service-statement-report.md`, "The full replay"). */
export const REPORT_REPLAY_ASL_PATH = path.join(__dirname, 'report-replay.asl.json');

/** Every `${Name}` placeholder of the report-replay ASL file (one CDK substitution each). */
export const REPORT_REPLAY_SUBSTITUTIONS = ['ReportReplayFunctionArn'] as const;

export function readReportReplayDefinition(): string {
  return readFileSync(REPORT_REPLAY_ASL_PATH, 'utf8');
}

/** The ledger verification job (`docs/ledger-verification.md`). */
export const LEDGER_VERIFICATION_ASL_PATH = path.join(__dirname, 'ledger-verification.asl.json');

/** Every `${Name}` placeholder of the ledger-verification ASL file (one CDK substitution each). */
export const LEDGER_VERIFICATION_SUBSTITUTIONS = ['LedgerVerificationFunctionArn'] as const;

export function readLedgerVerificationDefinition(): string {
  return readFileSync(LEDGER_VERIFICATION_ASL_PATH, 'utf8');
}

/** The ledger mirror back-fill (`docs/ledger-mirror.md`, "Back-fill"). */
export const LEDGER_MIRROR_BACKFILL_ASL_PATH = path.join(__dirname, 'ledger-mirror-backfill.asl.json');

/** Every `${Name}` placeholder of the ledger-mirror-backfill ASL file (one CDK substitution each). */
export const LEDGER_MIRROR_BACKFILL_SUBSTITUTIONS = ['LedgerMirrorBackfillFunctionArn'] as const;

export function readLedgerMirrorBackfillDefinition(): string {
  return readFileSync(LEDGER_MIRROR_BACKFILL_ASL_PATH, 'utf8');
}
