import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import { METRICS_NAMESPACE } from '../email-intake/metrics';
import type { MailEventsMetrics } from './handler';

/** SES events handled, dimension `outcome`: recorded, already-recorded, not-kept-<why>, unmatched-<why>, invalid. */
export const MAIL_EVENTS_METRIC = 'MailEvents';

/** `MailEventsMetrics` on Powertools Metrics: one EMF line per event, with its own `outcome` dimension. */
export class PowertoolsMailEventsMetrics implements MailEventsMetrics {
  constructor(private readonly metrics: Metrics) {}

  record(outcome: string): void {
    const single = this.metrics.singleMetric();
    single.addDimension('outcome', outcome);
    single.addMetric(MAIL_EVENTS_METRIC, MetricUnit.Count, 1);
  }
}

/** The mail-events function's metrics (namespace `Jalon`, dimension `service = mail-events`). */
export function createMailEventsMetrics(): PowertoolsMailEventsMetrics {
  return new PowertoolsMailEventsMetrics(
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'mail-events' }),
  );
}
