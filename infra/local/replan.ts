import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DynamoDbOpenCaseIds } from '../../shared/adapters/dynamodb/open-case-ids';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import { CalendarRegistry } from '../../shared/domain/time';
import type { WorkingHours } from '../../shared/domain/time/working-hours';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { replanCases, type ReplanSummary } from '../../shared/domain/workflow/replan';
import type { ClockControl } from './clock-control';
import type { Emulators } from './emulators';

/** The calendar files Jalon ships (the folder `bundledCalendars` reads at build time). */
export const CALENDARS_DIR = path.join(__dirname, '..', '..', 'shared', 'config', 'calendars');

/** Every `*.json` calendar file of a folder, validated, as a registry (read afresh at each call). */
export function readCalendarFolder(dir: string): CalendarRegistry {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown);
  return CalendarRegistry.from(files);
}

/**
 * `POST /api/local/replan`: re-plans every open case (the cases table's `OpenByDue` index, as in AWS) under
 * the calendar versions in force on the stack's clock, reading the calendar files afresh so that a version just added to them applies without a
 * restart (cases the running stack plans meanwhile use the versions loaded at start; the next run re-plans
 * them too).
 */
export function localReplan(input: {
  readonly ledger: CaseLedger;
  /** The local engine's workflow: a case whose deadline moved earlier is woken (a new generation). */
  readonly workflow: Workflow;
  readonly emulators: Pick<Emulators, 'dynamo'>;
  readonly clock: ClockControl;
  readonly workingHours: WorkingHours;
  readonly calendarsDir: string;
  readonly onCaseFailure?: (caseId: string, error: unknown) => void;
}): () => Promise<ReplanSummary> {
  return async () =>
    replanCases(
      {
        ledger: input.ledger,
        calendars: readCalendarFolder(input.calendarsDir),
        clock: { now: () => input.clock.now() },
        workingHours: input.workingHours,
        workflow: input.workflow,
        ...(input.onCaseFailure !== undefined ? { onCaseFailure: input.onCaseFailure } : {}),
      },
      await new DynamoDbOpenCaseIds(input.emulators.dynamo).caseIds(),
    );
}
