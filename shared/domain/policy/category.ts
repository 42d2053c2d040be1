import { UnknownCategoryError } from './errors';
import type { Category, Policy } from './schema';

/**
 * The category a case belongs to. A case always names a category of its policy, so an unknown id is an
 * error (`UnknownCategoryError`), never a fallback to some default category.
 */
export function getCategory(policy: Policy, id: string): Category {
  const category = policy.categories.find((candidate) => candidate.id === id);
  if (!category) throw new UnknownCategoryError(policy.organization.id, id);
  return category;
}
