import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import type { IntakeMetrics } from '../../shared/domain/case/commands/intake';

/** CloudWatch namespace of Jalon's business metrics. */
export const METRICS_NAMESPACE = 'Jalon';
/** Seconds from receipt (legal clock start) to registration of a staff-entered case, dimension `channel`. */
export const REGISTRATION_LAG_METRIC = 'IntakeRegistrationLagSeconds';

/**
 * `IntakeMetrics` on Powertools Metrics: each sample is flushed at once as one EMF line (a single metric
 * carries its own `channel` dimension, so samples of different channels never share a dimension set).
 * Powertools writes to stdout directly, so the Lambda JSON log format does not wrap it.
 */
export class PowertoolsIntakeMetrics implements IntakeMetrics {
  constructor(private readonly metrics: Metrics) {}

  recordRegistrationLag(sample: { readonly channel: string; readonly seconds: number }): void {
    const single = this.metrics.singleMetric();
    single.addDimension('channel', sample.channel);
    single.addMetric(REGISTRATION_LAG_METRIC, MetricUnit.Seconds, sample.seconds);
  }
}

/** The staff API's metrics (namespace `Jalon`, dimension `service = staff-api`). */
export function createStaffApiMetrics(): PowertoolsIntakeMetrics {
  return new PowertoolsIntakeMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'staff-api' }));
}
