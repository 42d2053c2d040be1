import type { Policy, PolicyDocument } from './schema';

/**
 * A valid policy document as the application reads it: each category counts on its own calendar, or on the
 * organization's when it names none. The last step of `PolicySchema`, and the whole of `bundledSctPolicy`.
 */
export function withResolvedCalendars(document: PolicyDocument): Policy {
  return {
    ...document,
    categories: document.categories.map((category) => ({
      ...category,
      calendarId: category.calendarId ?? document.organization.calendarId,
    })),
  };
}
