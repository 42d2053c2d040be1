import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import {
  LEDGER_TABLE,
  TABLE_DEFINITIONS,
  tableName,
  type TableDefinition,
} from '../../../shared/adapters/dynamodb/table-definitions';
import type { BackupSettings } from '../backup-settings';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { EvidenceBucket } from '../constructs/evidence-bucket';
import { LedgerGuard } from '../constructs/ledger-access';
import { LedgerMirrorBucket } from '../constructs/ledger-mirror';
import { LedgerTables, pascalCaseId, type TableId } from '../constructs/ledger-tables';
import { lettersBucketName } from '../constructs/letters-access';
import { TableBackups } from '../constructs/table-backups';
import { retainsData, type Stage } from '../deployment-context';
import { logRetention } from '../observability';

export interface DataStackProps extends StackProps {
  readonly stage: Stage;
  /** How long the tables' backups are kept (`readBackupSettings`). */
  readonly backup: BackupSettings;
  /** Whole years each mirrored ledger event stays locked (`readLedgerMirrorRetentionYears`). */
  readonly ledgerMirrorRetentionYears: number;
}

/**
 * The stateful part of Jalon: the DynamoDB tables, the letters bucket (the PDFs of the letters posted to
 * requesters without email, `docs/letters.md`) and the KMS key that encrypts both. Kept apart from the
 * workflow and API stacks so those can be replaced freely while this one changes rarely and, outside dev,
 * is never deleted with its data.
 *
 * The letters bucket is here, not beside the mail buckets in the email stack, because the workflow (automatic
 * acknowledgement letter) writes to it and the email stack deploys after the workflow stack. It is encrypted
 * with the data key rather than a key of its own: a letter is case content (the same text as the email the
 * case's ledger records), the functions that write letters already use that key for the case tables, and a
 * second key would separate nothing that IAM does not already separate (only the staff API and the workflow
 * tasks may touch `letters/*`).
 *
 * The ledger table refuses updates and deletes of its items to every principal but a break-glass role, and
 * every table is backed up with AWS Backup (`docs/ledger-evidence.md`); every ledger event is copied once into
 * the ledger mirror bucket, locked in compliance mode (`docs/ledger-mirror.md`).
 */
export class DataStack extends Stack {
  /** Customer-managed key for every table of the stage; later stacks get decrypt rights via table grants. */
  public readonly dataKey: kms.Key;
  /** Every table, by definition id (`cases`, `ledger`, `control`). */
  public readonly tables: Readonly<Record<TableId, dynamodb.Table>>;
  /** The PDFs of the letters, under `letters/<caseId>/<letterId>.pdf` (see `lettersBucketOf`). */
  public readonly letters: EvidenceBucket;
  /** Server access logs of the letters bucket. */
  public readonly logBucket: AccessLogBucket;
  /** The ledger table's resource policy and its break-glass role (`docs/ledger-evidence.md`). */
  public readonly ledgerGuard: LedgerGuard;
  /** AWS Backup of every table. */
  public readonly backups: TableBackups;
  /** The WORM copy of every ledger event (`docs/ledger-mirror.md`); the staff API stack's consumer fills it. */
  public readonly ledgerMirror: LedgerMirrorBucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const retainData = retainsData(props.stage);
    const tableIds = TABLE_DEFINITIONS.map((definition) => definition.id).join(', ');

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/jalon-${props.stage}-data`,
      description:
        `Jalon ${props.stage}: encrypts the ${tableIds} tables and the letters bucket ` +
        '(case content is personal information).',
      enableKeyRotation: true,
      // A key scheduled for deletion makes every table it encrypts unreadable: retain it wherever data is.
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: retainData ? Duration.days(30) : Duration.days(7),
    });

    const ledgerTables = new LedgerTables(this, 'Tables', {
      definitions: TABLE_DEFINITIONS,
      tableName: (definition: TableDefinition) => tableName(props.stage, definition),
      encryptionKey: this.dataKey,
      retainData,
    });
    this.tables = ledgerTables.tables;
    this.ledgerGuard = new LedgerGuard(this, 'LedgerGuard', {
      stage: props.stage,
      ledger: this.tables.ledger,
      ledgerTableName: tableName(props.stage, LEDGER_TABLE),
      dataKey: this.dataKey,
      deployerMayDeleteTable: !retainData,
    });
    this.backups = new TableBackups(this, 'Backups', {
      stage: props.stage,
      tables: Object.values(this.tables),
      dataKey: this.dataKey,
      settings: props.backup,
      retain: retainData,
    });

    this.logBucket = new AccessLogBucket(this, 'AccessLogs', {
      expireAfter: Duration.days(logRetention(props.stage)),
      retain: retainData,
    });
    // Evidence of what was posted: never deleted, versions kept; not archived, since staff reprint letters.
    this.letters = new EvidenceBucket(this, 'Letters', {
      bucketName: lettersBucketName(props.stage, this.account, this.region),
      encryptionKey: this.dataKey,
      accessLogsBucket: this.logBucket.bucket,
      accessLogsPrefix: 'letters/',
      retain: retainData,
    });

    this.ledgerMirror = new LedgerMirrorBucket(this, 'LedgerMirror', {
      stage: props.stage,
      retentionYears: props.ledgerMirrorRetentionYears,
      encryptionKey: this.dataKey,
      accessLogsBucket: this.logBucket.bucket,
    });

    for (const definition of TABLE_DEFINITIONS) {
      const table = this.tables[definition.id];
      new CfnOutput(this, `${pascalCaseId(definition)}TableName`, {
        description: definition.description,
        value: table.tableName,
      });
    }
    new CfnOutput(this, 'DataKeyArn', { value: this.dataKey.keyArn });
    new CfnOutput(this, 'LettersBucketName', { value: this.letters.bucket.bucketName });
    new CfnOutput(this, 'LedgerMirrorBucketName', { value: this.ledgerMirror.bucket.bucketName });
  }
}
