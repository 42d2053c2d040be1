import type { ReportCaseSource } from '../../shared/domain/report/service-statement';
import type {
  ReportAggregateStore,
  ReportRecordSource,
  ReportReplayDeps,
  ReportReplayStarter,
} from '../../shared/domain/report/aggregates';

/**
 * The report's source and replay in AWS: the aggregates kept from the ledger stream, read only once a full
 * replay has completed (the stream was deployed on a ledger that may already hold cases; until then the
 * ledger pass, and the report says so), and the replay state machine as the starter.
 */
export function reportPortsInAws(parts: {
  readonly aggregates: ReportRecordSource & Pick<ReportAggregateStore, 'latestReplayResult'>;
  readonly ledger: ReportCaseSource;
  readonly replay: ReportReplayStarter;
}): { readonly reportSource: ReportRecordSource; readonly reportReplay: ReportReplayDeps } {
  const { aggregates, ledger, replay } = parts;
  return {
    reportSource: {
      recordsFor: (period, asOf) => aggregates.recordsFor(period, asOf),
      latestReplayResult: () => aggregates.latestReplayResult(),
      untilFirstReplay: ledger,
    },
    reportReplay: { replay, store: aggregates },
  };
}
