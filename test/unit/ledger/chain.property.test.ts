import fc from 'fast-check';

import { SubjectSchema } from '../../../shared/domain/case/case';
import { sealEvent, verifyEvents } from '../../../shared/domain/ledger/chain';
import { EventDraftSchema } from '../../../shared/domain/ledger/events';
import type { Actor, EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import { deadline } from './fixtures';

const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => SubjectSchema.safeParse(s).success);
const body = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/[\p{Cc}]/gu, '\n'));
const instant = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const actor: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant<Actor>({ kind: 'system' }),
  fc.constant<Actor>({ kind: 'citizen' }),
  fc.record({
    kind: fc.constant('staff' as const),
    id,
    role: fc.constantFrom('agent', 'complaints-officer'),
  }),
);
const kind = fc.constantFrom('acknowledgement' as const, 'answer' as const);
const aDeadline = fc
  .integer({ min: 1, max: 60 })
  .map((amount) => deadline('2026-03-16', '2026-03-17T03:59:59.999Z', amount));

const received: fc.Arbitrary<EventDraft> = fc.record({
  type: fc.constant('case.received' as const),
  at: instant,
  actor,
  data: fc.record({
    channel: fc.constantFrom(
      'web' as const,
      'email' as const,
      'mail' as const,
      'phone' as const,
      'in-person' as const,
    ),
    category: fc.constantFrom('statistics', 'policies', 'media', 'service-complaint', 'comment'),
    requester: fc.oneof(
      fc.record({ name: text, email: fc.constant('a.b@example.org'), language: fc.constant('fr' as const) }),
      fc.record({
        name: text,
        language: fc.constant('en' as const),
        languageBasis: fc.record({
          basis: fc.constant('outside-quebec' as const),
          attestedOn: fc.constant('2026-01-05'),
        }),
      }),
    ),
    subject: text,
    body,
    attachments: fc.array(
      fc.record({
        key: text,
        filename: text,
        contentType: fc.constant('image/png'),
        size: fc.nat(1_000_000),
      }),
      { maxLength: 2 },
    ),
    receivedAt: instant,
    confidential: fc.boolean(),
  }),
});

const later: fc.Arbitrary<EventDraft> = fc.oneof(
  fc.record({
    type: fc.constant('case.registered' as const),
    at: instant,
    actor,
    data: fc.record({
      reference: fc.integer({ min: 1, max: 999_999 }).map((n) => `SCT-2026-${String(n).padStart(6, '0')}`),
      registeredAt: instant,
    }),
  }),
  fc.record({
    type: fc.constant('deadline.planned' as const),
    at: instant,
    actor,
    data: fc.record({ kind, deadline: aDeadline }),
  }),
  fc.record({
    type: fc.constant('deadline.extended' as const),
    at: instant,
    actor,
    data: fc.record({ kind, deadline: aDeadline, reason: text }),
  }),
  fc.record({
    type: fc.constant('case.assigned' as const),
    at: instant,
    actor,
    data: fc.record({ unit: id, assignee: id }),
  }),
  fc.record({
    type: fc.constant('case.reassigned' as const),
    at: instant,
    actor,
    data: fc.record({ unit: id, reasonCode: fc.constantFrom('misrouted' as const, 'workload' as const) }),
  }),
  fc.record({
    type: fc.constant('case.acknowledged' as const),
    at: instant,
    actor,
    data: fc.record({
      messageId: text,
      promisedAnswerDate: fc.constant('2026-03-30'),
      automatic: fc.boolean(),
    }),
  }),
  fc.record({
    type: fc.constant('case.answered' as const),
    at: instant,
    actor,
    data: fc.record({ messageId: text }),
  }),
  fc.record({
    type: fc.constant('case.closed' as const),
    at: instant,
    actor,
    data: fc.record({ reason: fc.constantFrom('answered' as const, 'withdrawn' as const) }),
  }),
  fc.record({ type: fc.constant('step.done' as const), at: instant, actor, data: fc.record({ stepId: id }) }),
  fc.record({
    type: fc.constant('case.read' as const),
    at: instant,
    actor,
    data: fc.record({ scope: fc.constant('content' as const) }),
  }),
);

const history = fc.record({
  caseId: fc.uuid(),
  drafts: fc.tuple(received, fc.array(later, { maxLength: 15 })).map(([first, rest]) => [first, ...rest]),
  idempotencyKeys: fc.array(fc.option(text, { nil: undefined }), { minLength: 16, maxLength: 16 }),
});

function seal(caseId: string, drafts: EventDraft[], keys: (string | undefined)[]): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  drafts.forEach((draft, index) => events.push(sealEvent(caseId, events.at(-1), draft, keys[index])));
  return events;
}

type Path = (string | number)[];

/** Paths to every leaf value and every object member of an event. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [
    ...paths(child, [...prefix, key]),
    ...(Array.isArray(value) ? [] : [[...prefix, key, '∅']]),
  ]);
}

/** Applies one mutation: `…, '∅'` deletes the member, anything else changes the leaf to another value. */
function mutate(event: LedgerEvent, path: Path): LedgerEvent {
  const copy = structuredClone(event) as unknown as Record<string | number, unknown>;
  const deletes = path.at(-1) === '∅';
  const target = deletes ? path.slice(0, -1) : path;
  let parent: Record<string | number, unknown> = copy;
  for (const key of target.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = target.at(-1)!;
  if (deletes) {
    delete parent[last];
  } else {
    const leaf = parent[last];
    parent[last] =
      typeof leaf === 'number' ? leaf + 1 : typeof leaf === 'boolean' ? !leaf : `${String(leaf)}x`;
  }
  return copy as unknown as LedgerEvent;
}

describe('hash chain properties', () => {
  it('every sequence of valid drafts seals into a chain that verifies and folds', () => {
    fc.assert(
      fc.property(history, ({ caseId, drafts, idempotencyKeys }) => {
        drafts.forEach((draft) => expect(EventDraftSchema.safeParse(draft).success).toBe(true));

        const events = seal(caseId, drafts, idempotencyKeys);

        expect(verifyEvents(caseId, events)).toEqual({ ok: true });
        expect(projectCase(events)?.lastSeq).toBe(drafts.length);
      }),
    );
  });

  it('any single-field change or removal anywhere in the chain makes verification fail', () => {
    const scenario = history.chain((h) => {
      const events = seal(h.caseId, h.drafts, h.idempotencyKeys);
      return fc
        .integer({ min: 0, max: events.length - 1 })
        .chain((index) =>
          fc.record({ index: fc.constant(index), path: fc.constantFrom(...paths(events[index])) }),
        )
        .map(({ index, path }) => ({ caseId: h.caseId, events, index, path }));
    });

    fc.assert(
      fc.property(scenario, ({ caseId, events, index, path }) => {
        const tampered = [...events];
        tampered[index] = mutate(events[index]!, path);

        const result = verifyEvents(caseId, tampered);

        expect(result.ok).toBe(false);
        // The chain is first wrong at the mutated event itself, whichever of its fields changed.
        if (!result.ok) expect(result.seq).toBe(index + 1);
      }),
      { numRuns: 300 },
    );
  });
});
