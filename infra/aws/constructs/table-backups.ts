import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { BackupSettings } from '../backup-settings';
import type { Stage } from '../deployment-context';
import { acknowledgeBackupServiceRole } from '../nag-acknowledgements';

export interface TableBackupsProps {
  readonly stage: Stage;
  /** Every table of the stage. */
  readonly tables: readonly dynamodb.ITable[];
  /** The key the tables are encrypted with: the backup role reads through it. */
  readonly dataKey: kms.IKey;
  readonly settings: BackupSettings;
  /** Outside dev: the vault and its key survive a stack deletion and recovery points cannot be deleted by hand. */
  readonly retain: boolean;
}

/**
 * AWS Backup of every table: a vault encrypted with a key of its own, a plan with a daily rule (06:00 UTC,
 * 01:00 or 02:00 in Québec) and a monthly one (the 1st, 07:00 UTC), kept as long as the deployment settings
 * say (`backup-settings.ts`), and a selection of the tables by ARN. Outside dev the vault refuses
 * `DeleteRecoveryPoint` to every principal: recovery points expire by their lifecycle only.
 *
 * A backup outlives the table and point-in-time recovery (whose 35 days end with the table), so it is the
 * way back from a deleted or overwritten table; it is not evidence (a restore makes a new table).
 */
export class TableBackups extends Construct {
  public readonly vault: backup.BackupVault;
  public readonly plan: backup.BackupPlan;
  /** Encrypts the vault's recovery points (DynamoDB's with AWS Backup's advanced features enabled). */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TableBackupsProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/jalon-${props.stage}-backup`,
      description: `Jalon ${props.stage}: encrypts the recovery points of the tables in the backup vault.`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: props.retain ? Duration.days(30) : Duration.days(7),
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `jalon-${props.stage}-tables`,
      encryptionKey: this.key,
      blockRecoveryPointDeletion: props.retain,
      removalPolicy,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `jalon-${props.stage}-tables`,
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '6' }),
          deleteAfter: Duration.days(props.settings.dailyRetentionDays),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '7', day: '1' }),
          deleteAfter: Duration.days(props.settings.monthlyRetentionDays),
        }),
      ],
    });
    const selection = this.plan.addSelection('Tables', {
      backupSelectionName: `jalon-${props.stage}-tables`,
      resources: props.tables.map((table) => backup.BackupResource.fromDynamoDbTable(table)),
      allowRestores: false,
    });
    // The tables are encrypted with the data key: a backup of them reads through it.
    props.dataKey.grant(selection, 'kms:Decrypt', 'kms:DescribeKey');
    this.key.grant(selection, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
    acknowledgeBackupServiceRole(selection);
  }
}
