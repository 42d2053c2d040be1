import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { STAFF_PARTITIONS } from '../../../shared/adapters/dynamodb/staff-directory';

/** What a function may do on the staff table: read items, never write them. */
export const STAFF_DIRECTORY_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * Lets a function read the staff directory (`docs/staff-directory.md`): `GetItem` and `Query` on the staff
 * table, in the member and group partitions only (`dynamodb:LeadingKeys`), so no function reads the record of
 * changes and none may write. Operators edit the table with `npx jalon staff` under their own credentials.
 */
export function grantStaffDirectoryRead(grantee: iam.IGrantable, staff: dynamodb.ITable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadStaffDirectory',
      actions: [...STAFF_DIRECTORY_READ_ACTIONS],
      resources: [staff.tableArn],
      conditions: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [STAFF_PARTITIONS.member, STAFF_PARTITIONS.group],
        },
      },
    }),
  );
  staff.encryptionKey?.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey');
}
