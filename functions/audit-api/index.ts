import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbLedgerScanner } from '../../shared/adapters/dynamodb/ledger-scanner';
import { DynamoDbLedgerVerifications } from '../../shared/adapters/dynamodb/ledger-verifications';
import { DynamoDbReportAggregates } from '../../shared/adapters/dynamodb/report-aggregates';
import { loggedStaffDirectory } from '../../shared/adapters/dynamodb/staff-directory';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { SfnReportReplayStarter } from '../../shared/adapters/sfn/report-replay-starter';
import { SfnSingleRunStarter } from '../../shared/adapters/sfn/single-run-starter';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import { LedgerReportSource } from '../../shared/domain/report/ledger-source';
import { bundledCalendars } from '../../shared/domain/time/calendars';
import { AuditApiEnvSchema } from '../../shared/schemas/audit-api';
import { parseEnv } from '../../shared/schemas/env';
import { reportPortsInAws } from './report-wiring';
import { auditApiFunction } from './wiring';

const env = parseEnv(AuditApiEnvSchema);
const logger = createLogger('audit-api');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const tables = { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME };
const sfnClient = new SFNClient({});
const clock = { now: () => new Date() };
const scanner = new DynamoDbLedgerScanner({ client: documentClient, tables });
const reportAggregates = new DynamoDbReportAggregates({
  client: documentClient,
  tables: { reports: env.REPORTS_TABLE_NAME },
  clock,
});

/**
 * Lambda entry point of the audit API (clients and policy built once per container). Its role reads the
 * tables (and, in the control table, the access journal's items only); the one write it makes is the ledger
 * record of a confidential read (`case.read`), and projection repairs after it, as every confidential read
 * does. It reads the report aggregates and starts the report-replay state machine.
 */
const handle = auditApiFunction({
  client: documentClient,
  tables: { cases: env.CASES_TABLE_NAME, control: env.CONTROL_TABLE_NAME },
  sfn: sfnClient,
  stateMachineArn: env.STATE_MACHINE_ARN,
  executionArchive: new S3WriteOnceStore({
    client: new S3Client({}),
    bucket: env.LEDGER_MIRROR_BUCKET,
    label: 'ledger-mirror',
  }),
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables,
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  scanner,
  ...reportPortsInAws({
    aggregates: reportAggregates,
    ledger: new LedgerReportSource(scanner),
    replay: new SfnReportReplayStarter({
      client: sfnClient,
      stateMachineArn: env.REPORT_REPLAY_STATE_MACHINE_ARN,
    }),
  }),
  ...(env.LEDGER_VERIFICATION_STATE_MACHINE_ARN !== undefined
    ? {
        ledgerVerification: {
          verifications: new SfnSingleRunStarter({
            client: sfnClient,
            stateMachineArn: env.LEDGER_VERIFICATION_STATE_MACHINE_ARN,
          }),
          verificationStore: new DynamoDbLedgerVerifications({
            client: documentClient,
            tables: { reports: env.REPORTS_TABLE_NAME },
          }),
        },
      }
    : {}),
  clock,
  policy: bundledSctPolicy(),
  calendars: bundledCalendars(),
  // Only the members' display names are used here (no notification groups).
  directory: loggedStaffDirectory({
    client: documentClient,
    tables: { staff: env.STAFF_TABLE_NAME },
    logger,
  }),
  logger,
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
