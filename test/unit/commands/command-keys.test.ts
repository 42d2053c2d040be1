import { commandKeys, commandKeysOf } from '../../../shared/domain/case/commands/idempotency';
import type { CaseHistory, CommandName } from '../../../shared/domain/case/commands/idempotency';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import { IdempotencyKeyReuseError } from '../../../shared/errors';
import { SYSTEM, deadline, receivedDraft, staff } from '../ledger/fixtures';

const CASE = 'case-0001-keys';
const AT = '2026-03-04T15:00:00.000Z';

const COMMANDS: readonly CommandName[] = [
  'acknowledge',
  'answer',
  'extend',
  'reassign',
  'recategorize',
  'close',
  'dissatisfied',
  'restart-enforcement',
  'mailed',
  'note',
  'requester-reached',
];

function noted(text: string): EventDraft {
  return { type: 'case.noted', at: AT, actor: staff(), data: { text } };
}

/** A history over the ledger that counts its whole-ledger reads. */
function historyOf(ledger: InMemoryCaseLedger, reads: { events: number }): CaseHistory {
  return {
    index: async () => (await ledger.readIndex(CASE))!,
    events: async () => {
      reads.events += 1;
      return ledger.read(CASE);
    },
  };
}

/**
 * A ledger where each command has recorded, keyed in its own family, after resets keyed by others and not keyed
 * at all: the cases the anchor of a derived key must tell apart.
 */
async function busyLedger(): Promise<{ ledger: InMemoryCaseLedger; events: LedgerEvent[] }> {
  const ledger = new InMemoryCaseLedger();
  await ledger.append(CASE, receivedDraft());
  await ledger.append(CASE, {
    type: 'deadline.planned',
    at: AT,
    actor: SYSTEM,
    data: { kind: 'acknowledgement', deadline: deadline() },
  });
  await ledger.append(CASE, { type: 'case.assigned', at: AT, actor: SYSTEM, data: { unit: 'statistics' } });
  // A note recorded by `note` with the same text (its own family: not an anchor), then one by another text.
  const same = commandKeys({
    caseId: CASE,
    command: 'note',
    input: { text: 'a' },
    events: await ledger.read(CASE),
  });
  await ledger.append(CASE, noted('a'), { idempotencyKey: same.key('done') });
  await ledger.append(CASE, noted('b'), { idempotencyKey: 'staff:note:d:other:0:done' });
  // A note without key (an older version's), then reassignments keyed by the workflow and by reassign itself.
  await ledger.append(CASE, noted('c'));
  await ledger.append(
    CASE,
    {
      type: 'case.reassigned',
      at: AT,
      actor: staff(),
      data: { unit: 'statistics', reasonCode: 'misrouted' },
    },
    { idempotencyKey: 'workflow:route' },
  );
  const reassign = commandKeys({
    caseId: CASE,
    command: 'reassign',
    input: { unit: 'service-complaints' },
    events: await ledger.read(CASE),
  });
  await ledger.append(
    CASE,
    {
      type: 'case.reassigned',
      at: AT,
      actor: staff(),
      data: { unit: 'service-complaints', reasonCode: 'misrouted' },
    },
    { idempotencyKey: reassign.key('assigned') },
  );
  // A client-keyed note.
  const client = commandKeys({
    caseId: CASE,
    command: 'note',
    input: { text: 'd' },
    events: await ledger.read(CASE),
    clientKey: 'client-1',
  });
  await ledger.append(CASE, noted('d'), { idempotencyKey: client.key('done') });
  await ledger.append(CASE, noted('e'));
  return { ledger, events: await ledger.read(CASE) };
}

describe('commandKeysOf: the keys of a staff command from the case index', () => {
  it('gives the keys and the recorded events commandKeys gives from the whole ledger', async () => {
    const { ledger, events } = await busyLedger();
    const inputs = [{ text: 'a' }, { text: 'd' }, { unit: 'service-complaints' }, { text: 'z' }];

    for (const command of COMMANDS) {
      for (const input of inputs) {
        for (const clientKey of [undefined, 'client-1', 'client-2']) {
          const args = { caseId: CASE, command, input, ...(clientKey !== undefined ? { clientKey } : {}) };
          let expected;
          try {
            expected = commandKeys({ ...args, events });
          } catch (error) {
            await expect(
              commandKeysOf({ ...args, history: historyOf(ledger, { events: 0 }) }),
            ).rejects.toEqual(error);
            continue;
          }
          const keys = await commandKeysOf({ ...args, history: historyOf(ledger, { events: 0 }) });
          expect([command, input, clientKey, keys.key('done')]).toEqual([
            command,
            input,
            clientKey,
            expected.key('done'),
          ]);
          expect(keys.recorded).toEqual(expected.recorded);
        }
      }
    }
  });

  it('anchors a derived key on the latest reset event outside its own family, keyed or not', async () => {
    const { events } = await busyLedger();
    // The ledger up to the reassignment keyed by `reassign` itself (seq 8).
    const ledger = new InMemoryCaseLedger();
    for (const { type, at, actor, data, idempotencyKey } of events.slice(0, 8))
      await ledger.append(CASE, { type, at, actor, data } as EventDraft, {
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      });
    const keyOf = async (command: CommandName, input: unknown) =>
      (await commandKeysOf({ caseId: CASE, command, input, history: historyOf(ledger, { events: 0 }) })).key(
        'done',
      );

    // Its own reassignment (seq 8) is skipped; the workflow's (seq 7) anchors it. Another unit: seq 8.
    expect(await keyOf('reassign', { unit: 'service-complaints' })).toMatch(/:7:done$/);
    expect(await keyOf('reassign', { unit: 'other' })).toMatch(/:8:done$/);
    // The note without key (seq 6) is later than the keyed ones.
    expect(await keyOf('note', { text: 'a' })).toMatch(/:6:done$/);
    expect(await keyOf('acknowledge', {})).toMatch(/:0:done$/);
  });

  it('reads the whole ledger only to replay what the command recorded', async () => {
    const { ledger } = await busyLedger();
    const reads = { events: 0 };
    const history = historyOf(ledger, reads);

    const first = await commandKeysOf({ caseId: CASE, command: 'note', input: { text: 'new' }, history });
    expect(first.recorded.size).toBe(0);
    expect(reads.events).toBe(0);

    const retry = await commandKeysOf({
      caseId: CASE,
      command: 'note',
      input: { text: 'd' },
      clientKey: 'client-1',
      history,
    });
    expect(retry.recorded.get('done')).toMatchObject({ type: 'case.noted', data: { text: 'd' } });
    expect(reads.events).toBe(1);
  });

  it('refuses a client key reused with another input from the index alone', async () => {
    const { ledger } = await busyLedger();
    const reads = { events: 0 };

    await expect(
      commandKeysOf({
        caseId: CASE,
        command: 'note',
        input: { text: 'other' },
        clientKey: 'client-1',
        history: historyOf(ledger, reads),
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
    expect(reads.events).toBe(0);
  });
});
