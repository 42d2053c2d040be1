import { CommandLedger } from '../../../shared/domain/ledger/command-ledger';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import type { CaseLedger } from '../../../shared/domain/ledger/ports';
import type { KeyedDraft } from '../../../shared/domain/ledger/chain';
import { receiveCase } from '../../support/workflow-fixtures';

/** Counts the writes the command makes: one per `append` or `appendAll` reaching the store. */
class CountingLedger extends ForwardingCaseLedger {
  writes: string[][] = [];
  override readonly append: CaseLedger['append'] = async (caseId, draft, options) => {
    this.writes.push([draft.type]);
    return this.inner.append(caseId, draft, options);
  };
  override readonly appendAll: CaseLedger['appendAll'] = async (caseId, drafts, options) => {
    this.writes.push(drafts.map((entry) => entry.draft.type));
    return this.inner.appendAll(caseId, drafts, options);
  };
}

const WORKFLOW = { kind: 'system', id: 'workflow' } as const;
const AT = '2027-01-11T21:00:00.000Z';

function started(stepId: string): KeyedDraft {
  return {
    draft: {
      type: 'step.started',
      at: AT,
      actor: WORKFLOW,
      data: { stepId, kind: 'notify', plannedAt: AT, deadline: 'answer', notify: 'assignee' },
    },
    idempotencyKey: `${stepId}:started`,
  };
}

function done(stepId: string): KeyedDraft {
  return { draft: { type: 'step.done', at: AT, actor: WORKFLOW, data: { stepId } }, idempotencyKey: stepId };
}

async function commandOn(): Promise<{ store: InMemoryCaseLedger; counting: CountingLedger; caseId: string }> {
  const store = new InMemoryCaseLedger();
  const caseId = await receiveCase(store, { receivedAt: '2027-01-04T15:00:00Z', email: 'marie@example.com' });
  return { store, counting: new CountingLedger(store), caseId };
}

describe('CommandLedger.withNextAppend', () => {
  it('records the entry first in the item of the next append, and writes nothing before', async () => {
    const { store, counting, caseId } = await commandOn();
    const ledger = new CommandLedger(counting, (await store.getCase(caseId))!);
    const before = (await store.read(caseId)).length;

    ledger.withNextAppend(started('s1'));
    expect(counting.writes).toEqual([]);
    const [end] = [done('s1')];
    const result = await ledger.append(caseId, end.draft, { idempotencyKey: end.idempotencyKey });

    expect(counting.writes).toEqual([['step.started', 'step.done']]);
    expect(result.event.type).toBe('step.done');
    expect(result.appended).toBe(true);
    const events = await store.read(caseId);
    expect(events.slice(before).map((e) => `${e.type} ${e.idempotencyKey}`)).toEqual([
      'step.started s1:started',
      'step.done s1',
    ]);
    expect(result.projection?.stepsDone).toContain('s1');
    expect((await store.verifyChain(caseId)).ok).toBe(true);
  });

  it('leads an appendAll and answers only the drafts it was given, in order', async () => {
    const { store, counting, caseId } = await commandOn();
    const ledger = new CommandLedger(counting, (await store.getCase(caseId))!);

    ledger.withNextAppend(started('s2'));
    const { results } = await ledger.appendAll(caseId, [
      {
        draft: { type: 'case.closed', at: AT, actor: WORKFLOW, data: { reason: 'answered' } },
        idempotencyKey: 's2:closed',
      },
      done('s2'),
    ]);

    expect(counting.writes).toEqual([['step.started', 'case.closed', 'step.done']]);
    expect(results.map((r) => r.event.type)).toEqual(['case.closed', 'step.done']);
    // Written once: a later append of the command does not carry it again.
    await ledger.append(caseId, started('s3').draft, { idempotencyKey: 's3:started' });
    expect(counting.writes.at(-1)).toEqual(['step.started']);
    const keys = (await store.read(caseId)).map((e) => e.idempotencyKey);
    expect(keys.filter((k) => k === 's2:started')).toHaveLength(1);
  });

  it('is answered by the recorded event when another run recorded its key first', async () => {
    const { store, counting, caseId } = await commandOn();
    const ledger = new CommandLedger(counting, (await store.getCase(caseId))!);
    const other = started('s4');
    await store.append(caseId, other.draft, { idempotencyKey: other.idempotencyKey! });

    ledger.withNextAppend(started('s4'));
    const end = done('s4');
    await ledger.append(caseId, end.draft, { idempotencyKey: end.idempotencyKey });

    const keys = (await store.read(caseId)).map((e) => e.idempotencyKey);
    expect(keys.filter((k) => k === 's4:started')).toHaveLength(1);
    expect(keys.filter((k) => k === 's4')).toHaveLength(1);
    expect((await store.verifyChain(caseId)).ok).toBe(true);
  });

  it('waits while the command answers a key from memory, and rides with its next real write', async () => {
    const { store, counting, caseId } = await commandOn();
    const ledger = new CommandLedger(counting, (await store.getCase(caseId))!);
    const end = done('s5');
    await ledger.append(caseId, end.draft, { idempotencyKey: end.idempotencyKey });

    ledger.withNextAppend(started('s6'));
    await ledger.append(caseId, end.draft, { idempotencyKey: end.idempotencyKey });
    expect(counting.writes).toEqual([['step.done']]);
    const next = done('s6');
    await ledger.append(caseId, next.draft, { idempotencyKey: next.idempotencyKey });
    expect(counting.writes).toEqual([['step.done'], ['step.started', 'step.done']]);
  });
});
