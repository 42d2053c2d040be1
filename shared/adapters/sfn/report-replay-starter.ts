import type { ReportReplayStarter } from '../../domain/report/aggregates';
import { SfnSingleRunStarter } from './single-run-starter';

/**
 * `ReportReplayStarter` on Step Functions: the report-replay state machine (`statemachines/report-replay.asl.json`),
 * one run at a time (`SfnSingleRunStarter`).
 */
export class SfnReportReplayStarter extends SfnSingleRunStarter implements ReportReplayStarter {}
