import { PolicyError, type PolicyIssue } from './errors';
import { describeIssue, formatPath } from './messages';
import { PolicySchema, type Policy } from './schema';

export { getCategory } from './category';

export interface LoadPolicyOptions {
  /** Where the policy came from, quoted in error messages. */
  source?: string;
  /**
   * Category ids the caller requires, e.g. the SCT's service catalogue: the policy's `catalogue` must hold
   * exactly these ids (in any order).
   */
  requiredCatalogue?: readonly string[];
}

/**
 * Validates a parsed policy document and returns it with every category's calendar resolved.
 * A policy is usable only as a whole: any broken field or cross-field rule throws a `PolicyError` listing every
 * problem with its field path, in English and French.
 */
export function loadPolicy(json: unknown, options: LoadPolicyOptions = {}): Policy {
  // A policy is parsed once per container: without zod's compiled fast path (code generated per object schema
  // on its first parse), that one parse takes about a third less time (`docs/cold-start.md`).
  const result = PolicySchema.safeParse(json, { reportInput: true, jitless: true });
  if (!result.success) {
    throw new PolicyError(result.error.issues.flatMap(toPolicyIssues), options.source);
  }
  const policy = result.data;
  if (options.requiredCatalogue) {
    const issues = catalogueMismatch(policy.catalogue, options.requiredCatalogue);
    if (issues.length > 0) throw new PolicyError(issues, options.source);
  }
  return policy;
}

/** One policy issue per zod issue, except an unknown-fields issue, which gives one per field. */
function toPolicyIssues(issue: Parameters<typeof describeIssue>[0]): PolicyIssue[] {
  const { en, fr } = describeIssue(issue);
  const paths =
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
  return paths.map((path) => ({ path: formatPath(path), message: en, messageFr: fr }));
}

function catalogueMismatch(actual: readonly string[], required: readonly string[]): PolicyIssue[] {
  const missing = required.filter((id) => !actual.includes(id));
  const extra = actual.filter((id) => !required.includes(id));
  const issues: PolicyIssue[] = [];
  if (missing.length > 0) {
    issues.push({
      path: 'catalogue',
      message: `must include ${missing.map((id) => `"${id}"`).join(', ')}`,
      messageFr: `doit inclure ${missing.map((id) => `« ${id} »`).join(', ')}`,
    });
  }
  if (extra.length > 0) {
    issues.push({
      path: 'catalogue',
      message: `must not include ${extra.map((id) => `"${id}"`).join(', ')}`,
      messageFr: `ne doit pas inclure ${extra.map((id) => `« ${id} »`).join(', ')}`,
    });
  }
  return issues;
}
