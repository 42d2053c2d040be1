import * as z from 'zod';
import type { StaffDirectory } from '../../domain/messaging/ports';

export const StaffDirectoryConfigSchema = z.record(z.string().min(1), z.array(z.email()).min(1));
export type StaffDirectoryConfig = z.infer<typeof StaffDirectoryConfigSchema>;

/** Staff groups and their notification addresses, from configuration (validated at start-up). */
export class StaticStaffDirectory implements StaffDirectory {
  private readonly groups: StaffDirectoryConfig;

  constructor(config: unknown) {
    this.groups = StaffDirectoryConfigSchema.parse(config);
  }

  addressesOf(group: string): Promise<string[]> {
    return Promise.resolve([...(this.groups[group] ?? [])]);
  }
}
