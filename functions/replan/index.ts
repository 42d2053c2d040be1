import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseLedger, DynamoDbLedgerScanner } from '../../shared/adapters/dynamodb';
import { createLogger } from '../../shared/adapters/observability/logger';
import { SfnWorkflow } from '../../shared/adapters/sfn/sfn-workflow';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars } from '../../shared/domain/time';
import { parseEnv, ReplanEnvSchema } from '../../shared/schemas/env';
import { makeHandler } from './handler';

const env = parseEnv(ReplanEnvSchema);
const logger = createLogger('replan');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const tables = { cases: env.CASES_TABLE_NAME, ledger: env.LEDGER_TABLE_NAME };
const scanner = new DynamoDbLedgerScanner({ client: documentClient, tables });

/** EventBridge schedule (daily) or a manual invocation; the event's content is not used. */
export const handler = makeHandler({
  ledger: new DynamoDbCaseLedger({
    client: documentClient,
    tables,
    onProjectionFailure: (failure) =>
      logger.warn('projection write failed; the next read repairs it', { ...failure }),
  }),
  calendars: bundledCalendars(),
  clock: { now: () => new Date() },
  workflow: new SfnWorkflow({ client: new SFNClient({}), stateMachineArn: env.STATE_MACHINE_ARN }),
  workingHours: loadSctPolicy().organization.workingHours,
  caseIds: () => scanner.caseIds(),
  log: (message, fields) => logger.info(message, fields),
  onCaseFailure: (caseId, error) =>
    logger.error('case not re-planned', {
      caseId,
      errorName: error instanceof Error ? error.name : 'unknown',
    }),
});
