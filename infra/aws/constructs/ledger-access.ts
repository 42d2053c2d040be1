import { DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { Stage } from '../deployment-context';

/**
 * Who may do what to the ledger, the legal record of every case (`docs/ledger-evidence.md`). The ledger
 * adapter only ever reads a case's events (`Query`), lists cases (`Scan`) and appends an event with a
 * `PutItem` conditioned on its key being free; nothing in the code updates, deletes or batch-writes a ledger
 * item, so no function role may either.
 */

/** What reading the ledger takes: a case's events (`Query`), one event (`GetItem`). */
export const LEDGER_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** Listing every case (the first event of each): the verification and the report replay only. */
export const LEDGER_LIST_ACTIONS = ['dynamodb:Scan'] as const;

/**
 * Appending an event. IAM cannot require the put's condition (`attribute_not_exists`): an overwrite by a
 * writer role stays possible and is what the hash chain and the verification catch.
 */
export const LEDGER_APPEND_ACTIONS = ['dynamodb:PutItem'] as const;

/** What changes or removes ledger items: denied to every principal but the break-glass role. */
export const LEDGER_ITEM_DESTRUCTIVE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLUpdate',
  'dynamodb:UpdateItem',
] as const;

/**
 * What changes the table so that items can go: deletion protection, point-in-time recovery, a TTL (a TTL on
 * `seq` would expire every event), the resource policy itself. Denied to every principal but the break-glass
 * role and CloudFormation's execution role, so the table's configuration changes through a reviewed
 * deployment or not at all.
 */
export const LEDGER_TABLE_GUARDED_ACTIONS = [
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:PutResourcePolicy',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:UpdateTable',
  'dynamodb:UpdateTimeToLive',
] as const;

const DELETE_TABLE = 'dynamodb:DeleteTable';

export interface LedgerGrantOptions {
  /** Also `Scan`, for a function that lists every case of the ledger. */
  readonly listCases?: boolean;
}

function readActions(options: LedgerGrantOptions): string[] {
  return [...LEDGER_READ_ACTIONS, ...(options.listCases === true ? LEDGER_LIST_ACTIONS : [])];
}

/**
 * A function that only reads the ledger: `GetItem` and `Query` (and `Scan` when it lists cases) on the table,
 * decrypt with its key. No write of any kind.
 */
export function grantLedgerRead(
  grantee: iam.IGrantable,
  ledger: dynamodb.ITable,
  options: LedgerGrantOptions = {},
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadLedger',
      actions: readActions(options),
      resources: [ledger.tableArn],
    }),
  );
  ledger.encryptionKey?.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey');
}

/**
 * A function that appends events to the ledger: the reads of `grantLedgerRead` and `PutItem`, nothing that
 * updates, deletes or batch-writes an item; encrypt and decrypt with the table's key.
 */
export function grantLedgerAppend(
  grantee: iam.IGrantable,
  ledger: dynamodb.ITable,
  options: LedgerGrantOptions = {},
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadAndAppendLedger',
      actions: [...readActions(options), ...LEDGER_APPEND_ACTIONS],
      resources: [ledger.tableArn],
    }),
  );
  ledger.encryptionKey?.grant(
    grantee,
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  );
}

/** The name of a stage's break-glass role, fixed so the docs and the runbook can name it. */
export function ledgerBreakGlassRoleName(stage: Stage): string {
  return `jalon-${stage}-ledger-break-glass`;
}

export interface LedgerGuardProps {
  readonly stage: Stage;
  /** The ledger table, created in the same stack (its resource policy is set here). */
  readonly ledger: dynamodb.Table;
  /** Its physical name: the resource policy names the table by ARN, which a `GetAtt` of itself cannot give. */
  readonly ledgerTableName: string;
  readonly dataKey: kms.IKey;
  /** dev only: CloudFormation may delete the table (a destroyed dev stack takes its data with it). */
  readonly deployerMayDeleteTable: boolean;
}

/**
 * The ledger table's resource policy and its one exception, the break-glass role.
 *
 * The policy denies every principal the item-destructive actions (`LEDGER_ITEM_DESTRUCTIVE_ACTIONS`) and
 * `DeleteTable`, and every principal but CloudFormation's execution role the table changes that let items go
 * (`LEDGER_TABLE_GUARDED_ACTIONS`); an explicit deny wins over any identity policy, an administrator's
 * included. The break-glass role is exempt: assumable by the account's IAM principals that are allowed
 * `sts:AssumeRole` on it (administrators), with MFA of less than an hour, for one hour at most; each
 * assumption is in CloudTrail.
 */
export class LedgerGuard extends Construct {
  public readonly breakGlassRole: iam.Role;

  constructor(scope: Construct, id: string, props: LedgerGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ledgerArn = stack.formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: props.ledgerTableName,
    });
    this.breakGlassRole = new iam.Role(this, 'BreakGlassRole', {
      roleName: ledgerBreakGlassRoleName(props.stage),
      description:
        `Jalon ${props.stage}: the only principal that may update or delete ledger items (incident ` +
        'response, docs/ledger-evidence.md). Assume with MFA; every use is in CloudTrail.',
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.breakGlassRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RepairLedger',
        actions: [
          ...LEDGER_READ_ACTIONS,
          ...LEDGER_LIST_ACTIONS,
          ...LEDGER_APPEND_ACTIONS,
          ...LEDGER_ITEM_DESTRUCTIVE_ACTIONS,
          ...LEDGER_TABLE_GUARDED_ACTIONS,
          DELETE_TABLE,
          'dynamodb:DescribeTable',
        ],
        resources: [ledgerArn],
      }),
    );
    props.dataKey.grant(
      this.breakGlassRole,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    );

    const breakGlass = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: ledgerBreakGlassRoleName(props.stage),
    });
    // The execution role `cdk deploy` hands to CloudFormation, named as the default bootstrap names it.
    const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const deployer = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: `cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`,
    });
    const denyAllBut = (sid: string, actions: readonly string[], exempt: readonly string[]) =>
      props.ledger.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...actions],
          resources: [ledgerArn],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...exempt] } },
        }),
      );
    const tableDeleters = props.deployerMayDeleteTable ? [breakGlass, deployer] : [breakGlass];
    denyAllBut('OnlyBreakGlassChangesItems', LEDGER_ITEM_DESTRUCTIVE_ACTIONS, [breakGlass]);
    denyAllBut('OnlyDeploymentsChangeTable', LEDGER_TABLE_GUARDED_ACTIONS, [breakGlass, deployer]);
    denyAllBut('OnlyBreakGlassDeletesTable', [DELETE_TABLE], tableDeleters);
  }
}
