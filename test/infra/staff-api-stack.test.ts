import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import {
  tableName,
  CASES_TABLE,
  CONTROL_TABLE,
  HOLDING_TABLE,
  LEDGER_TABLE,
  REPORTS_TABLE,
  STAFF_TABLE,
} from '../../shared/adapters/dynamodb/table-definitions';
import { RoleSchema } from '../../shared/domain/identity/identity';
import { HoldingApiEnvSchema } from '../../shared/schemas/holding-api';
import { StaffApiEnvSchema } from '../../shared/schemas/staff-api';
import { FUNCTION_RUNTIME } from '../../infra/aws/constructs/jalon-function';
import { STAFF_API_THROTTLE } from '../../infra/aws/constructs/staff-http-api';
import { AUDIT_API_ROUTES } from '../../functions/audit-api/routes';
import { HOLDING_API_ROUTES } from '../../functions/holding-api/routes';
import { STAFF_API_ROUTES } from '../../functions/staff-api/routes';
import { AuditApiEnvSchema } from '../../shared/schemas/audit-api';
import { UNITS_ATTRIBUTE } from '../../infra/aws/constructs/staff-user-pool';
import type { Stage } from '../../infra/aws/deployment-context';
import { mailStorageParameterNames, RAW_MAIL_PREFIX } from '../../infra/aws/stacks/email-intake-stack';
import {
  asArray,
  expectOpsAlertsTopic,
  flatResources,
  logicalIdOf,
  onlyResource,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
} from './synth-helpers';

/** Variables CDK sets for the Parameters and Secrets extension layer. */
const SECRETS_EXTENSION_SETTING = /^(PARAMETERS_SECRETS_EXTENSION|SECRETS_MANAGER|SSM_PARAMETER_STORE)_/;

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const ARN_PREFIX = 'arn:<AWS::Partition>:';
const ACCOUNT_REGION = '<AWS::Region>:<AWS::AccountId>';

/** The fixed-name ARN the staff API starts executions of, as cdk-nag flattens it. */
function caseLifecycleArn(stage: Stage): string {
  return `${ARN_PREFIX}states:${ACCOUNT_REGION}:stateMachine:jalon-${stage}-case-lifecycle`;
}

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

function staffApi(stage: Stage) {
  const synth = synthStage(stage);
  const { staffApi: stack } = synth.stacks;
  return {
    synth,
    template: synth.staffApiTemplate,
    service: synth.stacks.service,
    userPoolId: logicalIdOf(stack.staffUserPool.userPool),
    clientId: logicalIdOf(stack.staffUserPool.staffPagesClient),
    functionId: logicalIdOf(stack.staffApiFunction.function),
    functionRoleId: logicalIdOf(stack.staffApiFunction.role),
    auditFunctionId: logicalIdOf(stack.auditApiFunction.function),
    reportReplayId: logicalIdOf(stack.reportReplay.stateMachine),
    verificationId: logicalIdOf(stack.ledgerVerification.stateMachine),
    digestFunctionId: logicalIdOf(stack.ledgerVerification.digest.function),
    digestRuleId: logicalIdOf(stack.ledgerVerification.digestSchedule),
    auditRoleId: logicalIdOf(stack.auditApiFunction.role),
    holdingFunctionId: logicalIdOf(stack.holdingApiFunction.function),
    holdingRoleId: logicalIdOf(stack.holdingApiFunction.role),
    httpApiId: logicalIdOf(stack.staffHttpApi.httpApi),
  };
}

function properties(stage: Stage, type: string): Record<string, unknown> {
  return onlyResource(staffApi(stage).template, type)[1].Properties;
}

describe.each(STAGES_UNDER_TEST)('staff API stack, %s stage', (stage) => {
  describe('staff user pool', () => {
    it('has exactly the five role groups the API understands', () => {
      const groups = Object.values(resourcesOfType(staffApi(stage).template, 'AWS::Cognito::UserPoolGroup'));
      expect(groups.map((group) => group.Properties['GroupName']).sort()).toEqual(
        [...RoleSchema.options].sort(),
      );
      const { userPoolId } = staffApi(stage);
      for (const group of groups) expect(group.Properties['UserPoolId']).toEqual({ Ref: userPoolId });
    });

    it('requires TOTP MFA, enforces threat protection (Plus) and a strong password policy', () => {
      const pool = properties(stage, 'AWS::Cognito::UserPool');
      expect(pool['MfaConfiguration']).toBe('ON');
      expect(pool['EnabledMfas']).toEqual(['SOFTWARE_TOKEN_MFA']);
      expect(pool['UserPoolTier']).toBe('PLUS');
      expect(pool['UserPoolAddOns']).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
      expect(pool['Policies']).toMatchObject({
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      });
    });

    it('has no self sign-up, and the units attribute the identity reads as custom:units', () => {
      const pool = properties(stage, 'AWS::Cognito::UserPool');
      expect(pool['AdminCreateUserConfig']).toMatchObject({ AllowAdminCreateUserOnly: true });
      expect(pool['Schema']).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Name: UNITS_ATTRIBUTE, AttributeDataType: 'String' }),
        ]),
      );
    });

    it(`is ${stage === 'dev' ? 'deletable' : 'deletion-protected and retained'}`, () => {
      const [, pool] = onlyResource(staffApi(stage).template, 'AWS::Cognito::UserPool');
      expect(pool.Properties['DeletionProtection']).toBe(stage === 'dev' ? 'INACTIVE' : 'ACTIVE');
      expect(pool.DeletionPolicy).toBe(stage === 'dev' ? 'Delete' : 'Retain');
    });

    it('has a public staff-pages client with the authorization-code flow and the configured redirects', () => {
      const { service } = staffApi(stage);
      const client = properties(stage, 'AWS::Cognito::UserPoolClient');
      expect(client['GenerateSecret']).toBe(false);
      expect(client['AllowedOAuthFlows']).toEqual(['code']);
      expect(client['AllowedOAuthFlowsUserPoolClient']).toBe(true);
      // Besides the staff distribution's own pages (see staff-site.test.ts).
      expect(client['CallbackURLs']).toEqual(expect.arrayContaining(service.staffCallbackUrls));
      expect(client['LogoutURLs']).toEqual(expect.arrayContaining(service.staffLogoutUrls));
      expect(client['ExplicitAuthFlows']).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    });

    it('lets staff read their units but never write them (an administrator assigns units)', () => {
      const client = properties(stage, 'AWS::Cognito::UserPoolClient');
      expect(client['ReadAttributes']).toContain(`custom:${UNITS_ATTRIBUTE}`);
      expect(client['WriteAttributes']).toBeDefined();
      expect(client['WriteAttributes']).not.toContain(`custom:${UNITS_ATTRIBUTE}`);
    });

    it('has the sign-in domain from the context', () => {
      expect(properties(stage, 'AWS::Cognito::UserPoolDomain')['Domain']).toBe(
        staffApi(stage).service.authDomainPrefix,
      );
    });
  });

  describe('staff HTTP API', () => {
    it('has one JWT authorizer: issuer the staff user pool, audience the staff pages client', () => {
      const { userPoolId, clientId } = staffApi(stage);
      const authorizer = properties(stage, 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizer['AuthorizerType']).toBe('JWT');
      expect(authorizer['IdentitySource']).toEqual(['$request.header.Authorization']);
      const jwt = authorizer['JwtConfiguration'] as { Issuer: unknown; Audience: unknown };
      expect(flattenCfnReference(jwt.Issuer)).toBe(
        `https://cognito-idp.<AWS::Region>.amazonaws.com/<${userPoolId}>`,
      );
      expect(jwt.Audience).toEqual([{ Ref: clientId }]);
    });

    it('serves exactly the staff, holding-pen and audit routes, behind the JWT authorizer, each by its own Lambda', () => {
      const { template, functionId, auditFunctionId, holdingFunctionId } = staffApi(stage);
      const [authorizerId] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
      const routes = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'));
      expect(routes.map((route) => route.Properties['RouteKey']).sort()).toEqual(
        [...STAFF_API_ROUTES, ...HOLDING_API_ROUTES, ...AUDIT_API_ROUTES]
          .filter((route) => !('localOnly' in route))
          .map(({ method, path }) => `${method} ${path}`)
          .sort(),
      );
      // The synchronous whole-ledger check is the local stack's only; in AWS the verification is a job.
      expect(routes.map((route) => route.Properties['RouteKey'])).not.toContain(
        'GET /api/audit/ledger/verify',
      );
      expect(routes.map((route) => route.Properties['RouteKey'])).toContain(
        'POST /api/audit/ledger/verifications',
      );
      const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
      for (const route of routes) {
        expect(route.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
        const target = flattenCfnReference(route.Properties['Target']).replace(/^integrations\/<|>$/g, '');
        const key = String(route.Properties['RouteKey']);
        const served = key.includes('/api/audit/')
          ? auditFunctionId
          : key.includes('/api/staff/holding')
            ? holdingFunctionId
            : functionId;
        expect(integrations[target]?.Properties['IntegrationUri']).toEqual({ 'Fn::GetAtt': [served, 'Arn'] });
      }
    });

    it('serves attachment download links on the staff function, behind the JWT authorizer', () => {
      const { template, functionId } = staffApi(stage);
      const routes = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).filter(
        (route) =>
          route.Properties['RouteKey'] === 'GET /api/staff/cases/{caseId}/attachments/{attachmentId}',
      );
      expect(routes).toHaveLength(1);
      expect(routes[0]?.Properties['AuthorizationType']).toBe('JWT');
      const target = flattenCfnReference(routes[0]?.Properties['Target']).replace(/^integrations\/<|>$/g, '');
      expect(
        resourcesOfType(template, 'AWS::ApiGatewayV2::Integration')[target]?.Properties['IntegrationUri'],
      ).toEqual({
        'Fn::GetAtt': [functionId, 'Arn'],
      });
    });

    it('allows CORS from the staff origin only', () => {
      const cors = properties(stage, 'AWS::ApiGatewayV2::Api')['CorsConfiguration'] as Record<
        string,
        unknown
      >;
      expect(cors['AllowOrigins']).toEqual([staffApi(stage).service.staffOrigin]);
      expect(cors['AllowOrigins']).not.toContain('*');
      expect(cors['AllowHeaders']).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    });

    it('throttles every route and writes access logs without source IPs to an encrypted log group', () => {
      const { template } = staffApi(stage);
      const apiStage = properties(stage, 'AWS::ApiGatewayV2::Stage');
      expect(apiStage['StageName']).toBe('$default');
      expect(apiStage['DefaultRouteSettings']).toEqual({
        ThrottlingRateLimit: STAFF_API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: STAFF_API_THROTTLE.burstLimit,
      });
      const access = apiStage['AccessLogSettings'] as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
        Format: string;
      };
      const format = JSON.parse(access.Format) as Record<string, string>;
      expect(format['requestId']).toBe('$context.requestId');
      expect(access.Format).not.toMatch(/sourceIp|userAgent/);
      const logGroup = resourcesOfType(template, 'AWS::Logs::LogGroup')[
        access.DestinationArn['Fn::GetAtt'][0]
      ]!;
      expect(logGroup.Properties['LogGroupName']).toBe(`/jalon/${stage}/http-api/staff-access`);
      expect(logGroup.Properties['KmsKeyId']).toBeDefined();
    });
  });

  describe('staff-api Lambda', () => {
    function lambdaFunction(): Record<string, unknown> {
      const { template, functionId } = staffApi(stage);
      return resourcesOfType(template, 'AWS::Lambda::Function')[functionId]!.Properties;
    }
    function statements(prefix: string): PolicyStatementJson[] {
      const { template, functionRoleId } = staffApi(stage);
      return roleStatements(template, functionRoleId).filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith(prefix)),
      );
    }

    it(`runs on arm64 with ${FUNCTION_RUNTIME.name}, traced, under the HTTP API's 30 s limit`, () => {
      expect(lambdaFunction()).toMatchObject({
        Architectures: ['arm64'],
        Runtime: FUNCTION_RUNTIME.name,
        TracingConfig: { Mode: 'Active' },
      });
      expect(lambdaFunction()['Timeout']).toBeLessThan(30);
    });

    it('has an environment StaffApiEnvSchema accepts, with every required variable', () => {
      const variables = (lambdaFunction()['Environment'] as { Variables: Record<string, unknown> }).Variables;
      const required = Object.entries(StaffApiEnvSchema.shape)
        .filter(([, schema]) => !schema.safeParse(undefined).success)
        .map(([name]) => name);
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(required));
      // The ARN is a Fn::Join of pseudo parameters and the bucket names SSM parameter references in the
      // template; CloudFormation resolves them like this.
      const resolved = {
        ...variables,
        STATE_MACHINE_ARN: `arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-${stage}-case-lifecycle`,
        ATTACHMENTS_BUCKET_NAME: `jalon-${stage}-email-intake-attachmentsbucket-def456`,
        LETTERS_BUCKET_NAME: `jalon-${stage}-letters-123456789012-ca-central-1`,
        ORIGIN_VERIFY_SECRET_ARN: `arn:aws:secretsmanager:ca-central-1:123456789012:secret:jalon-${stage}-origin`,
      };
      expect(StaffApiEnvSchema.safeParse(resolved).error?.issues ?? []).toEqual([]);
      expect(variables).toMatchObject({
        CASES_TABLE_NAME: tableName(stage, CASES_TABLE),
        LEDGER_TABLE_NAME: tableName(stage, LEDGER_TABLE),
        CONTROL_TABLE_NAME: tableName(stage, CONTROL_TABLE),
      });
      expect(variables).not.toHaveProperty('HOLDING_TABLE_NAME');
      expect(variables).not.toHaveProperty('RAW_MAIL_BUCKET_NAME');
      expect(flattenCfnReference(variables['STATE_MACHINE_ARN'])).toBe(caseLifecycleArn(stage));
    });

    it('reads and writes the cases, ledger and control (reference counters) tables, and reads the staff directory, only', () => {
      const table = (name: string) => `${ARN_PREFIX}dynamodb:${ACCOUNT_REGION}:table/${name}`;
      expect(statements('dynamodb:').flatMap(flatResources).sort()).toEqual(
        [
          table(tableName(stage, CASES_TABLE)),
          table(`${tableName(stage, CASES_TABLE)}/index/*`),
          table(tableName(stage, LEDGER_TABLE)),
          table(tableName(stage, CONTROL_TABLE)),
          table(tableName(stage, STAFF_TABLE)),
        ].sort(),
      );
    });

    it('sends email only as the sender identities', () => {
      const { service } = staffApi(stage);
      const ses = statements('ses:');
      expect(ses.flatMap((statement) => asArray(statement.Action))).toEqual(['ses:SendEmail']);
      expect(ses.flatMap(flatResources).sort()).toEqual(
        [
          ...[service.senderDomain, service.senderAddress].map(
            (identity) => `${ARN_PREFIX}ses:${ACCOUNT_REGION}:identity/${identity}`,
          ),
          `${ARN_PREFIX}ses:${ACCOUNT_REGION}:configuration-set/jalon-${stage}-mail`,
        ].sort(),
      );
    });

    it('has wildcard resources only for X-Ray, which takes no resource ARN', () => {
      const { template, functionRoleId } = staffApi(stage);
      const wildcardActions = roleStatements(template, functionRoleId)
        .filter((statement) => flatResources(statement).includes('*'))
        .flatMap((statement) => asArray(statement.Action));
      expect(wildcardActions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });

    it('starts executions of the case-lifecycle state machine only (staff intake), nothing else in Step Functions', () => {
      const states = statements('states:');
      expect(states.flatMap((statement) => asArray(statement.Action))).toEqual(['states:StartExecution']);
      expect(states.flatMap(flatResources)).toEqual([caseLifecycleArn(stage)]);
    });

    it('deploys after the workflow stack, without importing any of its outputs', () => {
      const { synth, template } = staffApi(stage);
      expect(synth.stacks.staffApi.dependencies).toContain(synth.stacks.workflow);
      const imported = importedStacks(template.toJSON());
      // It does read the ops stack's alerts topic, which proves the search finds such references.
      expect(imported).toContain(synth.stacks.ops.stackName);
      expect(imported).not.toContain(synth.stacks.workflow.stackName);
    });

    it('reads attachments for download links only: GetObject, no raw mail, the mail key to decrypt only', () => {
      const names = mailStorageParameterNames(stage);
      const { template, functionRoleId } = staffApi(stage);
      const parameters = template.toJSON()['Parameters'] as Record<string, { Default?: string }>;
      const mail = roleStatements(template, functionRoleId)
        .map((statement) => ({
          actions: asArray(statement.Action).sort(),
          resources: asArray(statement.Resource).map((resource) =>
            flattenCfnReference(resource).replace(/<([A-Za-z0-9]+)>/g, (whole, id: string) =>
              parameters[id]?.Default !== undefined ? `{ssm:${parameters[id].Default}}` : whole,
            ),
          ),
        }))
        .filter(({ resources }) => resources.some((resource) => resource.includes('{ssm:')));
      expect(mail).toEqual([
        {
          actions: ['s3:GetObject'],
          resources: [`${ARN_PREFIX}s3:::{ssm:${names.attachmentsBucketName}}/*`],
        },
        { actions: ['kms:Decrypt'], resources: [`{ssm:${names.mailKeyArn}}`] },
      ]);
    });

    describe('holding-pen triage: the holding-api Lambda', () => {
      const names = () => mailStorageParameterNames(stage);
      function holdingFunction(): Record<string, unknown> {
        const { template, holdingFunctionId } = staffApi(stage);
        return resourcesOfType(template, 'AWS::Lambda::Function')[holdingFunctionId]!.Properties;
      }
      function holdingStatements(prefix: string): PolicyStatementJson[] {
        const { template, holdingRoleId } = staffApi(stage);
        return roleStatements(template, holdingRoleId).filter((statement) =>
          asArray(statement.Action).some((action) => action.startsWith(prefix)),
        );
      }

      it('has an environment HoldingApiEnvSchema accepts, under the HTTP API limit', () => {
        const variables = (holdingFunction()['Environment'] as { Variables: Record<string, unknown> })
          .Variables;
        expect(
          Object.keys(variables)
            .filter((name) => name !== 'NODE_OPTIONS')
            // The secrets extension's own settings (CDK sets them with the layer), but the port the code reads.
            .filter((name) => !SECRETS_EXTENSION_SETTING.test(name) || name in HoldingApiEnvSchema.shape)
            .sort(),
        ).toEqual(Object.keys(HoldingApiEnvSchema.shape).sort());
        expect(holdingFunction()['Timeout']).toBeLessThan(30);
      });

      it('reads and writes the cases, ledger, control and holding tables, reads the staff directory, starts executions, sends nothing', () => {
        const table = (name: string) => `${ARN_PREFIX}dynamodb:${ACCOUNT_REGION}:table/${name}`;
        expect(holdingStatements('dynamodb:').flatMap(flatResources).sort()).toEqual(
          [
            table(tableName(stage, CASES_TABLE)),
            table(`${tableName(stage, CASES_TABLE)}/index/*`),
            table(tableName(stage, LEDGER_TABLE)),
            table(tableName(stage, CONTROL_TABLE)),
            table(tableName(stage, HOLDING_TABLE)),
            table(`${tableName(stage, HOLDING_TABLE)}/index/*`),
            table(tableName(stage, STAFF_TABLE)),
          ].sort(),
        );
        expect(holdingStatements('states:').flatMap(flatResources)).toEqual([caseLifecycleArn(stage)]);
        expect(holdingStatements('ses:')).toEqual([]);
      });

      /** A flattened value with each SSM parameter reference shown as `{ssm:<parameter name>}`. */
      function withParameters(value: unknown): string {
        const parameters = staffApi(stage).template.toJSON()['Parameters'] as Record<
          string,
          { Default?: string }
        >;
        return flattenCfnReference(value).replace(/<([A-Za-z0-9]+)>/g, (whole, id: string) =>
          parameters[id]?.Default !== undefined ? `{ssm:${parameters[id].Default}}` : whole,
        );
      }
      const objects = (parameter: string, pattern: string) =>
        `${ARN_PREFIX}s3:::{ssm:${parameter}}/${pattern}`;
      function statementsNaming(parameter: string): { actions: string[]; resources: string[] }[] {
        const { template, holdingRoleId } = staffApi(stage);
        return roleStatements(template, holdingRoleId)
          .map((statement) => ({
            actions: asArray(statement.Action).sort(),
            resources: asArray(statement.Resource).map(withParameters),
          }))
          .filter(({ resources }) => resources.some((resource) => resource.includes(`{ssm:${parameter}}`)));
      }

      it('names the holding table and the mail buckets the email stack publishes', () => {
        const variables = (holdingFunction()['Environment'] as { Variables: Record<string, unknown> })
          .Variables;
        expect(withParameters(variables['RAW_MAIL_BUCKET_NAME'])).toBe(`{ssm:${names().rawMailBucketName}}`);
        expect(withParameters(variables['ATTACHMENTS_BUCKET_NAME'])).toBe(
          `{ssm:${names().attachmentsBucketName}}`,
        );
        expect(variables['HOLDING_TABLE_NAME']).toBe(tableName(stage, HOLDING_TABLE));
      });

      it('reads those parameters as the email stack writes them: bucket names and the mail key ARN', () => {
        const { synth } = staffApi(stage);
        const { emailIntake } = synth.stacks;
        const published = Object.values(
          resourcesOfType(synth.emailIntakeTemplate, 'AWS::SSM::Parameter'),
        ).map((parameter) => [parameter.Properties['Name'], parameter.Properties['Value']]);
        expect(published).toEqual(
          expect.arrayContaining([
            [names().rawMailBucketName, { Ref: logicalIdOf(emailIntake.rawMail.bucket) }],
            [names().attachmentsBucketName, { Ref: logicalIdOf(emailIntake.attachments.bucket) }],
            [names().mailKeyArn, { 'Fn::GetAtt': [logicalIdOf(emailIntake.mailKey), 'Arn'] }],
          ]),
        );
      });

      it('reads raw mail under inbound/ only: GetObject, no version, no write, no delete', () => {
        expect(statementsNaming(names().rawMailBucketName)).toEqual([
          {
            actions: ['s3:GetObject'],
            resources: [objects(names().rawMailBucketName, `${RAW_MAIL_PREFIX}*`)],
          },
        ]);
      });

      it('stores attachments with HeadObject (GetObject) and PutObject only, and deletes nothing anywhere', () => {
        expect(statementsNaming(names().attachmentsBucketName)).toEqual([
          {
            actions: ['s3:GetObject', 's3:PutObject'],
            resources: [objects(names().attachmentsBucketName, '*')],
          },
        ]);
        const s3Actions = holdingStatements('s3:').flatMap((statement) => asArray(statement.Action));
        expect(s3Actions.sort()).toEqual(['s3:GetObject', 's3:GetObject', 's3:PutObject']);
      });

      it('decrypts and makes data keys with the mail key only, granted on the role', () => {
        expect(statementsNaming(names().mailKeyArn)).toEqual([
          { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [`{ssm:${names().mailKeyArn}}`] },
        ]);
      });

      it('leaves the email stack alone: no reference to the staff stack, its key policy unchanged', () => {
        const { synth } = staffApi(stage);
        const { emailIntake, staffApi: staffStack } = synth.stacks;
        expect(staffStack.dependencies).toContain(emailIntake);
        expect(emailIntake.dependencies).not.toContain(staffStack);
        expect(importedStacks(synth.emailIntakeTemplate.toJSON())).not.toContain(staffStack.stackName);
        expect(importedStacks(synth.staffApiTemplate.toJSON())).not.toContain(emailIntake.stackName);
        const keyPolicy = policyStatements(
          onlyResource(synth.emailIntakeTemplate, 'AWS::KMS::Key')[1],
          'KeyPolicy',
        );
        expect(keyPolicy.map((statement) => statement.Sid ?? statement.Principal)).toEqual([
          { AWS: expect.anything() },
          'AllowSesToWriteInboundMailForTheIntakeRule',
        ]);
      });
    });

    it('may be invoked by its own HTTP API only (the daily digest and the execution archive, by their rules only)', () => {
      const { template, httpApiId, digestFunctionId, digestRuleId } = staffApi(stage);
      const all = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'));
      const isDigest = (permission: (typeof all)[number]) =>
        JSON.stringify(permission.Properties['FunctionName']).includes(`"${digestFunctionId}"`);
      expect(all.filter(isDigest).map((permission) => permission.Properties)).toEqual([
        expect.objectContaining({
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [digestRuleId, 'Arn'] },
        }),
      ]);
      // The execution archive is invoked by its EventBridge rule (test/infra/execution-archive.test.ts).
      const archiverId = logicalIdOf(synthStage(stage).stacks.staffApi.executionArchive.archiver.function);
      const permissions = all.filter(
        (permission) =>
          !isDigest(permission) &&
          JSON.stringify(permission.Properties['FunctionName']).includes(archiverId) === false,
      );
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) {
        expect(permission.Properties['Principal']).toBe('apigateway.amazonaws.com');
        expect(flattenCfnReference(permission.Properties['SourceArn'])).toMatch(
          new RegExp(`^${escape(`${ARN_PREFIX}execute-api:${ACCOUNT_REGION}:<${httpApiId}>/`)}`),
        );
      }
    });
  });

  describe('audit-api Lambda', () => {
    const executions = () =>
      `${ARN_PREFIX}states:${ACCOUNT_REGION}:execution:jalon-${stage}-case-lifecycle:*`;
    function auditStatements(): PolicyStatementJson[] {
      const { template, auditRoleId } = staffApi(stage);
      return roleStatements(template, auditRoleId);
    }
    function actionsOn(resource: string): string[] {
      return auditStatements()
        .filter((statement) => flatResources(statement).includes(resource))
        .flatMap((statement) => asArray(statement.Action))
        .sort();
    }

    it('has an environment AuditApiEnvSchema accepts, under the HTTP API limit', () => {
      const { template, auditFunctionId } = staffApi(stage);
      const properties = resourcesOfType(template, 'AWS::Lambda::Function')[auditFunctionId]!.Properties;
      const variables = (properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables).sort()).toEqual(
        expect.arrayContaining(Object.keys(AuditApiEnvSchema.shape).sort()),
      );
      expect(variables).toMatchObject({
        CASES_TABLE_NAME: tableName(stage, CASES_TABLE),
        LEDGER_TABLE_NAME: tableName(stage, LEDGER_TABLE),
      });
      expect(flattenCfnReference(variables['STATE_MACHINE_ARN'])).toBe(caseLifecycleArn(stage));
      expect(variables['REPORTS_TABLE_NAME']).toBe(tableName(stage, REPORTS_TABLE));
      expect(variables['REPORT_REPLAY_STATE_MACHINE_ARN']).toEqual({ Ref: staffApi(stage).reportReplayId });
      expect(properties['Timeout']).toBeLessThan(30);
    });

    it('reads the ledger and may only append to it; reads and refreshes case projections; reads and records the access journal; reads the report aggregates and the staff directory; no other table', () => {
      const table = (name: string) => `${ARN_PREFIX}dynamodb:${ACCOUNT_REGION}:table/${name}`;
      expect(actionsOn(table(tableName(stage, LEDGER_TABLE)))).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Scan',
      ]);
      expect(actionsOn(table(tableName(stage, CASES_TABLE)))).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
      ]);
      // A timeline by reference: one index, queried.
      const byReference = `${table(tableName(stage, CASES_TABLE))}/index/ByReference`;
      expect(actionsOn(byReference)).toEqual(['dynamodb:Query']);
      const control = table(tableName(stage, CONTROL_TABLE));
      // The report's listing of confidential references is journaled (the day's counter, then the record).
      expect(actionsOn(control)).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      // Of the control table, the access journal's items only (not the reply tokens or counters).
      expect(
        auditStatements().find((statement) => flatResources(statement).includes(control))?.Condition,
      ).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['access-list#*'] } });
      // The report aggregates (a period by its indexes, cases by id) and the latest replay result: read; the
      // day summaries (`#day#` items only) written.
      const reports = table(tableName(stage, REPORTS_TABLE));
      const reportIndexes = [`${reports}/index/ByReceivedDay`, `${reports}/index/BySettledMonth`];
      expect(actionsOn(reports)).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      for (const resource of reportIndexes) expect(actionsOn(resource)).toEqual(['dynamodb:Query']);
      const update = auditStatements().find(
        (statement) =>
          asArray(statement.Action).includes('dynamodb:UpdateItem') &&
          flatResources(statement).includes(reports),
      );
      expect(asArray(update?.Action)).toEqual(['dynamodb:UpdateItem']);
      expect(update?.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#day#*'] },
      });
      const dynamoResources = auditStatements()
        .filter((statement) => asArray(statement.Action).some((action) => action.startsWith('dynamodb:')))
        .flatMap(flatResources);
      expect([...new Set(dynamoResources)].sort()).toEqual(
        [
          table(tableName(stage, CASES_TABLE)),
          byReference,
          table(tableName(stage, LEDGER_TABLE)),
          control,
          reports,
          ...reportIndexes,
          table(tableName(stage, STAFF_TABLE)),
        ].sort(),
      );
    });

    it('reads the case-lifecycle executions; starts (or finds running) the report replay and the ledger verification, and describes the latter’s runs only; stops nothing', () => {
      const states = auditStatements().filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith('states:')),
      );
      const byResource = new Map<string, string[]>();
      for (const statement of states) {
        for (const resource of flatResources(statement)) {
          byResource.set(
            resource,
            [...(byResource.get(resource) ?? []), ...asArray(statement.Action)].sort(),
          );
        }
      }
      const replayMachine = `<${staffApi(stage).reportReplayId}>`;
      expect(Object.fromEntries(byResource)).toEqual({
        [executions()]: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        [replayMachine]: ['states:ListExecutions', 'states:StartExecution'],
        [`<${staffApi(stage).verificationId}>`]: ['states:ListExecutions', 'states:StartExecution'],
        // A run stored as running whose execution ended without storing its end is answered failed.
        [executions().replace('-case-lifecycle:', '-ledger-verification:')]: ['states:DescribeExecution'],
      });
      const everything = auditStatements().flatMap((statement) => asArray(statement.Action));
      expect(everything.filter((action) => /^(ses|sqs|lambda):|StopExecution/.test(action))).toEqual([]);
      // S3: the archived histories of forgotten executions, read only (docs/ledger-mirror.md).
      const s3 = auditStatements().filter((statement) =>
        asArray(statement.Action).some((a) => a.startsWith('s3:')),
      );
      expect(s3.map((statement) => asArray(statement.Action))).toEqual([['s3:GetObject']]);
      expect(flatResources(s3[0]!).map((resource) => flattenCfnReference(resource))).toEqual([
        expect.stringMatching(/ledger-mirror-<AWS::AccountId>-<AWS::Region>\/executions\/v1\/\*$/) as unknown,
      ]);
    });
  });

  it('raises Lambda errors, API 5xx, a failed, stopped or timed-out report replay, ledger verification or mirror back-fill and waiting aggregate failures to the ops alerts topic', () => {
    const { synth, template } = staffApi(stage);
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    expect(
      alarms.map((alarm) => `${alarm.Properties['Namespace']}/${alarm.Properties['MetricName']}`).sort(),
    ).toEqual([
      'AWS/ApiGateway/5xx',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/SQS/ApproximateAgeOfOldestMessage',
      // The ledger mirror's failures and the execution archive's dead letters (docs/ledger-mirror.md).
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      // The report replay, the ledger verification and the mirror back-fill.
      'AWS/States/ExecutionsAborted',
      'AWS/States/ExecutionsAborted',
      'AWS/States/ExecutionsAborted',
      'AWS/States/ExecutionsFailed',
      'AWS/States/ExecutionsFailed',
      'AWS/States/ExecutionsFailed',
      'AWS/States/ExecutionsTimedOut',
      'AWS/States/ExecutionsTimedOut',
      'AWS/States/ExecutionsTimedOut',
      'Jalon/LedgerMirrorEvents',
    ]);
    for (const alarm of alarms)
      expectOpsAlertsTopic(synth, (alarm.Properties['AlarmActions'] as unknown[])[0]);
  });
});

/** The stacks whose outputs a template reads (`Fn::GetStackOutput`, CDK's weak cross-stack references). */
function importedStacks(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(importedStacks);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'Fn::GetStackOutput'
      ? [String((value as { StackName?: unknown }).StackName)]
      : importedStacks(value),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
