import type { StaffDirectory } from './staff-directory';

/** Display names of staff members by their id (`sub`), for the ids a response shows; unknown ids left out. */
export type StaffNames = Readonly<Record<string, string>>;

/**
 * The display names the staff directory knows for these staff ids (assignees, authors, actors), so pages show
 * « Marie Tremblay » rather than a subject id. An id the directory does not know, or knows without a name,
 * is left out: the page shows the id then. Names are for the people who may see the response; they are never
 * logged.
 */
export async function staffNamesOf(
  directory: Pick<StaffDirectory, 'member'> | undefined,
  ids: Iterable<string | undefined>,
): Promise<StaffNames> {
  if (directory === undefined) return {};
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== ''))];
  const members = await Promise.all(wanted.map((id) => directory.member(id)));
  const names: Record<string, string> = {};
  for (const member of members) {
    if (member?.name !== undefined && member.name.trim() !== '') names[member.id] = member.name;
  }
  return names;
}
