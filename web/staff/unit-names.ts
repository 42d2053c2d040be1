import type { Policy } from '../../shared/domain/policy/schema';
import type { PageLanguage } from '../citizen/strings';

/**
 * The name staff read for each unit (queue) the policy routes cases to, in the page's language, sorted by
 * unit id. The policy has no unit record of its own, so the name comes from its categories: the contact of
 * the categories routed there (the part after the organization's name, « Secrétariat du Conseil du trésor –
 * Statistiques… » gives « Statistiques… ») when they share one, otherwise their names joined.
 */
export function unitNames(
  policy: Pick<Policy, 'categories'>,
  language: PageLanguage,
): (readonly [unit: string, name: string])[] {
  const byUnit = new Map<string, Policy['categories'][number][]>();
  for (const category of policy.categories) {
    const unit = category.routing.queue;
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), category]);
  }
  return [...byUnit.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([unit, categories]) => {
      const roles = new Set(categories.map((category) => category.contact?.role[language]));
      const [role] = roles;
      if (roles.size === 1 && role !== undefined) {
        const parts = role.split(' – ');
        return [unit, parts[parts.length - 1] ?? role] as const;
      }
      return [unit, categories.map((category) => category.name[language]).join(' · ')] as const;
    });
}
