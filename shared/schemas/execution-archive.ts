import * as z from '../zod-mini';

/** Environment of the execution-archive Lambda (EventBridge: a case-lifecycle execution closed). */
export const ExecutionArchiveEnvSchema = z.object({
  /** The case-lifecycle state machine whose closed executions are archived. */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /** The ledger mirror bucket; histories go under `executions/v1/`. */
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
});
export type ExecutionArchiveEnv = z.infer<typeof ExecutionArchiveEnvSchema>;

/** The part of EventBridge's "Step Functions Execution Status Change" event the archiver reads. */
export const ExecutionStatusChangeSchema = z.object({
  detail: z.object({
    name: z.string().check(z.minLength(1)),
    status: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.startsWith('arn:')),
  }),
});
