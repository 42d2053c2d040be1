import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_EVENTS_MAX_RECEIVES } from '../../../functions/mail-events/handler';
import type { MailEventsEnv } from '../../../shared/schemas/env';
import {
  acknowledgeFunctionTracing,
  acknowledgeMailEventsDeadLetters,
  acknowledgeTableAccess,
} from '../nag-acknowledgements';
import { JalonFunction } from './jalon-function';
import { grantLedgerAppend } from './ledger-access';
import type { tablesOf } from './table-access';

/** The SES events recorded on cases (`docs/mail-events.md`); sends, opens and clicks are not. */
export const MAIL_EVENT_TYPES = [
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
] as const;

/** The SES configuration set of a stage: every message Jalon sends names it (`SES_CONFIGURATION_SET`). */
export function mailConfigurationSetName(stage: string): string {
  return `jalon-${stage}-mail`;
}

/** Its ARN, which `ses:SendEmail` is authorized against besides the identity. */
export function mailConfigurationSetArn(scope: Construct, stage: string): string {
  return Stack.of(scope).formatArn({
    service: 'ses',
    resource: 'configuration-set',
    resourceName: mailConfigurationSetName(stage),
  });
}

export interface MailEventsProps {
  readonly stage: string;
  readonly tables: Pick<ReturnType<typeof tablesOf>, 'cases' | 'ledger'>;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/**
 * What SES reports about sent mail, recorded on the cases: the stage's configuration set (reputation metrics
 * on, which the bounce and complaint rate alarms read) publishes deliveries, bounces, complaints and rejects to
 * the account's default EventBridge bus; a rule takes those of this configuration set to the mail-events queue
 * (SSE-SQS, dead-letter queue after `MAIL_EVENTS_MAX_RECEIVES` receives) and the mail-events function records
 * each on its case. EventBridge rather than SNS: no topic, topic policy or topic key to own, a rule that filters
 * on the configuration set, and a queue target that keeps an event through a failing function.
 */
const MAIL_EVENTS_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * How long the queue gathers SES events before invoking the function: the reports of messages sent together (a
 * receipt and its staff notification) then reach it in one batch, and those of one case are recorded in one
 * ledger item (`recordMailReports`, `docs/mail-events.md`). A bounce's "reach the requester" task shows up to this
 * much later.
 */
const MAIL_EVENTS_BATCHING_WINDOW = Duration.seconds(20);

export class MailEvents extends Construct {
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly rule: events.Rule;
  public readonly handler: JalonFunction;

  constructor(scope: Construct, id: string, props: MailEventsProps) {
    super(scope, id);
    const { stage, tables } = props;
    const configurationSetName = mailConfigurationSetName(stage);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    const bus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      configurationSetEventDestinationName: 'jalon-mail-events',
      destination: ses.EventDestination.eventBus(bus),
      events: [...MAIL_EVENT_TYPES],
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `jalon-${stage}-mail-events-dead-letters`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeMailEventsDeadLetters(this.deadLetterQueue);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `jalon-${stage}-mail-events`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Six times the function's timeout plus the batching window, as Lambda advises for a queue event source.
      visibilityTimeout: Duration.seconds(
        6 * MAIL_EVENTS_FUNCTION_TIMEOUT.toSeconds() + MAIL_EVENTS_BATCHING_WINDOW.toSeconds(),
      ),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAIL_EVENTS_MAX_RECEIVES },
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: `Jalon ${stage}: SES events of the ${configurationSetName} configuration set, to the mail-events queue.`,
      eventPattern: {
        source: ['aws.ses'],
        detail: {
          eventType: ['Delivery', 'Bounce', 'Complaint', 'Reject'],
          mail: { tags: { 'ses:configuration-set': [configurationSetName] } },
        },
      },
      targets: [new targets.SqsQueue(this.queue)],
    });

    this.handler = new JalonFunction(this, 'Function', {
      functionName: `jalon-${stage}-mail-events`,
      description: `Jalon ${stage}: records SES deliveries, bounces, complaints and rejects on the cases.`,
      entry: path.join(__dirname, '..', '..', '..', 'functions', 'mail-events', 'index.ts'),
      environment: {
        CASES_TABLE_NAME: tables.cases.tableName,
        LEDGER_TABLE_NAME: tables.ledger.tableName,
      } satisfies Record<keyof MailEventsEnv, string>,
      memorySize: 256,
      timeout: MAIL_EVENTS_FUNCTION_TIMEOUT,
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      retainLogs: props.retainLogs,
    });
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: MAIL_EVENTS_BATCHING_WINDOW,
        reportBatchItemFailures: true,
      }),
    );
    // It reads a case's ledger and appends to it (the projection in the cases table follows); nothing else.
    tables.cases.table.grantReadWriteData(this.handler.function);
    grantLedgerAppend(this.handler.function, tables.ledger.table);
    acknowledgeTableAccess(this.handler.role, [tables.cases]);
    acknowledgeFunctionTracing(this.handler.role);
  }
}
