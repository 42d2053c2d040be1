import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type {
  KeyDefinition,
  KeyType,
  TableDefinition,
} from '../../../shared/adapters/dynamodb/table-definitions';

export type TableId = TableDefinition['id'];

export interface LedgerTablesProps {
  /** The tables to create, normally `TABLE_DEFINITIONS` (the same list the local bootstrap uses). */
  readonly definitions: readonly TableDefinition[];
  /** Physical name of each table, normally `tableName(stage, definition)`. */
  readonly tableName: (definition: TableDefinition) => string;
  /** Customer-managed key for server-side encryption of every table. */
  readonly encryptionKey: kms.IKey;
  /**
   * When true (every stage but dev) the tables survive a stack deletion and refuse `DeleteTable`: the ledger
   * is the legal record of every case, so losing it must take two deliberate steps.
   */
  readonly retainData: boolean;
}

const ATTRIBUTE_TYPES: Readonly<Record<KeyType, dynamodb.AttributeType>> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

function attribute(key: KeyDefinition): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/** `cases` → `Cases`: the stem of construct and output ids, PascalCase and stable so logical ids never move. */
export function pascalCaseId(definition: TableDefinition): string {
  return `${definition.id.charAt(0).toUpperCase()}${definition.id.slice(1)}`;
}

/**
 * The ledger and its companions (case projections, control records), built from the shared table
 * definitions so that the keys and indexes here are exactly those the local emulator bootstrap creates.
 * Nothing about a key or an index is restated in this file.
 *
 * Every table: on-demand billing (the load is a trickle of mail with bursts), point-in-time recovery (the
 * only way back from a bad write to an append-only record), encryption with the given customer-managed key,
 * and GSIs projecting ALL attributes because the adapters read whole case projections from them.
 *
 * `Table`, not `TableV2`: TableV2 with a customer-managed key cannot render its replica SSE specification in
 * a region-agnostic stack (`ReplicaSpecificationCannotRenderedRegion`, aws-cdk-lib 2.276), and synth must
 * work without a region. `Table` also keeps cdk-nag's PITR rule (AwsSolutions-DDB3) in force, which only
 * inspects `AWS::DynamoDB::Table`.
 */
export class LedgerTables extends Construct {
  /** Every table, by definition id. */
  public readonly tables: Readonly<Record<TableId, dynamodb.Table>>;

  constructor(scope: Construct, id: string, props: LedgerTablesProps) {
    super(scope, id);
    const tables = new Map<TableId, dynamodb.Table>();
    for (const definition of props.definitions) {
      if (tables.has(definition.id)) throw new Error(`Duplicate table definition '${definition.id}'.`);
      tables.set(definition.id, this.createTable(definition, props));
    }
    this.tables = Object.fromEntries(tables) as Record<TableId, dynamodb.Table>;
  }

  private createTable(definition: TableDefinition, props: LedgerTablesProps): dynamodb.Table {
    const table = new dynamodb.Table(this, `${pascalCaseId(definition)}Table`, {
      tableName: props.tableName(definition),
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      ...(definition.stream === 'KEYS_ONLY' ? { stream: dynamodb.StreamViewType.KEYS_ONLY } : {}),
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}
