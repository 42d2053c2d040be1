import type { LedgerEvent } from '../../../shared/domain/ledger';
import {
  InMemoryReportAggregates,
  caseReportRecord,
  serviceStatementCases,
  serviceStatementReport,
} from '../../../shared/domain/report';
import type { ReportCaseSource, ReportRecordSource } from '../../../shared/domain/report';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { AUDITOR, FixedClock } from '../commands/fixtures';
import { bundledCalendars } from '../../../shared/domain/time';
import { buildScenario } from './scenario';

/**
 * Where the aggregates were started after the ledger (AWS: the stream consumer deployed on a ledger that
 * already held cases), the report reads the ledger until a full replay has completed, and says so.
 */
let histories: LedgerEvent[][];
let ledger: ReportCaseSource;

beforeAll(async () => {
  histories = await (await buildScenario()).histories();
  ledger = {
    async *caseHistories() {
      for (const events of histories) yield events;
    },
  };
});

const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

function deps(reportSource: ReportCaseSource | ReportRecordSource) {
  return {
    reportSource,
    clock: new FixedClock('2026-04-02T14:00:00.000Z'),
    policy: loadSctPolicy(),
    calendars: bundledCalendars(),
    accessJournal: new InMemoryAccessJournal(),
  };
}

describe('the report before and after the first full replay', () => {
  it('reads the ledger while no replay has completed (the aggregates may lack older cases), and says so', async () => {
    // Aggregates kept for only some cases: what the stream gives for the cases active since it was deployed.
    const aggregates = new InMemoryReportAggregates();
    for (const events of histories.slice(0, 3)) await aggregates.put(caseReportRecord(events)!);
    const gated: ReportRecordSource = {
      recordsFor: (period, asOf) => aggregates.recordsFor(period, asOf),
      latestReplayResult: () => aggregates.latestReplayResult(),
      untilFirstReplay: ledger,
    };
    const fromLedger = await serviceStatementReport(deps(ledger), AUDITOR, PERIOD);
    const before = await serviceStatementReport(deps(gated), AUDITOR, PERIOD);
    expect(before.source).toEqual({ kind: 'ledger-replay', casesRead: 12, awaitingFirstReplay: true });
    expect({ ...before, source: null }).toEqual({ ...fromLedger, source: null });
    const cases = await serviceStatementCases(deps(gated), AUDITOR, { ...PERIOD, indicator: 'received' });
    expect(cases.count).toBe(fromLedger.total['received']!.count);

    // The replay completes (it filled every aggregate) and stores its result: from then on, the aggregates.
    for (const events of histories) await aggregates.put(caseReportRecord(events)!, { replace: true });
    await aggregates.saveReplayResult({
      runId: 'r1',
      startedAt: '2026-04-01T10:00:00.000Z',
      checkedAt: '2026-04-01T10:05:00.000Z',
      matched: false,
      differences: 9,
      cases: 12,
      differingCases: [],
    });
    const after = await serviceStatementReport(deps(gated), AUDITOR, PERIOD);
    expect(after.source).toMatchObject({
      kind: 'aggregates',
      lastChecked: { at: '2026-04-01T10:05:00.000Z', matched: false },
    });
    expect({ ...after, source: null }).toEqual({ ...fromLedger, source: null });
  });
});
