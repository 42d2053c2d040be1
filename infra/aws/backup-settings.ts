import type { Node } from 'constructs';
import { InvalidDeploymentContextError, type Stage } from './deployment-context';
import { readStageBlock, stageBlockKey } from './service-context';

/**
 * How long AWS Backup keeps the tables' recovery points, read like the service settings: `-c key=…` first,
 * then the stage's block of `cdk.json` (`"jalon:prod": { "backupDailyRetentionDays": 35 }`), then the default.
 * Every stage has defaults, so a bare synth needs neither.
 */
export interface BackupSettings {
  /** Days a daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /** Days a monthly recovery point (the 1st of each month) is kept. */
  readonly monthlyRetentionDays: number;
}

export const BACKUP_SETTING_KEYS = {
  dailyRetentionDays: 'backupDailyRetentionDays',
  monthlyRetentionDays: 'backupMonthlyRetentionDays',
} as const;

/**
 * Daily points for the 35 days point-in-time recovery also covers, but outside the table (they survive its
 * deletion and are encrypted with the vault's key); monthly ones for a year, for damage noticed late (an
 * annual report, a complaint about an old case).
 */
export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { dailyRetentionDays: 35, monthlyRetentionDays: 365 };

/** Ten years: the longest retention accepted, so a typo of a few digits is caught here. */
const MAX_RETENTION_DAYS = 3650;

function parseDays(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  // `-c key=35` gives a string; cdk.json gives a number.
  const days = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS) {
    return days;
  }
  throw new InvalidDeploymentContextError(
    `Invalid context '${key}': ${JSON.stringify(value)}. Expected a whole number of days from 1 to ` +
      `${MAX_RETENTION_DAYS} (e.g. -c ${key}=${DEFAULT_BACKUP_SETTINGS.dailyRetentionDays}).`,
  );
}

/**
 * Reads and validates the backup retention of a stage.
 *
 * @throws InvalidDeploymentContextError naming the key, when a value is not a whole number of days in range
 *   or the monthly retention is shorter than the daily one.
 */
export function readBackupSettings(node: Node, stage: Stage): BackupSettings {
  const block = readStageBlock(node, stage);
  const read = (key: string): unknown => node.tryGetContext(key) ?? block[key];
  const dailyRetentionDays = parseDays(
    BACKUP_SETTING_KEYS.dailyRetentionDays,
    read(BACKUP_SETTING_KEYS.dailyRetentionDays),
    DEFAULT_BACKUP_SETTINGS.dailyRetentionDays,
  );
  const monthlyRetentionDays = parseDays(
    BACKUP_SETTING_KEYS.monthlyRetentionDays,
    read(BACKUP_SETTING_KEYS.monthlyRetentionDays),
    DEFAULT_BACKUP_SETTINGS.monthlyRetentionDays,
  );
  if (monthlyRetentionDays < dailyRetentionDays) {
    throw new InvalidDeploymentContextError(
      `Invalid context '${BACKUP_SETTING_KEYS.monthlyRetentionDays}': ${monthlyRetentionDays} days is shorter ` +
        `than '${BACKUP_SETTING_KEYS.dailyRetentionDays}' (${dailyRetentionDays}) for the ${stage} stage ` +
        `('${stageBlockKey(stage)}'); a monthly point must outlive the daily ones.`,
    );
  }
  return { dailyRetentionDays, monthlyRetentionDays };
}
