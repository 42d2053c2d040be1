import {
  backfillExecutionPages,
  backfillMirrorPages,
  beginBackfill,
  finishBackfill,
} from '../../../shared/domain/audit/mirror-backfill';
import type {
  BackfillStep,
  BackfillStepDeps,
  LedgerMirrorBackfillRecord,
} from '../../../shared/domain/audit/mirror-backfill';
import { executionArchiveKey } from '../../../shared/domain/audit/execution-archive';
import type { ExecutionSummary } from '../../../shared/domain/audit/ports';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { ledgerMirrorBody, ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';

const RUN = { runId: 'run-1', startedAt: '2026-03-02T15:00:00.000Z' };

function event(caseId: string, seq: number): LedgerEvent {
  return {
    caseId,
    seq,
    type: 'note.added',
    at: '2026-03-02T15:00:00.000Z',
    actor: { kind: 'system' },
    data: {},
    prevHash: '0'.repeat(64),
    hash: String(seq).padStart(64, 'a'),
  } as unknown as LedgerEvent;
}

/**
 * A ledger of `cases` (case id → item seqs, the first item holding seqs 1 and 2, as a new case's opening), a
 * page of two cases at a time; the mirror and archive in one map; executions per closed status, a page of two.
 */
function fakes(cases: Record<string, number[]>, closed: Record<string, string[]>) {
  const objects = new Map<string, string>();
  const saved: LedgerMirrorBackfillRecord[] = [];
  const ids = Object.keys(cases);
  const itemEvents = (caseId: string, seq: number) =>
    seq === 1 ? [event(caseId, 1), event(caseId, 2)] : [event(caseId, seq)];
  const store = {
    get: (key: string) => Promise.resolve(objects.get(key)),
    putIfAbsent: (key: string, body: string) => {
      const existing = objects.get(key);
      if (existing !== undefined) return Promise.resolve({ written: false as const, existing });
      objects.set(key, body);
      return Promise.resolve({ written: true as const });
    },
  };
  const deps: Omit<BackfillStepDeps, 'mayContinue'> = {
    pages: {
      casePage: (cursor) => {
        const from = cursor === undefined ? 0 : ids.indexOf(cursor.caseId) + 1;
        const caseIds = ids.slice(from, from + 2);
        const more = from + 2 < ids.length;
        return Promise.resolve({ caseIds, ...(more ? { next: { caseId: caseIds.at(-1)!, seq: 1 } } : {}) });
      },
    },
    items: { itemSeqs: (caseId) => Promise.resolve(cases[caseId] ?? []) },
    mirror: {
      ledger: { events: (caseId, seq) => Promise.resolve(itemEvents(caseId, seq)) },
      mirror: store,
    },
    closedExecutions: {
      closedPage: (status, token) => {
        const names = closed[status] ?? [];
        const from = token === undefined ? 0 : Number(token);
        return Promise.resolve({
          names: names.slice(from, from + 2),
          ...(from + 2 < names.length ? { next: String(from + 2) } : {}),
        });
      },
    },
    executions: {
      describe: (name) =>
        Promise.resolve<ExecutionSummary>({
          executionArn: `arn:aws:states:ca-central-1:0:execution:m:${name}`,
          name,
          status: 'SUCCEEDED',
          startDate: '2026-03-02T15:00:00.000Z',
        }),
      history: () => Promise.resolve([]),
    },
    archive: store,
    store: {
      save: (record) => {
        saved.push(record);
        return Promise.resolve();
      },
    },
    now: () => new Date('2026-03-02T16:00:00.000Z'),
  };
  return { objects, saved, deps };
}

async function runAll(
  deps: Omit<BackfillStepDeps, 'mayContinue'>,
): Promise<{ result: LedgerMirrorBackfillRecord; steps: number }> {
  // One page a step, as a step whose budget ends after its first page.
  const stepDeps = { ...deps, mayContinue: () => false };
  let step: BackfillStep & { more?: boolean } = await beginBackfill(stepDeps, RUN);
  let steps = 0;
  do {
    step = await backfillMirrorPages(stepDeps, step);
    steps += 1;
  } while (step.more);
  do {
    step = await backfillExecutionPages(stepDeps, step);
    steps += 1;
  } while (step.more);
  return { result: await finishBackfill(stepDeps, step), steps };
}

describe('ledger mirror back-fill', () => {
  it('mirrors every event of every item across pages, resuming at the cursor, and archives every closed status', async () => {
    const { objects, saved, deps } = fakes(
      { a: [1, 3], b: [1], c: [1, 3, 4] },
      { SUCCEEDED: ['a', 'b', 'c'], ABORTED: ['d'] },
    );
    objects.set(ledgerMirrorKey('c', 4), ledgerMirrorBody(event('c', 4)));
    objects.set(executionArchiveKey('b'), '{}');

    const { result, steps } = await runAll(deps);

    expect(result).toMatchObject({
      status: 'succeeded',
      cases: 3,
      items: 6,
      mirrored: 5,
      alreadyMirrored: 1,
      tamperedCount: 0,
      executions: 4,
      archived: 3,
      alreadyArchived: 1,
    });
    // Two pages of cases; SUCCEEDED in two pages, then FAILED, TIMED_OUT and ABORTED one each.
    expect(steps).toBe(2 + 5);
    for (const [caseId, seqs] of [
      ['a', [1, 2, 3]],
      ['b', [1, 2]],
      ['c', [1, 2, 3, 4]],
    ] as const)
      for (const seq of seqs)
        expect(objects.get(ledgerMirrorKey(caseId, seq))).toBe(ledgerMirrorBody(event(caseId, seq)));
    for (const name of ['a', 'c', 'd']) expect(objects.has(executionArchiveKey(name))).toBe(true);
    expect(objects.get(executionArchiveKey('b'))).toBe('{}');
    expect(saved.map((record) => record.phase)).toEqual([
      'ledger',
      'ledger',
      'executions',
      'executions',
      'executions',
      'executions',
      'executions',
      'done',
      'done',
    ]);
  });

  it('records a mirror object holding another event as tampered and leaves it; a second run writes nothing', async () => {
    const { objects, deps } = fakes({ a: [1, 3] }, {});
    const forged = ledgerMirrorBody({ ...event('a', 3), hash: 'f'.repeat(64) });
    objects.set(ledgerMirrorKey('a', 3), forged);

    const first = (await runAll(deps)).result;
    const written = new Map(objects);
    const second = (await runAll(deps)).result;

    expect(first).toMatchObject({ items: 2, mirrored: 1, tamperedCount: 1, truncated: false });
    expect(first.tampered).toEqual([
      {
        caseId: 'a',
        seq: 3,
        reason: 'content-differs',
        recordKey: expect.stringMatching(/^ledger-conflicts\/v1\/a\/0000000003\//),
      },
    ]);
    expect(objects.get(ledgerMirrorKey('a', 3))).toBe(forged);
    expect(second).toMatchObject({ mirrored: 0, alreadyMirrored: 1, tamperedCount: 1 });
    expect(objects).toEqual(written);
  });
});
