import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import type { LedgerMirrorOutcome } from '../../shared/domain/ledger/mirror';
import type { LedgerMirrorMetrics } from './handler';

/** CloudWatch namespace of Jalon's business metrics. */
export const METRICS_NAMESPACE = 'Jalon';
/** Ledger events handled by the mirror, dimension `outcome`: mirrored, already-mirrored, tampered. */
export const LEDGER_MIRROR_METRIC = 'LedgerMirrorEvents';

/** `LedgerMirrorMetrics` on Powertools Metrics: one EMF line per event, with its own `outcome` dimension. */
export class PowertoolsLedgerMirrorMetrics implements LedgerMirrorMetrics {
  constructor(private readonly metrics: Metrics) {}

  record(outcome: LedgerMirrorOutcome): void {
    const single = this.metrics.singleMetric();
    single.addDimension('outcome', outcome.outcome);
    single.addMetric(LEDGER_MIRROR_METRIC, MetricUnit.Count, 1);
  }
}

/** The mirror's metrics (namespace `Jalon`, dimension `service = ledger-mirror`). */
export function createLedgerMirrorMetrics(): PowertoolsLedgerMirrorMetrics {
  return new PowertoolsLedgerMirrorMetrics(
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'ledger-mirror' }),
  );
}
