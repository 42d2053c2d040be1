import type { DynamoDbStaffDirectoryEditor } from '../../shared/adapters/dynamodb/staff-directory-editor';
import type { Role } from '../../shared/domain/identity/identity';
import type { Policy } from '../../shared/domain/policy/schema';
import type { StaffTokenClaims } from './auth/local-identity-provider';

/** One seeded staff member per role, so a newcomer can play each part (`POST /api/local/login {role}`). */
export const DEMO_USERS: Readonly<Record<Role, StaffTokenClaims>> = {
  agent: {
    sub: 'demo-agent',
    email: 'agent.demo@sct.example',
    name: 'Agent Démo',
    'cognito:groups': ['agent'],
    'custom:units': 'statistics,management-policies',
  },
  supervisor: {
    sub: 'demo-supervisor',
    email: 'superviseure.demo@sct.example',
    name: 'Superviseure Démo',
    'cognito:groups': ['supervisor'],
    'custom:units': 'statistics,management-policies,media-relations,supplier-complaints,doing-business',
  },
  'complaints-officer': {
    sub: 'demo-complaints-officer',
    email: 'plaintes.demo@sct.example',
    name: 'Responsable des plaintes Démo',
    'cognito:groups': ['complaints-officer'],
    'custom:units': 'service-complaints,comments',
  },
  auditor: {
    sub: 'demo-auditor',
    email: 'verificateur.demo@sct.example',
    name: 'Vérificateur Démo',
    'cognito:groups': ['auditor'],
    'custom:units': '',
  },
  admin: {
    sub: 'demo-admin',
    email: 'admin.demo@sct.example',
    name: 'Admin Démo',
    'cognito:groups': ['admin'],
    'custom:units': '',
  },
};

/**
 * The demo users as the local staff directory knows them (subject, roles, units, address, display name), for
 * reassignment checks, the reminders of the cases assigned to them and the names the console shows.
 */
export function demoStaffMembers(): {
  id: string;
  roles: Role[];
  units: string[];
  email: string;
  name: string;
}[] {
  return (Object.keys(DEMO_USERS) as Role[]).map((role) => ({
    id: DEMO_USERS[role].sub,
    roles: [role],
    units: unitsOf(role),
    email: DEMO_USERS[role].email,
    name: DEMO_USERS[role].name,
  }));
}

function unitsOf(role: Role): string[] {
  return DEMO_USERS[role]['custom:units'].split(',').filter((unit) => unit !== '');
}

/**
 * The local staff directory (group → addresses) for every group the policy routes to. A group whose queue is
 * a demo user's unit gets that user's address, so whoever plays the agent, the supervisor or the complaints
 * officer finds their own notifications in the outbox; other groups get `<group>@sct.example`.
 */
export function demoStaffDirectory(policy: Pick<Policy, 'categories'>): Record<string, string[]> {
  // `complaints-officer` and `operations` are groups of their own, as in AWS (`service-context.ts`).
  const directory: Record<string, string[]> = {
    operations: ['operations@sct.example'],
    'complaints-officer': [DEMO_USERS['complaints-officer'].email],
  };
  const assign = (group: string, role: Role | undefined) => {
    directory[group] ??= [role === undefined ? `${group}@sct.example` : DEMO_USERS[role].email];
  };
  for (const category of policy.categories) {
    const { queue, assigneeGroup, supervisor, director, handlerRole } = category.routing;
    assign(
      assigneeGroup,
      handlerRole === 'complaints-officer'
        ? 'complaints-officer'
        : unitsOf('agent').includes(queue)
          ? 'agent'
          : undefined,
    );
    assign(supervisor, unitsOf('supervisor').includes(queue) ? 'supervisor' : undefined);
    assign(director, undefined);
  }
  return directory;
}

/** Who the local stack's seeding of the staff table is recorded as (`changedBy`). */
export const LOCAL_SEEDER = 'local-stack (demo users)';

/**
 * Seeds the staff table (`docs/staff-directory.md`) with the demo users and the demo group addresses, as an
 * operator's `npx jalon staff load` would in AWS. Only entries the table lacks are written: an entry edited
 * with `npx jalon staff` on a kept data folder stays as edited across restarts. Returns how many were written.
 */
export async function seedDemoStaffDirectory(
  editor: Pick<DynamoDbStaffDirectoryEditor, 'list' | 'putMember' | 'putGroup'>,
  policy: Pick<Policy, 'categories'>,
): Promise<number> {
  const { members, groups } = await editor.list();
  const knownMembers = new Set(members.map((item) => item.sk));
  const knownGroups = new Set(groups.map((item) => item.sk));
  let written = 0;
  for (const member of demoStaffMembers()) {
    if (knownMembers.has(member.id)) continue;
    await editor.putMember(member, LOCAL_SEEDER);
    written += 1;
  }
  for (const [group, addresses] of Object.entries(demoStaffDirectory(policy))) {
    if (knownGroups.has(group)) continue;
    await editor.putGroup(group, addresses, LOCAL_SEEDER);
    written += 1;
  }
  return written;
}
