import { EmailIntakeEnvSchema } from '../../../functions/email-intake/env';
import { BENCH_LAMBDA_ENV } from '../../../bench/lambda-env';
import {
  AuditApiEnvSchema,
  ReportAggregatesEnvSchema,
  ReportReplayEnvSchema,
  ReportReplayStartEnvSchema,
} from '../../../shared/schemas/audit-api';
import { ReplanEnvSchema, WorkflowTasksEnvSchema } from '../../../shared/schemas/env';
import { ExecutionArchiveEnvSchema } from '../../../shared/schemas/execution-archive';
import { LedgerMirrorEnvSchema } from '../../../shared/schemas/ledger-mirror';
import { FormIntakeEnvSchema, LambdaSessionEnvSchema } from '../../../shared/schemas/form';
import { HoldingApiEnvSchema } from '../../../shared/schemas/holding-api';
import { StaffApiEnvSchema } from '../../../shared/schemas/staff-api';

describe('the environment the cold start bench loads the bundles with', () => {
  it.each([
    ['audit-api', AuditApiEnvSchema],
    ['email-intake', EmailIntakeEnvSchema],
    ['form-intake', FormIntakeEnvSchema],
    ['form-intake (Lambda session)', LambdaSessionEnvSchema],
    ['execution-archive', ExecutionArchiveEnvSchema],
    ['holding-api', HoldingApiEnvSchema],
    ['ledger-mirror', LedgerMirrorEnvSchema],
    ['replan', ReplanEnvSchema],
    ['report-aggregates', ReportAggregatesEnvSchema],
    ['report-replay', ReportReplayEnvSchema],
    ['report-replay-start', ReportReplayStartEnvSchema],
    ['staff-api', StaffApiEnvSchema],
    ['workflow-tasks', WorkflowTasksEnvSchema],
  ])('is accepted by the %s env schema', (_name, schema) => {
    expect(schema.safeParse(BENCH_LAMBDA_ENV).error?.issues ?? []).toEqual([]);
  });
});
