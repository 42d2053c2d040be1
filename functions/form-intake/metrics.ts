import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import type { WebIntakeMetrics, WebIntakeOutcome } from '../../shared/domain/intake/form/submit';

/** CloudWatch namespace of Jalon's business metrics. */
export const METRICS_NAMESPACE = 'Jalon';
/** Web form submissions, dimension `outcome`: created, replayed, honeypot, rate-limited. */
export const WEB_SUBMISSIONS_METRIC = 'WebFormSubmissions';

/**
 * `WebIntakeMetrics` on Powertools Metrics: each count is flushed at once as one EMF line carrying its own
 * `outcome` dimension (Powertools writes to stdout directly, outside the JSON log format).
 */
export class PowertoolsWebIntakeMetrics implements WebIntakeMetrics {
  constructor(private readonly metrics: Metrics) {}

  record(outcome: WebIntakeOutcome): void {
    const single = this.metrics.singleMetric();
    single.addDimension('outcome', outcome);
    single.addMetric(WEB_SUBMISSIONS_METRIC, MetricUnit.Count, 1);
  }
}

/** The form's metrics (namespace `Jalon`, dimension `service = form-intake`). */
export function createFormIntakeMetrics(): PowertoolsWebIntakeMetrics {
  return new PowertoolsWebIntakeMetrics(
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'form-intake' }),
  );
}
