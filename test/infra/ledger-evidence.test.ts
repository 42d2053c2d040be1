import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import {
  BACKUP_SETTING_KEYS,
  DEFAULT_BACKUP_SETTINGS,
  readBackupSettings,
} from '../../infra/aws/backup-settings';
import {
  LEDGER_ITEM_DESTRUCTIVE_ACTIONS,
  LEDGER_TABLE_GUARDED_ACTIONS,
  ledgerBreakGlassRoleName,
} from '../../infra/aws/constructs/ledger-access';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import { InvalidDeploymentContextError, STAGES, type Stage } from '../../infra/aws/deployment-context';
import { stageBlockKey } from '../../infra/aws/service-context';
import { LEDGER_TABLE, TABLE_DEFINITIONS, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import {
  asArray,
  logicalIdOf,
  newApp,
  onlyResource,
  policyStatements,
  resourcesOfType,
  stageContext,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
  type SynthesizedStage,
} from './synth-helpers';

/** The functions whose code appends events to the ledger (`DynamoDbCaseLedger.append`). */
const LEDGER_WRITERS = [
  'audit-api',
  'email-intake',
  'form-intake',
  'holding-api',
  'mail-events',
  'replan',
  'staff-api',
  'workflow-tasks',
];

/**
 * What a role other than the break-glass role may be allowed on the ledger table, each as a literal action
 * (a wildcard such as `dynamodb:*Item` would reach `UpdateItem`): reads, and `PutItem` for the writers.
 */
const ALLOWED_LEDGER_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  // Account-wide (resource `*`, so it matches the ledger's ARN): the stream consumer's event source mapping.
  'dynamodb:ListStreams',
];

/** Whether an action (possibly a wildcard) is a DynamoDB one: the only ones the ledger's ARN can take. */
function isDynamoDbAction(action: string): boolean {
  return action.toLowerCase().startsWith('dynamodb:') || globMatches(action, 'dynamodb:UpdateItem');
}

/** Every stack of a stage, by name, with its template. */
function templatesOf(stage: SynthesizedStage): [string, Template][] {
  const { stacks } = stage;
  return [
    [stacks.data.stackName, stage.dataTemplate],
    [stacks.ops.stackName, stage.opsTemplate],
    [stacks.workflow.stackName, stage.workflowTemplate],
    [stacks.staffApi.stackName, stage.staffApiTemplate],
    [stacks.staffWaf.stackName, stage.staffWafTemplate],
    [stacks.citizenWaf.stackName, stage.citizenWafTemplate],
    [stacks.citizenIntake.stackName, stage.citizenIntakeTemplate],
    [stacks.emailIntake.stackName, stage.emailIntakeTemplate],
  ];
}

interface IdentityStatement {
  readonly stack: string;
  /** The logical ids of the roles the statement applies to. */
  readonly roles: readonly string[];
  readonly statement: PolicyStatementJson;
}

function roleRefs(value: unknown): string[] {
  return asArray((value ?? []) as unknown[]).flatMap((role) => {
    const ref = (role as { Ref?: unknown }).Ref;
    return typeof ref === 'string' ? [ref] : [];
  });
}

/** Every statement of every identity policy (policies, managed policies, roles' inline policies). */
function identityStatements(stage: SynthesizedStage): IdentityStatement[] {
  return templatesOf(stage).flatMap(([stack, template]) => {
    const attached = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
      Object.values(resourcesOfType(template, type)).flatMap((policy) =>
        policyStatements(policy).map((statement) => ({
          stack,
          roles: roleRefs(policy.Properties['Roles']),
          statement,
        })),
      ),
    );
    const inline = Object.entries(resourcesOfType(template, 'AWS::IAM::Role')).flatMap(([roleId, role]) =>
      asArray(
        (role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: PolicyStatementJson[] } }[],
      )
        .flatMap((policy) => policy.PolicyDocument.Statement)
        .map((statement) => ({ stack, roles: [roleId], statement })),
    );
    return [...attached, ...inline];
  });
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * Whether a statement's resource can be the ledger table: its ARN by name (consumer stacks), a reference to
 * the data stack's table (same stack or a cross-stack output), or a wildcard that matches the ARN.
 */
function ledgerMatcher(stage: Stage, synthesized: SynthesizedStage): (resource: unknown) => boolean {
  const { data } = synthesized.stacks;
  const ledgerId = logicalIdOf(data.tables.ledger);
  const byName = `arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${tableName(stage, LEDGER_TABLE)}`;
  const byGetAtt = flattenCfnReference({ 'Fn::GetAtt': [ledgerId, 'Arn'] });
  const outputs = synthesized.dataTemplate.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
  const ledgerOutputs = Object.entries(outputs)
    .filter(
      ([, output]) => JSON.stringify(output.Value) === JSON.stringify({ 'Fn::GetAtt': [ledgerId, 'Arn'] }),
    )
    .map(([name]) => name);
  return (resource) => {
    const output = (resource as { 'Fn::GetStackOutput'?: { OutputName?: string } })['Fn::GetStackOutput'];
    if (output !== undefined) return ledgerOutputs.includes(output.OutputName ?? '');
    const flat = flattenCfnReference(resource);
    return flat === byName || flat === byGetAtt || globMatches(flat, byName);
  };
}

function functionNamesByRole(synthesized: SynthesizedStage): Map<string, string> {
  const names = new Map<string, string>();
  for (const [, template] of templatesOf(synthesized)) {
    for (const fn of Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))) {
      const role = (fn.Properties['Role'] as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
      const name = fn.Properties['FunctionName'];
      if (role !== undefined && typeof name === 'string') names.set(role, name);
    }
  }
  return names;
}

function breakGlassRoleId(synthesized: SynthesizedStage): string {
  return logicalIdOf(synthesized.stacks.data.ledgerGuard.breakGlassRole);
}

/** The allowed statements that may reach the ledger table, other than the break-glass role's. */
function ledgerStatements(stage: Stage): IdentityStatement[] {
  const synthesized = synthStage(stage);
  const isLedger = ledgerMatcher(stage, synthesized);
  const breakGlass = breakGlassRoleId(synthesized);
  return identityStatements(synthesized).filter(
    ({ roles, statement }) =>
      statement.Effect === 'Allow' &&
      !(roles.length === 1 && roles[0] === breakGlass) &&
      ((statement as { NotResource?: unknown }).NotResource !== undefined ||
        asArray(statement.Resource).some(isLedger)),
  );
}

beforeAll(() => {
  for (const stage of STAGES) synthStage(stage);
}, SYNTH_TIMEOUT_MS * 2);

describe.each(STAGES)('the ledger as evidence, %s stage', (stage) => {
  describe('identity policies', () => {
    it('allow nothing on the ledger table but reads and PutItem, each named literally (no update, delete or batch write)', () => {
      const offences = ledgerStatements(stage).flatMap(({ stack, roles, statement }) => {
        const notAction = (statement as { NotAction?: unknown }).NotAction;
        const actions = notAction === undefined ? asArray(statement.Action) : ['NotAction'];
        return actions
          .filter((action) => action === 'NotAction' || isDynamoDbAction(action))
          .filter((action) => !ALLOWED_LEDGER_ACTIONS.includes(action))
          .map((action) => `${stack} ${roles.join(',')} ${action}`);
      });
      expect(offences).toEqual([]);
    });

    it('allow PutItem on the ledger to the writer functions only', () => {
      const names = functionNamesByRole(synthStage(stage));
      const writers = ledgerStatements(stage)
        .filter(({ statement }) => asArray(statement.Action).includes('dynamodb:PutItem'))
        .flatMap(({ roles }) => roles.map((role) => names.get(role) ?? role));
      expect([...new Set(writers)].sort()).toEqual(LEDGER_WRITERS.map((name) => `jalon-${stage}-${name}`));
    });

    it('let the report functions read the ledger only', () => {
      const names = functionNamesByRole(synthStage(stage));
      const readers = ledgerStatements(stage).flatMap(({ roles, statement }) =>
        roles
          .map((role) => names.get(role) ?? role)
          .filter((name) => /-report-(aggregates|replay)$/.test(name))
          .flatMap(() => asArray(statement.Action).filter(isDynamoDbAction)),
      );
      expect([...new Set(readers)].sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:ListStreams',
        'dynamodb:Query',
        'dynamodb:Scan',
      ]);
    });
  });

  describe('ledger table resource policy', () => {
    function ledgerTable() {
      const { dataTemplate, stacks } = synthStage(stage);
      return resourcesOfType(dataTemplate, 'AWS::DynamoDB::Table')[logicalIdOf(stacks.data.tables.ledger)]!;
    }
    const breakGlassArn = `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${ledgerBreakGlassRoleName(stage)}`;
    const ledgerArn = `arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${tableName(stage, LEDGER_TABLE)}`;

    function denyStatements(): PolicyStatementJson[] {
      const policy = ledgerTable().Properties['ResourcePolicy'] as {
        PolicyDocument: { Statement: PolicyStatementJson[] };
      };
      return policy.PolicyDocument.Statement.filter((statement) => statement.Effect === 'Deny');
    }

    function exemptFrom(action: string): string[] {
      const statements = denyStatements().filter((statement) => asArray(statement.Action).includes(action));
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(statement!.Principal).toEqual({ AWS: '*' });
      expect(asArray(statement!.Resource).map((resource) => flattenCfnReference(resource))).toEqual([
        ledgerArn,
      ]);
      const exempt = statement!.Condition?.['ArnNotEquals']?.['aws:PrincipalArn'];
      return asArray(exempt as unknown[]).map((arn) => flattenCfnReference(arn));
    }

    it.each([...LEDGER_ITEM_DESTRUCTIVE_ACTIONS])(
      'denies %s to every principal but the break-glass role',
      (action) => {
        expect(exemptFrom(action)).toEqual([breakGlassArn]);
      },
    );

    it.each([...LEDGER_TABLE_GUARDED_ACTIONS])(
      'denies %s to every principal but the break-glass role and the CloudFormation execution role',
      (action) => {
        const exempt = exemptFrom(action);
        expect(exempt).toHaveLength(2);
        expect(exempt[0]).toBe(breakGlassArn);
        expect(exempt[1]).toMatch(/:role\/cdk-hnb659fds-cfn-exec-role-<AWS::AccountId>-<AWS::Region>$/);
      },
    );

    it(`denies DeleteTable to every principal but the break-glass role${stage === 'dev' ? ' and deployments (dev)' : ''}`, () => {
      expect(exemptFrom('dynamodb:DeleteTable')).toHaveLength(stage === 'dev' ? 2 : 1);
      expect(exemptFrom('dynamodb:DeleteTable')[0]).toBe(breakGlassArn);
    });

    it('allows nothing itself', () => {
      const policy = ledgerTable().Properties['ResourcePolicy'] as {
        PolicyDocument: { Statement: PolicyStatementJson[] };
      };
      expect(policy.PolicyDocument.Statement.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
    });

    it(`has deletion protection ${stage === 'dev' ? 'off (dev is disposable)' : 'on'}`, () => {
      expect(ledgerTable().Properties['DeletionProtectionEnabled']).toBe(stage !== 'dev');
    });

    it('is the only table with a resource policy', () => {
      const withPolicy = Object.values(
        resourcesOfType(synthStage(stage).dataTemplate, 'AWS::DynamoDB::Table'),
      )
        .filter((table) => table.Properties['ResourcePolicy'] !== undefined)
        .map((table) => table.Properties['TableName']);
      expect(withPolicy).toEqual([tableName(stage, LEDGER_TABLE)]);
    });
  });

  describe('break-glass role', () => {
    function role() {
      const synthesized = synthStage(stage);
      return resourcesOfType(synthesized.dataTemplate, 'AWS::IAM::Role')[breakGlassRoleId(synthesized)]!;
    }

    it('is assumable by the account with MFA of less than an hour, for one hour', () => {
      const { Properties } = role();
      expect(Properties['RoleName']).toBe(ledgerBreakGlassRoleName(stage));
      expect(Properties['MaxSessionDuration']).toBe(3600);
      const [trust, ...others] = policyStatements(role(), 'AssumeRolePolicyDocument');
      expect(others).toEqual([]);
      expect(trust!.Action).toBe('sts:AssumeRole');
      expect(flattenCfnReference((trust!.Principal as { AWS: unknown }).AWS)).toContain(
        ':iam::<AWS::AccountId>:root',
      );
      expect(trust!.Condition).toEqual({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
      });
    });
  });

  describe('AWS Backup', () => {
    it('keeps the recovery points in a vault encrypted with a rotated key of its own', () => {
      const { dataTemplate, stacks } = synthStage(stage);
      const [, vault] = onlyResource(dataTemplate, 'AWS::Backup::BackupVault');
      const keyId = logicalIdOf(stacks.data.backups.key);
      expect(vault.Properties['EncryptionKeyArn']).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(keyId).not.toBe(logicalIdOf(stacks.data.dataKey));
      expect(resourcesOfType(dataTemplate, 'AWS::KMS::Key')[keyId]!.Properties['EnableKeyRotation']).toBe(
        true,
      );
      const lock = JSON.stringify(vault.Properties['AccessPolicy'] ?? {});
      if (stage === 'dev') expect(lock).not.toContain('backup:DeleteRecoveryPoint');
      else expect(lock).toContain('backup:DeleteRecoveryPoint');
    });

    it('backs up daily and monthly with the default retention', () => {
      const [, plan] = onlyResource(synthStage(stage).dataTemplate, 'AWS::Backup::BackupPlan');
      const rules = (plan.Properties['BackupPlan'] as { BackupPlanRule: Record<string, unknown>[] })
        .BackupPlanRule;
      expect(rules.map((rule) => [rule['RuleName'], rule['ScheduleExpression'], rule['Lifecycle']])).toEqual([
        ['Daily', 'cron(0 6 * * ? *)', { DeleteAfterDays: DEFAULT_BACKUP_SETTINGS.dailyRetentionDays }],
        ['Monthly', 'cron(0 7 1 * ? *)', { DeleteAfterDays: DEFAULT_BACKUP_SETTINGS.monthlyRetentionDays }],
      ]);
    });

    it('selects every table', () => {
      const { dataTemplate, stacks } = synthStage(stage);
      const [, selection] = onlyResource(dataTemplate, 'AWS::Backup::BackupSelection');
      const resources = (selection.Properties['BackupSelection'] as { Resources: unknown[] }).Resources;
      const tableArns = TABLE_DEFINITIONS.map((definition) => ({
        'Fn::GetAtt': [logicalIdOf(stacks.data.tables[definition.id]), 'Arn'],
      }));
      expect(resources).toEqual(expect.arrayContaining(tableArns));
      expect(resources).toHaveLength(TABLE_DEFINITIONS.length);
    });
  });
});

describe('backup settings', () => {
  it('are read from the command line, then the stage block', () => {
    const app = newApp({
      [BACKUP_SETTING_KEYS.dailyRetentionDays]: '10',
      [stageBlockKey('prod')]: { [BACKUP_SETTING_KEYS.monthlyRetentionDays]: 730 },
    });
    expect(readBackupSettings(app.node, 'prod')).toEqual({
      dailyRetentionDays: 10,
      monthlyRetentionDays: 730,
    });
  });

  it(
    'reach the backup plan',
    () => {
      const app = newApp({
        ...stageContext('test'),
        [BACKUP_SETTING_KEYS.dailyRetentionDays]: '7',
        [BACKUP_SETTING_KEYS.monthlyRetentionDays]: '400',
      });
      const [, plan] = onlyResource(Template.fromStack(addJalonStacks(app).data), 'AWS::Backup::BackupPlan');
      const rules = (plan.Properties['BackupPlan'] as { BackupPlanRule: { Lifecycle: unknown }[] })
        .BackupPlanRule;
      expect(rules.map((rule) => rule.Lifecycle)).toEqual([{ DeleteAfterDays: 7 }, { DeleteAfterDays: 400 }]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it.each([['0'], ['35.5'], ['forever'], [-1], [99999]])('reject %p days', (value) => {
    const app = newApp({ [BACKUP_SETTING_KEYS.dailyRetentionDays]: value });
    expect(() => readBackupSettings(app.node, 'test')).toThrow(InvalidDeploymentContextError);
    expect(() => readBackupSettings(app.node, 'test')).toThrow(`'${BACKUP_SETTING_KEYS.dailyRetentionDays}'`);
  });

  it('reject monthly points kept less long than daily ones', () => {
    const app = newApp({
      [BACKUP_SETTING_KEYS.dailyRetentionDays]: 60,
      [BACKUP_SETTING_KEYS.monthlyRetentionDays]: 30,
    });
    expect(() => readBackupSettings(app.node, 'prod')).toThrow(InvalidDeploymentContextError);
  });
});
