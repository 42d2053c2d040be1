import { createHash, randomUUID } from 'node:crypto';

import type { CaseReferenceLookup } from '../../case/reference';
import { isConfidentialCase, staffActor } from '../../access/case-access';
import type { AccessDecision, AccessTarget, ReadScope } from '../../access/case-access';
import type { StaffIdentity } from '../../identity/identity';
import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { Clock } from '../../messaging/ports';
import type { Policy } from '../../policy/schema';
import { caseIdFor } from '../register-case';
import type { HoldingItem, HoldingPen } from './holding-pen';

/** What deciding access to held mail needs: the cases it may name, the policy, the reference lookup. */
export interface HeldAccessDeps {
  readonly ledger: Pick<CaseLedger, 'getCase'>;
  readonly policy: Policy;
  readonly caseReferences: CaseReferenceLookup;
  /**
   * The thread links (`threadFingerprints`) of an item held before intake recorded them, read again from its
   * raw message; without it such an item is judged on its other links.
   */
  readonly threadOf?: (item: HoldingItem) => Promise<readonly string[]>;
}

/** What recording reads of held mail needs on top. */
export interface HeldReadRecordDeps extends HeldAccessDeps {
  readonly ledger: Pick<CaseLedger, 'getCase' | 'append'>;
  readonly holdingPen: Pick<HoldingPen, 'recordAccess'>;
  readonly clock: Clock;
}

/** How access to one held item is decided, and the cases it names (each found and existing now). */
export interface HeldAccess {
  /** Decided with the case access matrix (`authorize`) as if the item were the case it names or may become. */
  readonly target: AccessTarget;
  /** Every existing case the item names: its reply token's, its quoted reference's, the one it was filed on. */
  readonly cases: readonly CaseProjection[];
  /** The case the message itself points to (token or reference), offered to triage. */
  readonly suggested?: CaseProjection;
}

/**
 * The cases a held item names, as they are now:
 * - the case of its reply token, or the case made from it before an error (`caseId`);
 * - the case its quoted reference names: the one intake found (`referencedCaseId`), else looked up now (items
 *   held before intake looked references up), unless intake found no case under it (`referenceFound: false`);
 *   a case counts only if it carries that very reference;
 * - the case made from a message it answers (`In-Reply-To`, `References`): the one intake found
 *   (`threadCaseId`), or, for an item held before intake looked threads up, found now from its raw message;
 * - the case it was attached to or registered as (`resolvedCaseId`): its text is now that case's.
 * Returned without duplicates, in that order.
 */
async function namedCases(
  deps: HeldAccessDeps,
  item: HoldingItem,
): Promise<{ pointed: CaseProjection[]; all: CaseProjection[] }> {
  const found = new Map<string, CaseProjection>();
  const load = async (caseId: string | undefined) => {
    if (caseId === undefined) return undefined;
    const known = found.get(caseId);
    if (known !== undefined) return known;
    const projection = await deps.ledger.getCase(caseId);
    if (projection !== undefined) found.set(caseId, projection);
    return projection;
  };
  const pointed: CaseProjection[] = [];
  const token = await load(item.caseId);
  if (token !== undefined) pointed.push(token);
  if (item.reference !== undefined) {
    let referenced = await load(item.referencedCaseId);
    if (referenced?.reference !== item.reference && item.referenceFound !== false) {
      referenced = await load(await deps.caseReferences.caseIdOf(item.reference));
    }
    if (referenced?.reference === item.reference) pointed.push(referenced);
  }
  // A message answering a message that made a case (In-Reply-To / References) names that case.
  const thread =
    item.threadCaseId !== undefined
      ? await load(item.threadCaseId)
      : item.confidential === undefined && deps.threadOf !== undefined
        ? await threadCase(deps, await deps.threadOf(item))
        : undefined;
  if (thread !== undefined) pointed.push(thread);
  const resolved = await load(item.resolvedCaseId);
  const unique = (cases: CaseProjection[]) =>
    cases.filter((projection, index) => cases.findIndex((c) => c.caseId === projection.caseId) === index);
  return {
    pointed: unique(pointed),
    all: unique(resolved === undefined ? pointed : [...pointed, resolved]),
  };
}

/**
 * What access to a holding-pen item is decided on, with the case access matrix (`authorize`), as if the
 * item were the case it names or may become:
 * - an item naming a case (reply token, quoted reference, a case made before an error) takes that case's unit
 *   and assignee;
 * - it is confidential when any case it names is (the case it was filed on included), when it was sent to a
 *   mailbox that routes to a confidential category (`plaintes@`, `commentaires@`), when intake found it so
 *   (`confidential`), or when its recipients could not be read (no mailbox, no case: it may be a complaint).
 *   Confidential: only the complaints officer sees and triages it, auditors see its metadata, everyone else
 *   is told it does not exist (404);
 * - any other item belongs to the queue of its mailbox's category.
 * Decided at every access, so a case that became confidential after its mail was held protects that mail.
 */
export async function heldAccess(deps: HeldAccessDeps, item: HoldingItem): Promise<HeldAccess> {
  const mailboxCategory = deps.policy.categories.find((category) => category.id === item.category);
  const { pointed, all } = await namedCases(deps, item);
  const confidential =
    item.confidential === true ||
    mailboxCategory?.confidential === true ||
    all.some((projection) => isConfidentialCase(projection, deps.policy));
  const [suggested] = pointed;
  const base = { cases: all, ...(suggested !== undefined ? { suggested } : {}) };
  if (suggested !== undefined) {
    return {
      ...base,
      target: {
        confidential,
        category: suggested.category,
        ...(suggested.unit !== undefined ? { unit: suggested.unit } : {}),
        ...(suggested.assignee !== undefined ? { assignee: suggested.assignee } : {}),
      },
    };
  }
  if (mailboxCategory === undefined)
    return { ...base, target: { confidential: true, category: item.category ?? '' } };
  return { ...base, target: { confidential, category: mailboxCategory.id } };
}

/**
 * The first existing case made from one of the messages a message answers (`threadFingerprints`, most recent
 * first): email intake derives a case id from the fingerprint of the message that made it.
 */
export async function threadCase(
  deps: Pick<HeldAccessDeps, 'ledger' | 'policy'>,
  fingerprints: readonly string[],
): Promise<CaseProjection | undefined> {
  for (const fingerprint of fingerprints) {
    const projection = await deps.ledger.getCase(caseIdFor(deps.policy, `email:${fingerprint}`));
    if (projection !== undefined) return projection;
  }
  return undefined;
}

function newRecordId(): string {
  return createHash('sha256').update(randomUUID(), 'utf8').digest('hex');
}

/**
 * Records a read of a confidential held item before anything of it is shown, as a confidential case read is:
 * `case.read {scope, holdingItemId}` (the reader as actor) on the ledger of each case the item names; an item
 * naming no case gets a record in the holding pen's access journal instead. Reads of other items are not
 * recorded. Throws when a record cannot be written, so nothing is shown then.
 */
export async function recordHeldRead(
  deps: HeldReadRecordDeps,
  identity: StaffIdentity,
  decision: Extract<AccessDecision, { allowed: true }>,
  item: HoldingItem,
  access: HeldAccess,
): Promise<void> {
  if (!access.target.confidential) return;
  const at = deps.clock.now().toISOString();
  if (access.cases.length === 0) {
    await deps.holdingPen.recordAccess({
      recordId: newRecordId(),
      at,
      by: identity.id,
      role: decision.grantedBy,
      action: 'read',
      scope: decision.scope,
      itemIds: [item.itemId],
    });
    return;
  }
  for (const projection of access.cases) {
    await deps.ledger.append(projection.caseId, {
      type: 'case.read',
      at,
      actor: staffActor(identity, decision),
      data: { scope: decision.scope, holdingItemId: item.itemId },
    });
  }
}

/** A row a list request showed: the item, how access to it was decided, and the decision. */
export interface ShownHeldItem {
  readonly item: HoldingItem;
  readonly access: HeldAccess;
  readonly decision: Extract<AccessDecision, { allowed: true }>;
}

/**
 * Records that a list request showed confidential held items: ONE record in the holding pen's access journal
 * per request (who, role, when, the items and the cases they name), not one per row, before the page is
 * returned. Nothing is recorded for a page without confidential items. Throws when the record cannot be
 * written, so the page is not shown then.
 */
export async function recordHeldList(
  deps: Pick<HeldReadRecordDeps, 'holdingPen' | 'clock'>,
  identity: StaffIdentity,
  shown: readonly ShownHeldItem[],
): Promise<void> {
  const confidential = shown.filter((row) => row.access.target.confidential);
  const [first] = confidential;
  if (first === undefined) return;
  const scope: ReadScope = confidential.some((row) => row.decision.scope === 'content')
    ? 'content'
    : 'metadata';
  const caseIds = [...new Set(confidential.flatMap((row) => row.access.cases.map((c) => c.caseId)))];
  await deps.holdingPen.recordAccess({
    recordId: newRecordId(),
    at: deps.clock.now().toISOString(),
    by: identity.id,
    role: first.decision.grantedBy,
    action: 'list',
    scope,
    itemIds: confidential.map((row) => row.item.itemId),
    ...(caseIds.length > 0 ? { caseIds } : {}),
  });
}
