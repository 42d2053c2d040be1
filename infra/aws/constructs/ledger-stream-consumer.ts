import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';

import { JalonFunction } from './jalon-function';

/**
 * Lambda functions that may read the ledger table's stream directly (`docs/ledger-stream.md`): DynamoDB Streams
 * serves no more than two readers per shard without throttling them. A third consumer reads from a fan-out.
 */
export const MAX_LEDGER_STREAM_READERS = 2;

/** A third direct reader of the ledger stream was built: it must read from the fan-out instead. */
export class LedgerStreamReadersExceededError extends Error {
  override readonly name = 'LedgerStreamReadersExceededError';

  constructor(readers: readonly string[]) {
    super(
      `The ledger stream would have ${readers.length} direct readers (${readers.join(', ')}); DynamoDB Streams ` +
        `serves at most ${MAX_LEDGER_STREAM_READERS} per shard: read it through a fan-out ` +
        '(docs/ledger-stream.md).',
    );
  }
}

/** The direct readers built so far, by ledger table, so that a third fails the synth where it is added. */
const readersByTable = new WeakMap<IConstruct, string[]>();

export interface LedgerStreamConsumerProps {
  readonly stage: string;
  /** The consumer's name: its function is `jalon-<stage>-<name>`, its failure queue `jalon-<stage>-<name>-failures`. */
  readonly name: string;
  readonly description: string;
  readonly entry: string;
  /** Fully validated by the function's env schema at cold start. */
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  /** The ledger table, whose keys-only stream the function reads. */
  readonly ledger: dynamodb.ITable;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
  /** How long a failure message stays hidden once received, when a function consumes the failure queue. */
  readonly failureVisibilityTimeout?: Duration;
}

/**
 * A Lambda on the ledger table's keys-only stream, as each of its consumers is wired (`docs/ledger-stream.md`):
 * from the oldest record kept (TRIM_HORIZON), batches of 100 within 1 s, failures reported per item
 * (`ReportBatchItemFailures`), a failing batch bisected and retried 5 times, then its stream position and keys
 * (no content) sent to the consumer's failure queue (SSE-SQS, TLS only, kept 14 days). Its role may read the
 * stream; each consumer adds what it does with the records, and what its failure queue's messages lead to.
 * At most `MAX_LEDGER_STREAM_READERS` of them per ledger table: a third throws
 * `LedgerStreamReadersExceededError`.
 */
export abstract class LedgerStreamConsumer extends Construct {
  public readonly consumer: JalonFunction;
  public readonly failureQueue: sqs.Queue;

  protected constructor(scope: Construct, id: string, props: LedgerStreamConsumerProps) {
    const readers = [...(readersByTable.get(props.ledger) ?? []), `${scope.node.path}/${id}`];
    if (readers.length > MAX_LEDGER_STREAM_READERS) throw new LedgerStreamReadersExceededError(readers);
    super(scope, id);
    readersByTable.set(props.ledger, readers);
    const { stage } = props;
    this.failureQueue = new sqs.Queue(this, 'Failures', {
      queueName: `jalon-${stage}-${props.name}-failures`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      ...(props.failureVisibilityTimeout === undefined
        ? {}
        : { visibilityTimeout: props.failureVisibilityTimeout }),
    });
    this.consumer = new JalonFunction(this, 'Consumer', {
      functionName: `jalon-${stage}-${props.name}`,
      description: props.description,
      entry: props.entry,
      environment: props.environment,
      memorySize: props.memorySize,
      timeout: Duration.seconds(60),
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    this.consumer.function.addEventSource(
      new DynamoEventSource(props.ledger, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
      }),
    );
  }
}
