import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';

import type {
  ExecutionHistoryEvent,
  ExecutionHistoryReader,
  ExecutionSummary,
} from '../../domain/audit/ports';

/**
 * `ExecutionHistoryReader` on Step Functions: executions of one state machine addressed by name (their ARN is
 * the state machine's with `:stateMachine:` turned into `:execution:`, plus `:<name>`), so no listing of the
 * whole state machine is needed. Histories are read without execution data (no inputs, outputs or task
 * parameters), every page.
 */
export class SfnExecutionHistory implements ExecutionHistoryReader {
  private readonly executionPrefix: string;

  constructor(private readonly options: { readonly client: SFNClient; readonly stateMachineArn: string }) {
    if (!options.stateMachineArn.includes(':stateMachine:'))
      throw new Error('Expected a state machine ARN (…:stateMachine:<name>).');
    this.executionPrefix = options.stateMachineArn.replace(':stateMachine:', ':execution:');
  }

  async describe(name: string): Promise<ExecutionSummary | undefined> {
    try {
      const output = await this.options.client.send(
        new DescribeExecutionCommand({ executionArn: `${this.executionPrefix}:${name}` }),
      );
      return {
        executionArn: output.executionArn ?? `${this.executionPrefix}:${name}`,
        name: output.name ?? name,
        status: output.status ?? 'UNKNOWN',
        startDate: (output.startDate ?? new Date(0)).toISOString(),
        ...(output.stopDate !== undefined ? { stopDate: output.stopDate.toISOString() } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  async history(executionArn: string): Promise<ExecutionHistoryEvent[]> {
    const events: ExecutionHistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const output = await this.options.client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          includeExecutionData: false,
          maxResults: 1000,
          ...(nextToken !== undefined ? { nextToken } : {}),
        }),
      );
      for (const event of output.events ?? []) events.push(toHistoryEvent(event));
      nextToken = output.nextToken;
    } while (nextToken !== undefined);
    return events;
  }
}

function toHistoryEvent(event: HistoryEvent): ExecutionHistoryEvent {
  const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
  return {
    id: event.id ?? 0,
    timestamp: (event.timestamp ?? new Date(0)).toISOString(),
    type: event.type ?? 'Unknown',
    ...(state !== undefined ? { state } : {}),
  };
}
