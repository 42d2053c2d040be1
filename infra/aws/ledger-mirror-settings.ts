import type { Node } from 'constructs';
import { InvalidDeploymentContextError, type Stage } from './deployment-context';
import { readStageBlock } from './service-context';

/** The deployment setting of the ledger mirror's default Object Lock retention, in whole years. */
export const LEDGER_MIRROR_RETENTION_KEY = 'ledgerMirrorRetentionYears';

/**
 * Ten years: the span the ledger must be provable over (issue 14 §1: ten years of cases). In compliance mode no
 * one, the account's root included, can shorten it or delete an object before it ends.
 */
export const DEFAULT_LEDGER_MIRROR_RETENTION_YEARS = 10;

/** S3 refuses a default retention over 100 years. */
const MAX_RETENTION_YEARS = 100;

/**
 * Reads the mirror's retention of a stage like the other deployment settings: `-c ledgerMirrorRetentionYears=…`
 * first, then the stage's block of `cdk.json` (`"jalon:dev": { "ledgerMirrorRetentionYears": 1 }`), then the
 * default.
 *
 * @throws InvalidDeploymentContextError naming the key, when the value is not a whole number of years from 1
 *   to 100.
 */
export function readLedgerMirrorRetentionYears(node: Node, stage: Stage): number {
  const value: unknown =
    node.tryGetContext(LEDGER_MIRROR_RETENTION_KEY) ??
    readStageBlock(node, stage)[LEDGER_MIRROR_RETENTION_KEY];
  if (value === undefined) return DEFAULT_LEDGER_MIRROR_RETENTION_YEARS;
  // `-c key=10` gives a string; cdk.json gives a number.
  const years = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof years === 'number' && Number.isInteger(years) && years >= 1 && years <= MAX_RETENTION_YEARS) {
    return years;
  }
  throw new InvalidDeploymentContextError(
    `Invalid context '${LEDGER_MIRROR_RETENTION_KEY}': ${JSON.stringify(value)}. Expected a whole number of ` +
      `years from 1 to ${MAX_RETENTION_YEARS} (e.g. -c ${LEDGER_MIRROR_RETENTION_KEY}=` +
      `${DEFAULT_LEDGER_MIRROR_RETENTION_YEARS}).`,
  );
}
