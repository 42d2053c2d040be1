import * as z from '../../zod-mini';

/** Organization prefix of case references, e.g. `SCT`. */
export const ReferencePrefixSchema = z
  .string()
  .check(z.regex(/^[A-Z]{2,10}$/, 'expected 2 to 10 capital letters'));
export type ReferencePrefix = z.infer<typeof ReferencePrefixSchema>;

/** The local (America/Toronto) year of receipt that a reference sequence belongs to. */
export const ReferenceYearSchema = z.number().check(z.int(), z.gte(2000), z.lte(9999));

/** Highest sequence number the six-digit reference format can hold. */
export const MAX_REFERENCE_SEQUENCE = 999_999;

/** A human case reference: organization prefix, local year of receipt, six-digit sequence (`SCT-2026-000123`). */
export const CaseReferenceSchema = z
  .string()
  .check(z.regex(/^[A-Z]{2,10}-\d{4}-\d{6}$/, 'expected a reference such as SCT-2026-000123'));
export type CaseReference = z.infer<typeof CaseReferenceSchema>;

export interface CaseReferenceParts {
  readonly prefix: string;
  readonly year: number;
  readonly sequence: number;
}

/**
 * Formats a case reference. The sequence restarts at 1 every local year for each prefix, so the triple is
 * unique as long as the allocator hands out each sequence once; sequences outside 1..999999 are refused
 * rather than widened, because citizens and staff quote references by their fixed shape.
 */
export function formatCaseReference(parts: CaseReferenceParts): CaseReference {
  const prefix = ReferencePrefixSchema.parse(parts.prefix);
  const year = ReferenceYearSchema.parse(parts.year);
  const sequence = z.number().check(z.int(), z.gte(1), z.lte(MAX_REFERENCE_SEQUENCE)).parse(parts.sequence);
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Splits a reference into its parts, or returns undefined when it does not have the reference shape. */
export function parseCaseReference(reference: string): CaseReferenceParts | undefined {
  const match = /^([A-Z]{2,10})-(\d{4})-(\d{6})$/.exec(reference);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const parts = { prefix: match[1], year: Number(match[2]), sequence: Number(match[3]) };
  return parts.sequence >= 1 && parts.year >= 2000 ? parts : undefined;
}

/**
 * Finds the case a quoted reference names (mail that quotes a reference without its case's reply token). A
 * reference is unique; the answer is a candidate that callers confirm on the case itself.
 */
export interface CaseReferenceLookup {
  /** The id of the case registered under `reference`, or undefined when no case is. */
  caseIdOf(reference: CaseReference): Promise<string | undefined>;
}
