import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { SFNClient } from '@aws-sdk/client-sfn';

import { replanDeps } from '../../functions/replan/wiring';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Policy } from '../../shared/domain/policy/schema';
import { CalendarRegistry } from '../../shared/domain/time';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { replanCases, type ReplanSummary } from '../../shared/domain/workflow/replan';
import type { ClockControl } from './clock-control';
import type { LocalConsole } from './console-log';
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
 * `POST /api/local/replan`: re-plans every open case (the cases table's `OpenByDue` index, as in AWS) on the
 * replan function's ports (`replanDeps`) under the calendar versions in force on the stack's clock, reading
 * the calendar files afresh so that a version just added to them applies without a restart (cases the running
 * stack plans meanwhile use the versions loaded at start; the next run re-plans them too). Unlike the Lambda,
 * it answers with the summary even when some cases failed (each is logged).
 */
export function localReplan(input: {
  readonly ledger: CaseLedger;
  /** The local engine's workflow: a case whose deadline moved earlier is woken (a new generation). */
  readonly workflow: Workflow;
  readonly emulators: Pick<Emulators, 'dynamo'>;
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly clock: ClockControl;
  readonly policy: Policy;
  readonly calendarsDir: string;
  readonly console: Pick<LocalConsole, 'info' | 'warn'>;
}): () => Promise<ReplanSummary> {
  return async () => {
    const deps = replanDeps({
      clients: { dynamo: input.emulators.dynamo.client, sfn: input.sfn },
      config: { tables: input.emulators.dynamo.tables, stateMachineArn: input.stateMachineArn },
      logger: {
        info: (message, fields) => input.console.info(message, fields),
        warn: (message, fields) => input.console.warn(message, fields),
        error: (message, fields) => input.console.warn(message, fields),
      },
      shared: {
        ledger: input.ledger,
        workflow: input.workflow,
        clock: { now: () => input.clock.now() },
        policy: input.policy,
        calendars: readCalendarFolder(input.calendarsDir),
      },
    });
    return replanCases(deps, await deps.caseIds());
  };
}
