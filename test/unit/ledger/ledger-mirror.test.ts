import { hashEvent, sealEvent } from '../../../shared/domain/ledger/chain';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { mirrorLedgerEvent } from '../../../shared/domain/ledger/mirror';
import type { LedgerItemSource, WriteOnceStore } from '../../../shared/domain/ledger/mirror';
import {
  LEDGER_CONFLICT_PREFIX,
  ledgerMirrorBody,
  ledgerMirrorKey,
  parseLedgerMirrorKey,
} from '../../../shared/domain/ledger/mirror-layout';
import { CASE_ID, lifecycleDrafts, receivedDraft } from './fixtures';

function seal(drafts: EventDraft[]): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const draft of drafts) events.push(sealEvent(CASE_ID, events.at(-1), draft));
  return events;
}

class FakeLedger implements LedgerItemSource {
  readonly items = new Map<number, LedgerEvent>();
  /** The events an item holds after its own (a new case's opening item), by the item's seq. */
  readonly following = new Map<number, LedgerEvent[]>();
  events(_caseId: string, seq: number): Promise<readonly LedgerEvent[] | undefined> {
    const own = this.items.get(seq);
    return Promise.resolve(own === undefined ? undefined : [own, ...(this.following.get(seq) ?? [])]);
  }
}

class FakeWorm implements WriteOnceStore {
  readonly objects = new Map<string, string>();
  putIfAbsent(key: string, body: string) {
    const existing = this.objects.get(key);
    if (existing !== undefined) return Promise.resolve({ written: false as const, existing });
    this.objects.set(key, body);
    return Promise.resolve({ written: true as const });
  }
  conflicts(): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(LEDGER_CONFLICT_PREFIX));
  }
}

function arrange(): { ledger: FakeLedger; mirror: FakeWorm; events: LedgerEvent[] } {
  const events = seal([receivedDraft(), ...lifecycleDrafts().slice(0, 2)]);
  const ledger = new FakeLedger();
  for (const event of events) ledger.items.set(event.seq, event);
  return { ledger, mirror: new FakeWorm(), events };
}

describe('ledger mirror layout', () => {
  it('keys an event by case and ten-digit seq, and reads the key back', () => {
    const key = ledgerMirrorKey(CASE_ID, 42);
    expect(key).toBe(`ledger/v1/${CASE_ID}/0000000042.json`);
    expect(parseLedgerMirrorKey(key)).toEqual({ caseId: CASE_ID, seq: 42 });
    expect(parseLedgerMirrorKey(`ledger-conflicts/v1/${CASE_ID}/0000000042/ab.json`)).toBeUndefined();
  });

  it('refuses a seq that is not a whole number from 1', () => {
    expect(() => ledgerMirrorKey(CASE_ID, 0)).toThrow(RangeError);
    expect(() => ledgerMirrorKey(CASE_ID, 1.5)).toThrow(RangeError);
  });

  it('writes the event as canonical JSON whose hash is the event hash', () => {
    const [event] = seal([receivedDraft()]);
    const body = ledgerMirrorBody(event!);
    const parsed = JSON.parse(body) as LedgerEvent;
    expect(parsed).toEqual(event);
    expect(hashEvent(parsed)).toBe(event!.hash);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
  });
});

describe('mirrorLedgerEvent', () => {
  it('writes each appended event once under its key', async () => {
    const { ledger, mirror, events } = arrange();

    const first = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 2, 'insert');
    const again = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 2, 'insert');

    expect(first).toEqual({ outcome: 'mirrored' });
    expect(again).toEqual({ outcome: 'already-mirrored' });
    expect([...mirror.objects.keys()]).toEqual([ledgerMirrorKey(CASE_ID, 2)]);
    expect(mirror.objects.get(ledgerMirrorKey(CASE_ID, 2))).toBe(ledgerMirrorBody(events[1]!));
  });

  it('writes each event of an opening item under its own key', async () => {
    const { ledger, mirror, events } = arrange();
    ledger.following.set(1, [events[1]!, events[2]!]);

    const outcome = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 1, 'insert');

    expect(outcome).toEqual({ outcome: 'mirrored' });
    expect([...mirror.objects.keys()]).toEqual([1, 2, 3].map((seq) => ledgerMirrorKey(CASE_ID, seq)));
    expect(mirror.objects.get(ledgerMirrorKey(CASE_ID, 3))).toBe(ledgerMirrorBody(events[2]!));
  });

  it('records an item edited in place beside the mirror and keeps the mirrored event', async () => {
    const { ledger, mirror, events } = arrange();
    await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 1, 'insert');
    const edited = { ...events[0]!, at: '2026-01-01T00:00:00.000Z' } as LedgerEvent;
    ledger.items.set(1, { ...edited, hash: hashEvent(edited) });

    const outcome = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 1, 'insert');

    expect(outcome).toMatchObject({ outcome: 'tampered', reason: 'content-differs' });
    expect(mirror.objects.get(ledgerMirrorKey(CASE_ID, 1))).toBe(ledgerMirrorBody(events[0]!));
    expect(mirror.conflicts()).toHaveLength(1);
    const record = JSON.parse(mirror.objects.get(mirror.conflicts()[0]!)!) as Record<string, unknown>;
    expect(record).toMatchObject({ caseId: CASE_ID, seq: 1, reason: 'content-differs' });
    expect(record['itemEvent']).toMatchObject({ at: '2026-01-01T00:00:00.000Z' });
  });

  it('records an overwrite the stream reports even when the event reads the same', async () => {
    const { ledger, mirror } = arrange();
    await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 3, 'insert');

    const outcome = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 3, 'modify');
    const replayed = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 3, 'modify');

    expect(outcome).toMatchObject({ outcome: 'tampered', reason: 'item-rewritten' });
    expect(replayed).toEqual(outcome);
    expect(mirror.conflicts()).toHaveLength(1);
  });

  it('records a deleted item and writes no event for it', async () => {
    const { ledger, mirror } = arrange();
    ledger.items.delete(2);

    const outcome = await mirrorLedgerEvent({ ledger, mirror }, CASE_ID, 2, 'remove');

    expect(outcome).toMatchObject({ outcome: 'tampered', reason: 'item-removed' });
    expect(mirror.objects.has(ledgerMirrorKey(CASE_ID, 2))).toBe(false);
    expect(mirror.conflicts()).toHaveLength(1);
  });
});
