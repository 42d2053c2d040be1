import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import type { EmailIntakeResult } from '../../shared/domain/intake/email/receive-email';

/** CloudWatch namespace of Jalon's business metrics. */
export const METRICS_NAMESPACE = 'Jalon';
/** Received messages, dimension `outcome`: case-created, case-duplicate, reply, reply-duplicate, held-<kind>. */
export const EMAIL_MESSAGES_METRIC = 'EmailMessagesFiled';

/** Counts filed messages by outcome (identifiers never leave the function in metrics). */
export interface EmailIntakeMetrics {
  record(result: EmailIntakeResult): void;
}

/** The metric dimension of a result. */
export function outcomeOf(result: EmailIntakeResult): string {
  switch (result.outcome) {
    case 'case':
      return result.created ? 'case-created' : 'case-duplicate';
    case 'reply':
      return result.appended ? 'reply' : 'reply-duplicate';
    case 'held':
      return `held-${result.kind}`;
  }
}

/** `EmailIntakeMetrics` on Powertools Metrics: one EMF line per message, with its own `outcome` dimension. */
export class PowertoolsEmailIntakeMetrics implements EmailIntakeMetrics {
  constructor(private readonly metrics: Metrics) {}

  record(result: EmailIntakeResult): void {
    const single = this.metrics.singleMetric();
    single.addDimension('outcome', outcomeOf(result));
    single.addMetric(EMAIL_MESSAGES_METRIC, MetricUnit.Count, 1);
  }
}

/** Email intake's metrics (namespace `Jalon`, dimension `service = email-intake`). */
export function createEmailIntakeMetrics(): PowertoolsEmailIntakeMetrics {
  return new PowertoolsEmailIntakeMetrics(
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'email-intake' }),
  );
}
