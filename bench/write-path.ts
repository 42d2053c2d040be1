import { randomUUID } from 'node:crypto';

import { DynamoDbCaseLedger } from '../shared/adapters/dynamodb/dynamodb-case-ledger';
import { ClientRequestTimeline, sequentialRoundTrips } from './round-trips';
import { elapsedMs, median, runPool } from './stats';
import { startDynalite } from '../test/support/dynalite';
import type { EventDraft } from '../shared/domain/ledger/events';
import { SYSTEM, lifecycleDrafts, receivedDraft } from '../test/unit/ledger/fixtures';

/**
 * The ledger's write path on dynalite, apart from the rest of the stack (`docs/write-path.md`): what one
 * command costs (a consistent `getCase`, then one keyed `append`), what a receipt costs, and 20 commands
 * racing on one case. Prints one JSON object: requests and sequential round trips per operation (medians),
 * their wall time, and whether the racing commands all landed once with an intact chain.
 *
 * `npx tsx bench/write-path.ts [cases]` (20 cases by default).
 */
async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 20);
  const dynamo = await startDynalite('writepath');
  const timeline = new ClientRequestTimeline();
  const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  const measure = async (operation: () => Promise<unknown>) => {
    timeline.reset();
    const start = process.hrtime.bigint();
    await operation();
    const ms = elapsedMs(start);
    const requests = timeline.requests();
    return { requests: requests.length, roundTrips: sequentialRoundTrips(requests), ms };
  };
  try {
    const receipts = [];
    const commands = [];
    const caseIds: string[] = [];
    for (let i = 0; i < cases; i += 1) {
      const caseId = randomUUID();
      caseIds.push(caseId);
      receipts.push(
        await measure(() => ledger.append(caseId, receivedDraft(), { idempotencyKey: 'intake:received' })),
      );
      for (const [index, draft] of lifecycleDrafts().entries()) {
        commands.push(
          await measure(async () => {
            await ledger.getCase(caseId);
            await ledger.append(caseId, draft, { idempotencyKey: `command:${index}` });
          }),
        );
      }
    }
    const racing = caseIds[0]!;
    const before = (await ledger.getCase(racing))?.lastSeq ?? 0;
    const race = await measure(() =>
      runPool(
        Array.from({ length: 20 }, (_, i) => i),
        20,
        async (i) => {
          // Each writer its own adapter, as 20 Lambda instances would be.
          const writer = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
          const draft: Extract<EventDraft, { type: 'step.done' }> = {
            type: 'step.done',
            at: '2026-03-04T15:00:00.000Z',
            actor: SYSTEM,
            data: { stepId: `race-${i}` },
          };
          await writer.getCase(racing);
          await writer.append(racing, draft, {
            idempotencyKey: `race:${i}`,
          });
        },
      ),
    );
    const events = await ledger.read(racing);
    const raced = events.filter((event) => event.idempotencyKey?.startsWith('race:'));
    const result = {
      cases,
      receipt: summary(receipts),
      command: summary(commands),
      race: {
        writers: 20,
        requests: race.requests,
        ms: Math.round(race.ms),
        landedOnce: raced.length === 20 && new Set(raced.map((e) => e.idempotencyKey)).size === 20,
        lastSeq: events.at(-1)?.seq,
        expectedLastSeq: before + 20,
        chainOk: (await ledger.verifyChain(racing)).ok,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    timeline.stop();
    await dynamo.stop();
  }
}

function summary(samples: readonly { requests: number; roundTrips: number; ms: number }[]) {
  return {
    samples: samples.length,
    requestsP50: median(samples.map((s) => s.requests)),
    roundTripsP50: median(samples.map((s) => s.roundTrips)),
    msP50: Number(median(samples.map((s) => s.ms)).toFixed(2)),
    requestsTotal: samples.reduce((sum, s) => sum + s.requests, 0),
  };
}

void main();
