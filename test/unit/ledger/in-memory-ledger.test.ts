import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { hashEvent } from '../../../shared/domain/ledger/chain';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  IdempotencyKeyConflictError,
  LedgerIntegrityError,
} from '../../../shared/errors';
import { CASE_ID, lifecycleDrafts, receivedDraft } from './fixtures';

describe('InMemoryCaseLedger', () => {
  it('appends, reads and projects a case', async () => {
    const ledger = new InMemoryCaseLedger();

    const first = await ledger.append(CASE_ID, receivedDraft());
    for (const draft of lifecycleDrafts().slice(0, 6)) await ledger.append(CASE_ID, draft);

    expect(first).toMatchObject({ appended: true, event: { seq: 1, type: 'case.received' } });
    expect((await ledger.read(CASE_ID)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await ledger.getCase(CASE_ID)).toMatchObject({
      lastSeq: 7,
      handoffCount: 1,
      assignee: 'agent-roy',
    });
    expect(await ledger.verifyChain(CASE_ID)).toEqual({ ok: true });
  });

  it('applies the sealing rules', async () => {
    const ledger = new InMemoryCaseLedger();

    await expect(ledger.append(CASE_ID, lifecycleDrafts()[0]!)).rejects.toThrow(CaseNotFoundError);
    await ledger.append(CASE_ID, receivedDraft());
    await expect(ledger.append(CASE_ID, receivedDraft())).rejects.toThrow(CaseAlreadyExistsError);
  });

  it('records one event per idempotency key', async () => {
    const ledger = new InMemoryCaseLedger();
    await ledger.append(CASE_ID, receivedDraft(), { idempotencyKey: '<m1@example.org>' });

    const replay = await ledger.append(CASE_ID, receivedDraft(), { idempotencyKey: '<m1@example.org>' });

    expect(replay).toMatchObject({ appended: false, event: { seq: 1 } });
    expect(await ledger.read(CASE_ID)).toHaveLength(1);
    await expect(
      ledger.append(CASE_ID, lifecycleDrafts()[0]!, { idempotencyKey: '<m1@example.org>' }),
    ).rejects.toThrow(IdempotencyKeyConflictError);
  });

  it('hands out copies: a caller cannot alter stored events', async () => {
    const ledger = new InMemoryCaseLedger();
    const { event } = await ledger.append(CASE_ID, receivedDraft());

    event.data.subject = 'changed';
    (await ledger.read(CASE_ID))[0]!.at = '2000-01-01T00:00:00Z';

    expect(await ledger.verifyChain(CASE_ID)).toEqual({ ok: true });
  });

  it('repairs a lost projection from the ledger', async () => {
    const ledger = new InMemoryCaseLedger();
    await ledger.append(CASE_ID, receivedDraft());
    ledger.dropProjection(CASE_ID);
    for (const draft of lifecycleDrafts().slice(0, 3)) await ledger.append(CASE_ID, draft);

    expect(await ledger.getCase(CASE_ID)).toMatchObject({ lastSeq: 4, reference: 'SCT-2026-000123' });
  });

  it('reports tampering and refuses to project a broken chain', async () => {
    const ledger = new InMemoryCaseLedger();
    await ledger.append(CASE_ID, receivedDraft());
    for (const draft of lifecycleDrafts().slice(0, 3)) await ledger.append(CASE_ID, draft);

    ledger.tamper(CASE_ID, (events) => events.filter((event) => event.seq !== 2));
    ledger.dropProjection(CASE_ID);

    expect(await ledger.verifyChain(CASE_ID)).toEqual({ ok: false, seq: 2, problem: 'gap' });
    await expect(ledger.getCase(CASE_ID)).rejects.toThrow(LedgerIntegrityError);
  });

  it('notices a truncated ledger against the projection head', async () => {
    const ledger = new InMemoryCaseLedger();
    await ledger.append(CASE_ID, receivedDraft());
    await ledger.append(CASE_ID, lifecycleDrafts()[0]!);

    ledger.tamper(CASE_ID, (events) =>
      events.slice(0, 1).map((event) => ({ ...event, hash: hashEvent(event) })),
    );

    expect(await ledger.verifyChain(CASE_ID)).toEqual({ ok: false, seq: 2, problem: 'gap' });
  });

  it('has no case for an unknown id', async () => {
    expect(await new InMemoryCaseLedger().getCase(CASE_ID)).toBeUndefined();
  });
});

describe('InMemoryReferenceAllocator', () => {
  it('counts per prefix and year', async () => {
    const allocator = new InMemoryReferenceAllocator();

    expect(await allocator.allocate({ prefix: 'SCT', year: 2026 })).toBe('SCT-2026-000001');
    expect(await allocator.allocate({ prefix: 'SCT', year: 2026 })).toBe('SCT-2026-000002');
    expect(await allocator.allocate({ prefix: 'SCT', year: 2027 })).toBe('SCT-2027-000001');
    expect(await allocator.allocate({ prefix: 'MCN', year: 2026 })).toBe('MCN-2026-000001');
  });
});
