import * as z from '../../zod-mini';
import { RoleSchema } from '../../domain/identity/identity';
import type { StaffDirectory, StaffMember } from '../../domain/identity/staff-directory';

/** A staff group's name (`statistics-agents`, `operations`): what the policy's routing notifies. */
export const StaffGroupNameSchema = z.string().check(z.minLength(1), z.maxLength(128));

/** The notification addresses of one staff group: at least one. */
export const StaffGroupAddressesSchema = z.array(z.email()).check(z.minLength(1));

export const StaffDirectoryConfigSchema = z.record(StaffGroupNameSchema, StaffGroupAddressesSchema);
export type StaffDirectoryConfig = z.infer<typeof StaffDirectoryConfigSchema>;

/**
 * One staff member: subject id, roles (groups) and units, as in their tokens, and optionally their own address
 * (where a case assigned to them sends its reminders) and their display name.
 */
export const StaffMemberEntrySchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  roles: z.array(RoleSchema),
  units: z.array(z.string().check(z.minLength(1), z.maxLength(128))),
  email: z.optional(z.email()),
  /** The display name shown in the console (work list, case page, audit timeline) instead of the id. */
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
});
export type StaffMemberEntry = z.infer<typeof StaffMemberEntrySchema>;

/** The staff members a static directory knows. */
export const StaffMembersConfigSchema = z.array(StaffMemberEntrySchema);
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
    return Promise.resolve(member === undefined ? undefined : copyOfMember(member));
  }

  members(): Promise<StaffMember[]> {
    return Promise.resolve([...this.known.values()].map(copyOfMember));
  }
}

/** A copy of a member, so a caller cannot change what the directory holds. */
export function copyOfMember(member: StaffMember): StaffMember {
  return {
    id: member.id,
    roles: [...member.roles],
    units: [...member.units],
    ...(member.email !== undefined ? { email: member.email } : {}),
    ...(member.name !== undefined ? { name: member.name } : {}),
  };
}
