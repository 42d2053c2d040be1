import { isDeepStrictEqual } from 'node:util';

import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';

import { readDeploymentContext } from '../../infra/aws/deployment-context';
import { functionEntry } from '../../infra/aws/function-entries';
import { addJalonStacks, type JalonStacks } from '../../infra/aws/jalon-app';
import { JalonFunction } from '../../infra/aws/constructs/jalon-function';
import {
  LedgerStreamConsumer,
  LedgerStreamReadersExceededError,
  MAX_LEDGER_STREAM_READERS,
  type LedgerStreamConsumerProps,
} from '../../infra/aws/constructs/ledger-stream-consumer';
import { acknowledgeFunctionTracing } from '../../infra/aws/nag-acknowledgements';
import type { DataStack } from '../../infra/aws/stacks/data-stack';
import {
  logicalIdOf,
  newApp,
  resourcesOfType,
  stageContext,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

/**
 * The ledger table's stream and its readers (`docs/ledger-stream.md`): DynamoDB Streams serves at most two
 * readers per shard, so the stream keeps two direct readers and a third consumer reads from a fan-out.
 */

/**
 * Every direct reader of the ledger table's stream, in every stack: a Lambda event source mapping or an
 * EventBridge pipe whose source is the stream's ARN, given in the data stack itself or through a cross-stack
 * reference to one of its outputs. Each as `<stack name>/<logical id of the function or pipe>`.
 */
function ledgerStreamReaders(data: DataStack): string[] {
  const streamArn = { 'Fn::GetAtt': [logicalIdOf(data.tables.ledger), 'StreamArn'] };
  const outputs = (Template.fromStack(data).toJSON()['Outputs'] ?? {}) as Record<
    string,
    { Value: unknown; Export?: { Name: unknown } }
  >;
  const isLedgerStream = (stack: Stack, arn: unknown): boolean => {
    if (isDeepStrictEqual(arn, streamArn)) return stack === data;
    const reference = arn as {
      'Fn::GetStackOutput'?: { StackName?: string; OutputName?: string };
      'Fn::ImportValue'?: unknown;
    };
    const byOutput = reference['Fn::GetStackOutput'];
    if (byOutput?.StackName === data.stackName) {
      return isDeepStrictEqual(outputs[byOutput.OutputName ?? '']?.Value, streamArn);
    }
    const imported = reference['Fn::ImportValue'];
    return Object.values(outputs).some(
      (output) =>
        imported !== undefined &&
        isDeepStrictEqual(output.Export?.Name, imported) &&
        isDeepStrictEqual(output.Value, streamArn),
    );
  };
  const readers: string[] = [];
  const stacks = data.node.root.node.children.filter((child): child is Stack => Stack.isStack(child));
  for (const stack of stacks) {
    const template = Template.fromStack(stack);
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');
    for (const mapping of Object.values(mappings)) {
      if (!isLedgerStream(stack, mapping.Properties['EventSourceArn'])) continue;
      readers.push(`${stack.stackName}/${(mapping.Properties['FunctionName'] as { Ref: string }).Ref}`);
    }
    for (const [pipeId, pipe] of Object.entries(resourcesOfType(template, 'AWS::Pipes::Pipe'))) {
      if (isLedgerStream(stack, pipe.Properties['Source'])) readers.push(`${stack.stackName}/${pipeId}`);
    }
  }
  return readers.sort();
}

/** A Lambda reading the ledger stream directly, as a third consumer added without the fan-out would. */
function addDirectReader(scope: Construct, stacks: JalonStacks): void {
  const reader = new JalonFunction(scope, 'ThirdLedgerReader', {
    functionName: 'jalon-dev-third-ledger-reader',
    description: 'A third direct reader of the ledger stream.',
    entry: functionEntry('ledger-mirror').entry,
    environment: {},
    memorySize: 256,
    timeout: Duration.seconds(60),
    logGroupName: '/jalon/dev/lambda/third-ledger-reader',
    logRetention: logs.RetentionDays.ONE_MONTH,
    logKey: stacks.ops.opsKey,
    retainLogs: false,
  });
  acknowledgeFunctionTracing(reader.role);
  reader.function.addEventSource(
    new DynamoEventSource(stacks.data.tables.ledger, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    }),
  );
}

class ThirdConsumer extends LedgerStreamConsumer {
  constructor(scope: Construct, id: string, props: LedgerStreamConsumerProps) {
    super(scope, id, props);
  }
}

beforeAll(() => {
  synthStage('dev');
}, SYNTH_TIMEOUT_MS);

describe('readers of the ledger stream (dev stage)', () => {
  it(`are the report aggregates and the mirror, no more than the ${MAX_LEDGER_STREAM_READERS} a shard serves`, () => {
    const { stacks } = synthStage('dev');
    const { staffApi } = stacks;
    const readers = ledgerStreamReaders(stacks.data);
    expect(readers).toEqual(
      [
        `${staffApi.stackName}/${logicalIdOf(staffApi.ledgerMirror.consumer.function)}`,
        `${staffApi.stackName}/${logicalIdOf(staffApi.reportAggregates.consumer.function)}`,
      ].sort(),
    );
    expect(readers.length).toBeLessThanOrEqual(MAX_LEDGER_STREAM_READERS);
  });

  it(
    'are all found, in any stack: a third direct reader shows as one more',
    () => {
      const app = newApp(stageContext('dev'));
      const stacks = addJalonStacks(app);
      const { env } = readDeploymentContext(app.node);
      addDirectReader(new Stack(app, 'JalonThirdReader', { env }), stacks);
      const readers = ledgerStreamReaders(stacks.data);
      expect(readers).toHaveLength(MAX_LEDGER_STREAM_READERS + 1);
      expect(readers.filter((reader) => reader.startsWith('JalonThirdReader/'))).toHaveLength(1);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('a third LedgerStreamConsumer on the same table fails the synth, naming the fan-out', () => {
    const app = newApp(stageContext('dev'));
    const stacks = addJalonStacks(app);
    const third = () =>
      new ThirdConsumer(stacks.staffApi, 'ThirdConsumer', {
        stage: 'dev',
        name: 'third-consumer',
        description: 'A third consumer of the ledger stream.',
        entry: functionEntry('ledger-mirror').entry,
        environment: {},
        memorySize: 256,
        ledger: stacks.data.tables.ledger,
        logGroupName: '/jalon/dev/lambda/third-consumer',
        logRetention: logs.RetentionDays.ONE_MONTH,
        logKey: stacks.ops.opsKey,
        retainLogs: false,
      });
    expect(third).toThrow(LedgerStreamReadersExceededError);
    expect(third).toThrow('docs/ledger-stream.md');
    expect(stacks.staffApi.node.tryFindChild('ThirdConsumer')).toBeUndefined();
  });
});
