import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import {
  TABLE_DEFINITIONS,
  tableName,
  type TableDefinition,
} from '../../../shared/adapters/dynamodb/table-definitions';
import { LedgerTables, pascalCaseId, type TableId } from '../constructs/ledger-tables';
import { retainsData, type Stage } from '../deployment-context';

export interface DataStackProps extends StackProps {
  readonly stage: Stage;
}

/**
 * The stateful part of Jalon: the DynamoDB tables and the KMS key that encrypts them. Kept apart from the
 * workflow and API stacks so those can be replaced freely while this one changes rarely and, outside dev,
 * is never deleted with its data.
 */
export class DataStack extends Stack {
  /** Customer-managed key for every table of the stage; later stacks get decrypt rights via table grants. */
  public readonly dataKey: kms.Key;
  /** Every table, by definition id (`cases`, `ledger`, `control`). */
  public readonly tables: Readonly<Record<TableId, dynamodb.Table>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const retainData = retainsData(props.stage);
    const tableIds = TABLE_DEFINITIONS.map((definition) => definition.id).join(', ');

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/jalon-${props.stage}-data`,
      description: `Jalon ${props.stage}: encrypts the ${tableIds} tables (case content is personal information).`,
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

    for (const definition of TABLE_DEFINITIONS) {
      const table = this.tables[definition.id];
      new CfnOutput(this, `${pascalCaseId(definition)}TableName`, {
        description: definition.description,
        value: table.tableName,
      });
    }
    new CfnOutput(this, 'DataKeyArn', { value: this.dataKey.keyArn });
  }
}
