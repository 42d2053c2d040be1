import { STAGES } from '../../infra/aws/deployment-context';
import { onlyResource, synthStage, SYNTH_TIMEOUT_MS } from './synth-helpers';

beforeAll(() => {
  for (const stage of STAGES) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

/** The dashboard body as CloudFormation renders it (a join of JSON text and references), as one string. */
function dashboardBody(stage: (typeof STAGES)[number]): string {
  const [, dashboard] = onlyResource(synthStage(stage).dashboardTemplate, 'AWS::CloudWatch::Dashboard');
  expect(dashboard.Properties['DashboardName']).toBe(`jalon-${stage}`);
  return JSON.stringify(dashboard.Properties['DashboardBody']);
}

describe.each(STAGES)('dashboard stack, %s stage', (stage) => {
  it.each([
    ['form submissions', '\\"AWS/Lambda\\",\\"Invocations\\"'],
    ['emails received', '\\"AWS/SQS\\",\\"NumberOfMessagesSent\\"'],
    ['executions started', '\\"AWS/States\\",\\"ExecutionsStarted\\"'],
    ['executions failed', '\\"AWS/States\\",\\"ExecutionsFailed\\"'],
    ['Lambda errors', '\\"AWS/Lambda\\",\\"Errors\\"'],
    ['Lambda durations', '\\"AWS/Lambda\\",\\"Duration\\"'],
    ['API 4xx', '\\"AWS/ApiGateway\\",\\"4xx\\"'],
    ['API 5xx', '\\"AWS/ApiGateway\\",\\"5xx\\"'],
    ['queue depths', '\\"AWS/SQS\\",\\"ApproximateNumberOfMessagesVisible\\"'],
    ['DynamoDB read throttles', '\\"AWS/DynamoDB\\",\\"ReadThrottleEvents\\"'],
    ['DynamoDB write throttles', '\\"AWS/DynamoDB\\",\\"WriteThrottleEvents\\"'],
    ['SES sends', '\\"AWS/SES\\",\\"Send\\"'],
    ['SES bounces', '\\"AWS/SES\\",\\"Bounce\\"'],
  ])('shows %s', (_what, metric) => {
    expect(dashboardBody(stage)).toContain(metric);
  });

  it('shows errors and durations of every Jalon function', () => {
    const body = dashboardBody(stage);
    const functions = [
      'form-intake',
      'email-intake',
      'workflow-tasks',
      'replan',
      'staff-api',
      'audit-api',
      'holding-api',
      'report-replay',
      'report-aggregates',
      'report-replay-start',
      'ledger-mirror',
      'execution-archive',
    ];
    for (const name of functions) {
      expect({ name, shown: body.split(`\\"label\\":\\"${name}\\"`).length - 1 }).toEqual({ name, shown: 2 });
    }
  });
});
