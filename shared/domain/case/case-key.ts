import { CaseNotFoundError, PortNotConfiguredError } from '../../errors';
import { CaseReferenceSchema } from './reference';
import type { CaseReference, CaseReferenceLookup } from './reference';

/**
 * The reference a text names, whatever its case (`sct-2026-000001` is `SCT-2026-000001`), or undefined when
 * it does not have the reference shape. Surrounding blanks are ignored (a reference read out on the phone is
 * often pasted with a space).
 */
export function asCaseReference(text: string): CaseReference | undefined {
  const upper = text.trim().toUpperCase();
  return CaseReferenceSchema.safeParse(upper).success ? upper : undefined;
}

/**
 * The case id an address names: every route that takes a case id also takes its reference. A segment of the
 * reference shape is a reference (case ids are opaque UUIDs, never of that shape) and is looked up; anything
 * else is the case id itself, checked by the use case as before. This is the one place a reference becomes
 * an id, so access is then checked exactly as for the id: an unknown reference is reported like an unknown
 * id (404), and a reference of a case the person may not see reaches the same 404 through the use case.
 *
 * @throws CaseNotFoundError when no case has the reference; PortNotConfiguredError when a reference is given
 *   and no lookup is wired (fails closed)
 */
export async function resolveCaseKey(
  segment: string,
  lookup: CaseReferenceLookup | undefined,
): Promise<string> {
  const reference = asCaseReference(segment);
  if (reference === undefined) return segment;
  if (lookup === undefined) throw new PortNotConfiguredError('CaseReferenceLookup');
  const caseId = await lookup.caseIdOf(reference);
  if (caseId === undefined) throw new CaseNotFoundError(reference);
  return caseId;
}
