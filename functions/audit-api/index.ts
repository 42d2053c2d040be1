import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import {
  DynamoDbAccessJournal,
  DynamoDbCaseLedger,
  DynamoDbCaseReferenceLookup,
  DynamoDbLedgerScanner,
} from '../../shared/adapters/dynamodb';
import { StaticStaffDirectory } from '../../shared/adapters/config/static-directory';
import { createLogger } from '../../shared/adapters/observability/logger';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { AuditApiEnvSchema } from '../../shared/schemas/audit-api';
import { parseEnv } from '../../shared/schemas/env';
import { makeHandler } from './handler';

const env = parseEnv(AuditApiEnvSchema);
const logger = createLogger('audit-api');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const tables = { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME };

/**
 * Lambda entry point of the audit API (clients and policy built once per container). Its role reads the
 * tables (and, in the control table, the access journal's items only); the one write it makes is the ledger
 * record of a confidential read (`case.read`), and projection repairs after it, as every confidential read
 * does.
 */
export const handler = makeHandler({
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables,
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  scanner: new DynamoDbLedgerScanner({ client: documentClient, tables }),
  executions: new SfnExecutionHistory({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  clock: { now: () => new Date() },
  policy: loadSctPolicy(),
  calendars: bundledCalendars(),
  accessJournal: new DynamoDbAccessJournal({
    client: documentClient,
    tables: { control: env.CONTROL_TABLE_NAME },
  }),
  caseReferences: new DynamoDbCaseReferenceLookup({ client: documentClient, tables }),
  // Only the members' display names are used here (no notification groups).
  directory: new StaticStaffDirectory({}, JSON.parse(env.STAFF_MEMBERS ?? '[]')),
  logger,
});
