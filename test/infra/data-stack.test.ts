import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Token } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import {
  TABLE_DEFINITIONS,
  tableName,
  toCreateTableInput,
  type KeyDefinition,
  type TableDefinition,
} from '../../shared/adapters/dynamodb/table-definitions';
import { pascalCaseId } from '../../infra/aws/constructs/ledger-tables';
import { InvalidDeploymentContextError, STAGES, type Stage } from '../../infra/aws/deployment-context';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import { newApp, stageContext, synthStage, SYNTH_TIMEOUT_MS } from './synth-helpers';

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

function resourcesOfType(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** The one table resource named after `definition` for `stage`; fails the test if there is not exactly one. */
function tableResource(
  stage: Stage,
  definition: TableDefinition,
): { logicalId: string; table: TemplateResource } {
  const { dataTemplate } = synthStage(stage);
  const matches = Object.entries(resourcesOfType(dataTemplate, 'AWS::DynamoDB::Table')).filter(
    ([, resource]) => resource.Properties['TableName'] === tableName(stage, definition),
  );
  expect(matches).toHaveLength(1);
  const [logicalId, table] = matches[0]!;
  return { logicalId, table };
}

function dataKeyLogicalId(stage: Stage): string {
  const { data } = synthStage(stage).stacks;
  return data.getLogicalId(data.dataKey.node.defaultChild as CfnKey);
}

function keySchema(partitionKey: KeyDefinition, sortKey?: KeyDefinition): unknown[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
  ];
}

const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }): number =>
  (a.AttributeName ?? '').localeCompare(b.AttributeName ?? '');

beforeAll(() => {
  for (const stage of STAGES) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

describe.each(STAGES)('data stack, %s stage', (stage) => {
  it('has exactly one DynamoDB table per shared definition', () => {
    synthStage(stage).dataTemplate.resourceCountIs('AWS::DynamoDB::Table', TABLE_DEFINITIONS.length);
  });

  describe.each(TABLE_DEFINITIONS)('$id table', (definition) => {
    it('has point-in-time recovery enabled', () => {
      const { table } = tableResource(stage, definition);
      expect(table.Properties['PointInTimeRecoverySpecification']).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    });

    it('is encrypted with the customer-managed data key', () => {
      const { table } = tableResource(stage, definition);
      expect(table.Properties['SSESpecification']).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyLogicalId(stage), 'Arn'] },
      });
    });

    it('bills on demand, with no provisioned throughput anywhere', () => {
      const { table } = tableResource(stage, definition);
      expect(table.Properties['BillingMode']).toBe('PAY_PER_REQUEST');
      expect(JSON.stringify(table.Properties)).not.toContain('ProvisionedThroughput');
    });

    it('has the keys and GSIs of its definition, every GSI projecting ALL', () => {
      const { table } = tableResource(stage, definition);
      expect(table.Properties['KeySchema']).toEqual(keySchema(definition.partitionKey, definition.sortKey));
      const expectedIndexes = definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      }));
      expect(table.Properties['GlobalSecondaryIndexes'] ?? []).toEqual(expectedIndexes);
    });

    it('matches the CreateTable input of the local emulator bootstrap', () => {
      const { table } = tableResource(stage, definition);
      const local = toCreateTableInput(definition, tableName(stage, definition));
      const attributes = table.Properties['AttributeDefinitions'] as { AttributeName?: string }[];
      expect([...attributes].sort(byName)).toEqual([...(local.AttributeDefinitions ?? [])].sort(byName));
      expect(table.Properties['KeySchema']).toEqual(local.KeySchema);
      expect(table.Properties['GlobalSecondaryIndexes']).toEqual(local.GlobalSecondaryIndexes);
      expect(table.Properties['BillingMode']).toBe(local.BillingMode);
    });

    it('is exposed by the stack and its name is a stack output', () => {
      const { stacks, dataTemplate } = synthStage(stage);
      const { logicalId } = tableResource(stage, definition);
      const exposed = stacks.data.tables[definition.id];
      expect(stacks.data.getLogicalId(exposed.node.defaultChild as CfnTable)).toBe(logicalId);
      dataTemplate.hasOutput(`${pascalCaseId(definition)}TableName`, { Value: { Ref: logicalId } });
    });
  });

  it('has two KMS keys (data, backup vault), with rotation enabled and a stage alias', () => {
    const { dataTemplate } = synthStage(stage);
    const keys = Object.values(resourcesOfType(dataTemplate, 'AWS::KMS::Key'));
    expect(keys.map((key) => key.Properties['EnableKeyRotation'])).toEqual([true, true]);
    dataTemplate.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/jalon-${stage}-data`,
      TargetKeyId: { 'Fn::GetAtt': [dataKeyLogicalId(stage), 'Arn'] },
    });
  });

  it('tags every taggable resource and the stack with application and stage', () => {
    const { dataTemplate, stacks } = synthStage(stage);
    const untaggable = new Set([
      'AWS::KMS::Alias',
      'AWS::S3::BucketPolicy',
      'AWS::IAM::Policy',
      'AWS::Backup::BackupSelection',
    ]);
    // AWS Backup's plans and vaults take their tags as a map.
    const tagsOf = (resource: TemplateResource): unknown => {
      const map = resource.Properties['BackupPlanTags'] ?? resource.Properties['BackupVaultTags'];
      if (map === undefined) return resource.Properties['Tags'];
      return Object.entries(map as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
    };
    const resources = Object.entries(dataTemplate.toJSON()['Resources'] as Record<string, TemplateResource>);
    const taggable = resources.filter(([, resource]) => !untaggable.has(resource.Type));
    expect(taggable.length).toBeGreaterThan(TABLE_DEFINITIONS.length);
    for (const [logicalId, resource] of taggable) {
      expect({ logicalId, tags: tagsOf(resource) }).toEqual({
        logicalId,
        tags: expect.arrayContaining([
          { Key: 'application', Value: 'jalon' },
          { Key: 'stage', Value: stage },
        ]),
      });
    }
    expect(stacks.data.tags.tagValues()).toEqual({ application: 'jalon', stage });
  });
});

describe('retention by stage', () => {
  it.each(['test', 'prod'] as const)(
    '%s: tables and key are retained, tables deletion-protected',
    (stage) => {
      const { dataTemplate, stacks } = synthStage(stage);
      for (const definition of TABLE_DEFINITIONS) {
        const { table } = tableResource(stage, definition);
        expect(table.DeletionPolicy).toBe('Retain');
        expect(table.UpdateReplacePolicy).toBe('Retain');
        expect(table.Properties['DeletionProtectionEnabled']).toBe(true);
      }
      dataTemplate.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(stacks.data.terminationProtection).toBe(true);
    },
  );

  it('dev: tables and key are destroyed with the stack, no deletion protection', () => {
    const { dataTemplate, stacks } = synthStage('dev');
    for (const definition of TABLE_DEFINITIONS) {
      const { table } = tableResource('dev', definition);
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties['DeletionProtectionEnabled']).toBe(false);
    }
    dataTemplate.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(stacks.data.terminationProtection).toBe(false);
  });
});

describe('deployment context', () => {
  it('defaults to the dev stage, environment-agnostic', () => {
    const { stage, data } = addJalonStacks(newApp());
    expect(stage).toBe('dev');
    expect(data.stackName).toBe('jalon-dev-data');
    expect(Token.isUnresolved(data.account)).toBe(true);
    expect(Token.isUnresolved(data.region)).toBe(true);
  });

  it('pins account and region when both are given', () => {
    const { data } = addJalonStacks(
      newApp({ ...stageContext('prod'), account: '123456789012', region: 'ca-central-1' }),
    );
    expect([data.account, data.region]).toEqual(['123456789012', 'ca-central-1']);
  });

  it('rejects an unknown stage, naming the allowed values', () => {
    const build = () => addJalonStacks(newApp({ stage: 'staging' }));
    expect(build).toThrow(InvalidDeploymentContextError);
    expect(build).toThrow(/"staging".*dev, test, prod/);
  });

  it.each([
    ['account', '12345'],
    ['region', 'ca-central1'],
  ])('rejects a malformed %s', (key, value) => {
    expect(() => addJalonStacks(newApp({ [key]: value }))).toThrow(new RegExp(`Invalid context '${key}'`));
  });

  it('makes the cdk.json app exit non-zero with a one-line message on an unknown stage', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'jalon-cdk-'));
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.join('infra', 'aws', 'app.ts')], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'qa' }) },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        `jalon: Invalid context 'stage': "qa". Allowed values: dev, test, prod (e.g. -c stage=prod; default dev).`,
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
