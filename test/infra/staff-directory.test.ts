import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { STAGES } from '../../infra/aws/deployment-context';
import { STAFF_TABLE, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import {
  asArray,
  flatResources,
  resourcesOfType,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
} from './synth-helpers';

/** The functions that read the staff directory: notifications, assignment, names in pages and timelines. */
const READERS = ['workflow-tasks', 'staff-api', 'holding-api', 'audit-api'];

/** Lambda's limit on all environment variables of a function together. */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

describe.each(STAGES)('staff directory, %s stage', (stage) => {
  const templates = (): Template[] => {
    const synthesized = synthStage(stage);
    return [
      synthesized.dataTemplate,
      synthesized.opsTemplate,
      synthesized.workflowTemplate,
      synthesized.staffApiTemplate,
      synthesized.citizenIntakeTemplate,
      synthesized.emailIntakeTemplate,
      synthesized.dashboardTemplate,
    ];
  };
  beforeAll(() => synthStage(stage), SYNTH_TIMEOUT_MS);
  const staffTable = tableName(stage, STAFF_TABLE);

  /** Every function of the app: its name, its role's logical id, its environment variables, its template. */
  function functions() {
    return templates().flatMap((template) =>
      Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).map((resource) => {
        const role = resource.Properties['Role'] as { 'Fn::GetAtt'?: [string, string] };
        const environment = resource.Properties['Environment'] as
          { Variables?: Record<string, unknown> } | undefined;
        return {
          name: String(resource.Properties['FunctionName'] ?? ''),
          roleId: role['Fn::GetAtt']?.[0] ?? '',
          variables: environment?.Variables ?? {},
          template,
        };
      }),
    );
  }

  /** The statements of every IAM policy of the app on the staff table, with the roles they are attached to. */
  function staffStatements(): { roles: string[]; statement: PolicyStatementJson }[] {
    return templates().flatMap((template) =>
      Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap((policy) => {
        const roles = asArray(policy.Properties['Roles'] as { Ref: string }[]).map((role) => role.Ref);
        const { Statement } = policy.Properties['PolicyDocument'] as { Statement: PolicyStatementJson[] };
        return Statement.filter((statement) =>
          flatResources(statement).some((resource) => resource.endsWith(`:table/${staffTable}`)),
        ).map((statement) => ({ roles, statement }));
      }),
    );
  }

  it('is a table of the data stack, keyed by partition (member, group, change) and key', () => {
    const tables = Object.values(resourcesOfType(synthStage(stage).dataTemplate, 'AWS::DynamoDB::Table'));
    const table = tables.find((resource) => resource.Properties['TableName'] === staffTable);
    expect(table?.Properties['KeySchema']).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('is read, never written, by exactly the functions that need it, in the member and group partitions only', () => {
    const byRole = new Map(functions().map((fn) => [fn.roleId, fn.name]));
    const statements = staffStatements();

    const readers = [...new Set(statements.flatMap(({ roles }) => roles.map((role) => byRole.get(role))))];
    expect(readers.sort()).toEqual(READERS.map((name) => `jalon-${stage}-${name}`).sort());
    for (const { statement } of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(asArray(statement.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(statement.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['member', 'group'] },
      });
    }
  });

  it('reaches the readers by its name, and no function carries the directory in its environment any more', () => {
    for (const fn of functions()) {
      expect(Object.keys(fn.variables)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^STAFF_(DIRECTORY|MEMBERS)$/)]),
      );
      const reader = READERS.some((name) => fn.name === `jalon-${stage}-${name}`);
      expect([fn.name, fn.variables['STAFF_TABLE_NAME']]).toEqual([fn.name, reader ? staffTable : undefined]);
    }
  });

  it('leaves every environment far below Lambda’s 4 KB, whatever the size of the staff', () => {
    const sizes = functions().map(({ variables }) =>
      Object.entries(variables).reduce(
        (total, [key, value]) => total + key.length + JSON.stringify(value).length,
        0,
      ),
    );
    expect(Math.max(...sizes)).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES / 2);
  });
});

describe('the staff directory’s write path', () => {
  it('is documented: operators edit it with npx jalon staff, under their own credentials', () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'staff-directory.md'), 'utf8');
    for (const command of [
      'npx jalon staff list',
      'npx jalon staff put',
      'npx jalon staff remove',
      'npx jalon staff load',
    ]) {
      expect(doc).toContain(command);
    }
    expect(doc).toMatch(/dynamodb:PutItem/);
  });
});
