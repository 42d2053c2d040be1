import type { Role } from './identity';

/** A staff member as the directory knows them: the roles and units the identity provider puts in their tokens. */
export interface StaffMember {
  /** The subject id (`sub`), what cases record as assignee and ledger events as actor. */
  readonly id: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  /** Their own address, when the directory has one: reminders of the cases assigned to them go there. */
  readonly email?: string;
  /** The name colleagues know them by (« Marie Tremblay »), shown instead of the id when the directory has it. */
  readonly name?: string;
}

/**
 * Who works here: where staff notifications go (the addresses of a group or queue) and who a staff id is
 * (the staff table in AWS, `docs/staff-directory.md`; the demo users locally).
 */
export interface StaffDirectory {
  addressesOf(group: string): Promise<string[]>;
  /** The staff member with this id, or `undefined` when the directory knows nobody by it. */
  member(id: string): Promise<StaffMember | undefined>;
  /** Every staff member it knows, when it can list them (the reassignment picker's choices). */
  members?(): Promise<StaffMember[]>;
}
