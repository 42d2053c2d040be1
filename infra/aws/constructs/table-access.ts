import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, tableName } from '../../../shared/adapters/dynamodb/table-definitions';
import type { Stage } from '../deployment-context';
import type { DataStack } from '../stacks/data-stack';
import { pascalCaseId, type TableId } from './ledger-tables';

/** A table of the data stack as a consumer stack sees it: its physical name and a grantable handle. */
export interface TableAccess {
  readonly tableName: string;
  /** Its GSIs, by name (grants reach them through `table/<name>/index/*`). */
  readonly indexNames: readonly string[];
  readonly table: dynamodb.ITable;
}

/**
 * The data stack's tables, referenced from another stack of the same stage by their physical names (the
 * same `tableName(stage, definition)` the data stack creates them with), with the data key and the GSI
 * names so that grants cover the indexes and the key.
 *
 * By name rather than through the `Table` objects: the ARNs are then plain strings of the consumer's
 * account and region instead of cross-stack outputs, so the environment variables read `jalon-prod-cases`
 * and the one IAM wildcard (`table/<name>/index/*`) can be acknowledged by its exact text. The dependency
 * on the data stack is declared explicitly, so it still deploys first.
 */
export function tablesOf(
  scope: Construct,
  stage: Stage,
  data: DataStack,
): Readonly<Record<TableId, TableAccess>> {
  Stack.of(scope).addStackDependency(
    data,
    'the functions read and write the case, ledger and control tables',
  );
  const entries = TABLE_DEFINITIONS.map((definition): [TableId, TableAccess] => {
    const name = tableName(stage, definition);
    const indexNames = definition.globalSecondaryIndexes.map((index) => index.indexName);
    const table = dynamodb.Table.fromTableAttributes(scope, `${pascalCaseId(definition)}Table`, {
      tableName: name,
      encryptionKey: data.dataKey,
      ...(indexNames.length > 0 ? { globalIndexes: indexNames } : {}),
    });
    return [definition.id, { tableName: name, indexNames, table }];
  });
  return Object.fromEntries(entries) as Record<TableId, TableAccess>;
}
