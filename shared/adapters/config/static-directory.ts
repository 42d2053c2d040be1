import * as z from 'zod';
import { RoleSchema } from '../../domain/identity/identity';
import type { StaffDirectory, StaffMember } from '../../domain/identity/staff-directory';

export const StaffDirectoryConfigSchema = z.record(z.string().min(1), z.array(z.email()).min(1));
export type StaffDirectoryConfig = z.infer<typeof StaffDirectoryConfigSchema>;

/**
 * The staff members a static directory knows: subject id, roles (groups) and units, as in their tokens, and
 * optionally their own address (where a case assigned to them sends its reminders) and their display name.
 */
export const StaffMembersConfigSchema = z.array(
  z.strictObject({
    id: z.string().min(1).max(128),
    roles: z.array(RoleSchema),
    units: z.array(z.string().min(1).max(128)),
    email: z.email().optional(),
    /** The display name shown in the console (work list, case page, audit timeline) instead of the id. */
    name: z.string().trim().min(1).max(200).optional(),
  }),
);
export type StaffMembersConfig = z.infer<typeof StaffMembersConfigSchema>;

/** Staff groups and their notification addresses, and the staff members, from configuration (validated at start-up). */
export class StaticStaffDirectory implements StaffDirectory {
  private readonly groups: StaffDirectoryConfig;
  private readonly known: ReadonlyMap<string, StaffMember>;

  constructor(config: unknown, members: unknown = []) {
    this.groups = StaffDirectoryConfigSchema.parse(config);
    this.known = new Map(StaffMembersConfigSchema.parse(members).map((member) => [member.id, member]));
  }

  addressesOf(group: string): Promise<string[]> {
    return Promise.resolve([...(this.groups[group] ?? [])]);
  }

  member(id: string): Promise<StaffMember | undefined> {
    const member = this.known.get(id);
    return Promise.resolve(member === undefined ? undefined : copyOf(member));
  }

  members(): Promise<StaffMember[]> {
    return Promise.resolve([...this.known.values()].map(copyOf));
  }
}

function copyOf(member: StaffMember): StaffMember {
  return {
    id: member.id,
    roles: [...member.roles],
    units: [...member.units],
    ...(member.email !== undefined ? { email: member.email } : {}),
    ...(member.name !== undefined ? { name: member.name } : {}),
  };
}
