import { DomainError, SystemError } from '../../errors';

/** One problem in a policy: the field path as an author writes it, and the problem in English and French. */
export interface PolicyIssue {
  /** `categories[2].acknowledgement.delay.amount`; empty for the document as a whole. */
  path: string;
  message: string;
  messageFr: string;
}

/**
 * A policy that cannot be used: every problem found is listed, each with its field path. A system fault, not a
 * request fault: nothing can be computed without a valid policy.
 */
export class PolicyError extends SystemError {
  override readonly name = 'PolicyError';

  constructor(
    readonly issues: readonly PolicyIssue[],
    /** Where the policy came from (file path or bundled name), for the message. */
    readonly source?: string,
  ) {
    super('POLICY_INVALID', formatPolicyError(issues, source), {
      details: { source, paths: issues.map((issue) => issue.path) },
    });
  }
}

function formatPolicyError(issues: readonly PolicyIssue[], source: string | undefined): string {
  const from = source === undefined ? '' : ` (${source})`;
  const count = issues.length;
  const header =
    `Invalid service policy${from}: ${count} problem${count > 1 ? 's' : ''} / ` +
    `Politique de service invalide${from} : ${count} problème${count > 1 ? 's' : ''}`;
  const lines = issues.map(
    (issue) => `- ${issue.path === '' ? '(policy)' : issue.path}: ${issue.message} / ${issue.messageFr}`,
  );
  return [header, ...lines].join('\n');
}

/** A category id that the policy does not define (a stale form value, a case from a retired category). */
export class UnknownCategoryError extends DomainError {
  static override readonly status = 422;
  override readonly name = 'UnknownCategoryError';

  constructor(
    readonly organizationId: string,
    readonly categoryId: string,
  ) {
    super(
      'UNKNOWN_CATEGORY',
      `Unknown category "${categoryId}" in the service policy of "${organizationId}"`,
      { organizationId, categoryId },
      {
        fr: 'Cette catégorie n’existe pas dans la politique de service.',
        en: 'This category does not exist in the service policy.',
      },
    );
  }
}
