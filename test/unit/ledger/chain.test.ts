import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import { findReplay, hashEvent, sealEvent, verifyEvents } from '../../../shared/domain/ledger/chain';
import { GENESIS_HASH } from '../../../shared/domain/ledger/events';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  IdempotencyKeyConflictError,
  ValidationError,
} from '../../../shared/errors';
import { CASE_ID, OTHER_CASE_ID, lifecycleDrafts, receivedDraft } from './fixtures';

function seal(drafts: EventDraft[], caseId = CASE_ID): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const draft of drafts) events.push(sealEvent(caseId, events.at(-1), draft));
  return events;
}

/** Re-hashes an edited event so that only the property under test is wrong. */
function rehash(event: LedgerEvent): LedgerEvent {
  return { ...event, hash: hashEvent(event) };
}

describe('sealEvent', () => {
  it('starts the chain at seq 1 with 64 zeros as prevHash', () => {
    const event = sealEvent(CASE_ID, undefined, receivedDraft());

    expect(event.seq).toBe(1);
    expect(event.prevHash).toBe(GENESIS_HASH);
    expect(event.prevHash).toMatch(/^0{64}$/);
  });

  it('hashes the RFC 8785 canonical JSON of the event without its hash', () => {
    const event = sealEvent(CASE_ID, undefined, receivedDraft(), 'web-form-7f3a');
    const { hash, ...unsealed } = event;

    expect(hash).toBe(createHash('sha256').update(canonicalize(unsealed), 'utf8').digest('hex'));
    expect(unsealed.idempotencyKey).toBe('web-form-7f3a');
  });

  it('does not depend on key order', () => {
    const event = sealEvent(CASE_ID, undefined, receivedDraft());
    const reversed = Object.fromEntries(Object.entries(event).reverse()) as LedgerEvent;

    expect(hashEvent(reversed)).toBe(event.hash);
  });

  it('links each event to the hash of the previous one', () => {
    const events = seal([receivedDraft(), ...lifecycleDrafts()]);

    for (let i = 1; i < events.length; i += 1) {
      expect(events[i]?.seq).toBe(i + 1);
      expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    }
  });

  it('drops undefined members so what is hashed is what storage returns', () => {
    const draft = receivedDraft({ requester: { name: 'A B', email: undefined, language: 'fr' } });

    const event = sealEvent(CASE_ID, undefined, draft);

    expect('email' in event.data.requester).toBe(false);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('refuses anything but case.received as the first event', () => {
    const [registered] = lifecycleDrafts();

    expect(() => sealEvent(CASE_ID, undefined, registered!)).toThrow(CaseNotFoundError);
  });

  it('refuses a second case.received', () => {
    const first = sealEvent(CASE_ID, undefined, receivedDraft());

    expect(() => sealEvent(CASE_ID, first, receivedDraft())).toThrow(CaseAlreadyExistsError);
  });

  it('refuses an invalid draft, case id or idempotency key with a ValidationError', () => {
    expect(() => sealEvent(CASE_ID, undefined, receivedDraft({ subject: 'a\nb' }))).toThrow(ValidationError);
    expect(() => sealEvent('not a case id', undefined, receivedDraft())).toThrow(ValidationError);
    expect(() => sealEvent(CASE_ID, undefined, receivedDraft(), 'key\nwith break')).toThrow(ValidationError);
  });
});

describe('verifyEvents', () => {
  const events = seal([receivedDraft(), ...lifecycleDrafts()]);

  it('accepts an intact chain, and an empty one', () => {
    expect(verifyEvents(CASE_ID, events)).toEqual({ ok: true });
    expect(verifyEvents(CASE_ID, [])).toEqual({ ok: true });
  });

  it('detects a changed field', () => {
    const tampered = structuredClone(events);
    tampered[0] = { ...tampered[0]!, data: { ...tampered[0]!.data, subject: 'Autre objet' } } as LedgerEvent;

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 1, problem: 'hash-mismatch' });
  });

  it('detects a changed timestamp deep in the chain', () => {
    const tampered = structuredClone(events);
    tampered[7]!.at = '2026-03-09T14:00:00.000Z';

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 8, problem: 'hash-mismatch' });
  });

  it('detects a deleted middle event as a gap at its seq', () => {
    const tampered = events.filter((event) => event.seq !== 5);

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 5, problem: 'gap' });
  });

  it('detects a swapped pair', () => {
    const tampered = [...events];
    [tampered[3], tampered[4]] = [tampered[4]!, tampered[3]!];

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 4, problem: 'reordered' });
  });

  it('detects a duplicated event', () => {
    const tampered = [...events.slice(0, 3), events[2]!, ...events.slice(3)];

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 4, problem: 'reordered' });
  });

  it('detects a wrong prevHash even when the event hash was recomputed', () => {
    const tampered = [...events];
    tampered[6] = rehash({ ...tampered[6]!, prevHash: 'f'.repeat(64) });

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 7, problem: 'broken-link' });
  });

  it('detects a wrong prevHash on the first event', () => {
    const tampered = [rehash({ ...events[0]!, prevHash: 'a'.repeat(64) }), ...events.slice(1)];

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 1, problem: 'broken-link' });
  });

  it('detects an event of another case', () => {
    const foreign = seal([receivedDraft(), ...lifecycleDrafts()], OTHER_CASE_ID);
    const tampered = [...events.slice(0, 2), foreign[2]!, ...events.slice(3)];

    expect(verifyEvents(CASE_ID, tampered)).toEqual({ ok: false, seq: 3, problem: 'wrong-case' });
    expect(verifyEvents(OTHER_CASE_ID, events)).toEqual({ ok: false, seq: 1, problem: 'wrong-case' });
  });

  it('detects a truncated tail only against a recorded head', () => {
    const last = events.at(-1)!;
    const truncated = events.slice(0, -2);

    expect(verifyEvents(CASE_ID, truncated)).toEqual({ ok: true });
    expect(verifyEvents(CASE_ID, truncated, { head: last })).toEqual({
      ok: false,
      seq: truncated.length + 1,
      problem: 'gap',
    });
    expect(verifyEvents(CASE_ID, [], { head: last })).toEqual({ ok: false, seq: 1, problem: 'gap' });
  });

  it('detects a rewritten history whose hashes were all recomputed, against a recorded head', () => {
    const head = events.at(-1)!;
    const rewritten: LedgerEvent[] = [];
    for (const event of events) {
      const edited =
        event.seq === 2 ? { ...event, data: { ...event.data, reference: 'SCT-2026-000999' } } : event;
      rewritten.push(rehash({ ...edited, prevHash: rewritten.at(-1)?.hash ?? GENESIS_HASH } as LedgerEvent));
    }

    expect(verifyEvents(CASE_ID, rewritten)).toEqual({ ok: true });
    expect(verifyEvents(CASE_ID, rewritten, { head })).toEqual({
      ok: false,
      seq: head.seq,
      problem: 'hash-mismatch',
    });
  });

  it('accepts a ledger that has grown past the recorded head', () => {
    expect(verifyEvents(CASE_ID, events, { head: events[4]! })).toEqual({ ok: true });
  });
});

describe('findReplay', () => {
  const events = seal([receivedDraft()]).map((event) => ({ ...event, idempotencyKey: 'msg-1' }));

  it('returns the event recorded under the key', () => {
    expect(findReplay(events, 'msg-1', 'case.received')).toBe(events[0]);
    expect(findReplay(events, 'msg-2', 'case.received')).toBeUndefined();
  });

  it('refuses a key reused for another type of event', () => {
    expect(() => findReplay(events, 'msg-1', 'case.closed')).toThrow(IdempotencyKeyConflictError);
  });
});
