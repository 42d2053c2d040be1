import type { Actor, EventDraftOf, EventType, LedgerEventOf } from '../../ledger/events';
import type { KeyedDraft } from '../../ledger/chain';
import type { AppendResult, CaseLedger } from '../../ledger/ports';
import type { CommandKeys, KeyPart } from './idempotency';

/**
 * Appends one event of a command under `<command key>:<part>`. When a previous attempt of the same command
 * already recorded that part, the recorded event is returned and `makeData` is not even called (a retry never
 * recomputes, e.g., a deadline with a calendar that changed in between).
 */
export async function recordOnce<T extends EventType>(
  ledger: CaseLedger,
  context: {
    readonly caseId: string;
    readonly keys: CommandKeys;
    readonly actor: Actor;
    readonly at: string;
  },
  part: KeyPart,
  type: T,
  makeData: () => EventDraftOf<T>['data'],
): Promise<AppendResult<T>> {
  const recorded = context.keys.recorded.get(part);
  if (recorded?.type === type) return { event: recorded as LedgerEventOf<T>, appended: false };
  const { draft, idempotencyKey } = keyedDraftOf(context, recordPart(part, type, makeData));
  return ledger.append(context.caseId, draft as EventDraftOf<T>, { idempotencyKey });
}

/** One event of a command for `recordAllOnce`: its key part, its type and how to compute its data. */
export interface RecordPart<T extends EventType = EventType> {
  readonly part: KeyPart;
  readonly type: T;
  readonly makeData: () => EventDraftOf<T>['data'];
}

/** A `RecordPart`, typed by its event type. */
export function recordPart<T extends EventType>(
  part: KeyPart,
  type: T,
  makeData: () => EventDraftOf<T>['data'],
): RecordPart<T> {
  return { part, type, makeData };
}

/** Any `RecordPart`, whatever its event type. */
interface SomeRecordPart {
  readonly part: KeyPart;
  readonly type: EventType;
  readonly makeData: () => unknown;
}

type RecordedResults<P extends readonly SomeRecordPart[]> = {
  [I in keyof P]: AppendResult<P[I] extends RecordPart<infer T> ? T : never>;
};

/**
 * The drafts of the parts a previous attempt did not record, each under `<command key>:<part>`, for a write
 * that records them ahead of `recordAllOnce` (`deliverToRequester`'s `then`).
 */
export function draftsOf(
  context: {
    readonly keys: CommandKeys;
    readonly actor: Actor;
    readonly at: string;
  },
  parts: readonly SomeRecordPart[],
): KeyedDraft[] {
  return parts
    .filter((entry) => context.keys.recorded.get(entry.part)?.type !== entry.type)
    .map((entry) => keyedDraftOf(context, entry));
}

/** The draft of one part of a command, under `<command key>:<part>` (its data computed now). */
function keyedDraftOf(
  context: { readonly keys: CommandKeys; readonly actor: Actor; readonly at: string },
  entry: SomeRecordPart,
): KeyedDraft {
  return {
    draft: {
      type: entry.type,
      at: context.at,
      actor: context.actor,
      data: entry.makeData(),
    } as unknown as EventDraftOf<EventType>,
    idempotencyKey: context.keys.key(entry.part),
  };
}

/**
 * Appends several events of a command, each under `<command key>:<part>`, as one ledger item
 * (`CaseLedger.appendAll`): all of them or none. What a previous attempt already recorded is returned as
 * `recordOnce` does (its data not computed again), and only the rest is appended. For events appended back to
 * back with no effect between them.
 */
export async function recordAllOnce<const P extends readonly SomeRecordPart[]>(
  ledger: CaseLedger,
  context: {
    readonly caseId: string;
    readonly keys: CommandKeys;
    readonly actor: Actor;
    readonly at: string;
  },
  parts: P,
): Promise<RecordedResults<P>> {
  const results: (AppendResult | undefined)[] = parts.map((entry) => {
    const recorded = context.keys.recorded.get(entry.part);
    return recorded?.type === entry.type ? { event: recorded, appended: false } : undefined;
  });
  const missing = parts.flatMap((entry, index) =>
    results[index] !== undefined ? [] : [{ index, draft: keyedDraftOf(context, entry) }],
  );
  if (missing.length === 1) {
    const [{ index, draft }] = missing as [(typeof missing)[number]];
    results[index] = await ledger.append(context.caseId, draft.draft, {
      idempotencyKey: draft.idempotencyKey,
    });
  } else if (missing.length > 1) {
    const drafts = missing.map((entry) => entry.draft) as [KeyedDraft, ...KeyedDraft[]];
    const appended = await ledger.appendAll(context.caseId, drafts);
    missing.forEach((entry, position) => (results[entry.index] = appended.results[position]));
  }
  return results as unknown as RecordedResults<P>;
}
