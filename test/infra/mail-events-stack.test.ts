import { Match } from 'aws-cdk-lib/assertions';
import { mailConfigurationSetName } from '../../infra/aws/constructs/mail-events';
import { MAIL_EVENTS_MAX_RECEIVES } from '../../functions/mail-events/handler';
import {
  flatResources,
  logicalIdOf,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';
import type { SynthesizedStage } from './synth-helpers';

let prod: SynthesizedStage;
beforeAll(() => {
  prod = synthStage('prod');
}, SYNTH_TIMEOUT_MS);

const NAME = mailConfigurationSetName('prod');

/** The `ses:SendEmail` resources of a function's role. */
function sendResources(template: SynthesizedStage['workflowTemplate'], roleId: string): string[] {
  return roleStatements(template, roleId)
    .filter((statement) => JSON.stringify(statement.Action).includes('ses:SendEmail'))
    .flatMap((statement) => flatResources(statement));
}

/** The environment of the function whose name is given. */
function environmentOf(template: SynthesizedStage['workflowTemplate'], functionName: string) {
  const fn = Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).find(
    (resource) => resource.Properties['FunctionName'] === functionName,
  );
  return (fn?.Properties['Environment'] as { Variables: Record<string, unknown> } | undefined)?.Variables;
}

describe('SES configuration set and mail events (prod)', () => {
  it('has a configuration set per stage, reputation metrics on, publishing the four events to EventBridge', () => {
    const template = prod.workflowTemplate;
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: NAME,
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: Match.anyValue(),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['delivery', 'bounce', 'complaint', 'reject']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
  });

  it('routes the events of this configuration set to the mail-events queue, with a dead-letter queue', () => {
    const template = prod.workflowTemplate;
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).filter(
      (resource) => resource.Properties['EventPattern'] !== undefined,
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties['EventPattern']).toEqual({
      source: ['aws.ses'],
      detail: {
        eventType: ['Delivery', 'Bounce', 'Complaint', 'Reject'],
        mail: { tags: { 'ses:configuration-set': [NAME] } },
      },
    });
    const queueId = logicalIdOf(prod.stacks.workflow.mailEvents.queue);
    expect(JSON.stringify(rules[0]?.Properties['Targets'])).toContain(queueId);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'jalon-prod-mail-events',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: MAIL_EVENTS_MAX_RECEIVES, deadLetterTargetArn: Match.anyValue() },
      // Six times the function's 30 s, plus the batching window (Lambda's advice for a queue event source).
      VisibilityTimeout: 200,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(prod.stacks.workflow.mailEvents.handler.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // The reports of messages sent together reach the function in one batch: one ledger item per case.
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 20,
    });
  });

  it('alarms when an event lands in the dead-letter queue or matches no case', () => {
    const alarms = Object.values(resourcesOfType(prod.workflowTemplate, 'AWS::CloudWatch::Alarm')).map(
      (alarm) => JSON.stringify(alarm.Properties),
    );
    expect(alarms.some((alarm) => alarm.includes('mail-events dead-letter queue'))).toBe(true);
    expect(alarms.some((alarm) => alarm.includes('unmatched-unknown-message'))).toBe(true);
  });

  it('lets the mail-events function append to the ledger (ledger-evidence checks how) and send nothing', () => {
    const roleId = logicalIdOf(prod.stacks.workflow.mailEvents.handler.role);
    const actions = roleStatements(prod.workflowTemplate, roleId).flatMap((statement) =>
      [statement.Action].flat(),
    );
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((action) => String(action).startsWith('ses:'))).toEqual([]);
  });

  it('makes every sender name the configuration set, and allows sending with it', () => {
    const senders = [
      {
        template: prod.workflowTemplate,
        name: 'jalon-prod-workflow-tasks',
        role: prod.stacks.workflow.workflowTasks.role,
      },
      {
        template: prod.emailIntakeTemplate,
        name: 'jalon-prod-email-intake',
        role: prod.stacks.emailIntake.emailIntake.role,
      },
      {
        template: prod.staffApiTemplate,
        name: 'jalon-prod-staff-api',
        role: prod.stacks.staffApi.staffApiFunction.role,
      },
    ];
    for (const { template, name, role } of senders) {
      expect(environmentOf(template, name)?.['SES_CONFIGURATION_SET']).toBe(NAME);
      expect(sendResources(template, logicalIdOf(role)).join(' ')).toContain(`configuration-set/${NAME}`);
    }
  });
});
