import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  executionInput,
  executionName,
  type Workflow,
  type WorkflowStart,
} from '../../domain/workflow/ports';

/** `Workflow` on Step Functions: one execution per case (per generation), named after the case id. */
export class SfnWorkflow implements Workflow {
  constructor(private readonly options: { client: SFNClient; stateMachineArn: string }) {}

  async start(start: WorkflowStart): Promise<void> {
    const { caseId, generation = 1 } = start;
    const input = executionInput(start, new Date());
    try {
      await this.options.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.options.stateMachineArn,
          name: executionName(caseId, generation),
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Same name already used: the case's workflow exists, which is what was asked.
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }
}
