import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { loggedStaffDirectory } from '../dynamodb/staff-directory';
import type { DynamoDbStaffDirectory, StaffDirectoryLogger } from '../dynamodb/staff-directory';
import type { TableNames } from '../dynamodb/table-definitions';

/** The staff directory (members, display names, notification groups), read from the staff table. */
export function staffDirectoryOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'staff'>;
  readonly logger: StaffDirectoryLogger;
}): DynamoDbStaffDirectory {
  return loggedStaffDirectory({
    client: input.client,
    tables: { staff: input.tables.staff },
    logger: input.logger,
  });
}
