import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { createLogger, withLambdaContext } from '../../shared/adapters/observability/logger';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { requiredOriginCheck } from '../../shared/adapters/secrets/origin-check';
import { AuditApiEnvSchema } from '../../shared/schemas/audit-api';
import { parseEnv } from '../../shared/schemas/env';
import { auditApiFunction } from './wiring';

const env = parseEnv(AuditApiEnvSchema);
const logger = createLogger('audit-api');

/**
 * Lambda entry point of the audit API (clients and policy built once per container). Its role reads the
 * tables (and, in the control table, the access journal's items only); the one write it makes is the ledger
 * record of a confidential read (`case.read`), and projection repairs after it, as every confidential read
 * does. It reads the report aggregates and starts the report-replay state machine.
 */
const handle = auditApiFunction({
  clients: {
    dynamo: documentClientOn(new DynamoDBClient({})),
    s3: new S3Client({}),
    sfn: new SFNClient({}),
  },
  config: {
    tables: {
      cases: env.CASES_TABLE_NAME,
      ledger: env.LEDGER_TABLE_NAME,
      control: env.CONTROL_TABLE_NAME,
      staff: env.STAFF_TABLE_NAME,
      reports: env.REPORTS_TABLE_NAME,
    },
    buckets: { ledgerMirror: env.LEDGER_MIRROR_BUCKET },
    stateMachineArn: env.STATE_MACHINE_ARN,
    reportReplayStateMachineArn: env.REPORT_REPLAY_STATE_MACHINE_ARN,
    ...(env.LEDGER_VERIFICATION_STATE_MACHINE_ARN !== undefined
      ? { ledgerVerificationStateMachineArn: env.LEDGER_VERIFICATION_STATE_MACHINE_ARN }
      : {}),
  },
  logger,
  // Only requests CloudFront forwarded (through the staff WAF) carry its secret header.
  originCheck: requiredOriginCheck(env),
});

/** The Lambda entry point: every log line carries the invocation's context (request id…). */
export const handler = withLambdaContext(logger, handle);
