import { STAFF_GROUP_DESCRIPTIONS } from '../../../infra/aws/constructs/staff-user-pool';
import { ROLE_CASE_READS, authorize, getCase } from '../../../shared/domain/case/commands';
import { RoleSchema } from '../../../shared/domain/identity/identity';
import type { Role } from '../../../shared/domain/identity/identity';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { ADMIN, CASE_ID, harness, staffIdentity } from './fixtures';

const policy = loadSctPolicy();
const ordinary = { confidential: false, category: 'statistics', unit: 'statistics' } as const;
const confidential = {
  confidential: true,
  category: 'service-complaint',
  unit: 'service-complaints',
} as const;

/** What `authorize` lets a person with only `role`, working in the case's unit, read. */
function readScope(role: Role, target: typeof ordinary | typeof confidential): string {
  const identity = staffIdentity({ id: `someone-${role}`, roles: [role], units: [target.unit] });
  const decision = authorize(identity, 'read', target, policy);
  return decision.allowed ? decision.scope : 'none';
}

describe('what each role may read: the access rules, the user pool and the directory agree', () => {
  it.each(RoleSchema.options)('%s: authorize grants exactly what ROLE_CASE_READS says', (role) => {
    expect({ ordinary: readScope(role, ordinary), confidential: readScope(role, confidential) }).toEqual(
      ROLE_CASE_READS[role],
    );
  });

  it.each(RoleSchema.options)('%s: the Cognito group description states those reads', (role) => {
    const description = STAFF_GROUP_DESCRIPTIONS[role];
    const { ordinary: reads, confidential: complaints } = ROLE_CASE_READS[role];

    expect(description).toContain(
      reads === 'content'
        ? 'Reads case content'
        : reads === 'metadata'
          ? 'Reads case metadata only, never case content'
          : 'Reads no case',
    );
    expect(description).toContain(
      complaints === 'content'
        ? 'confidential complaints in full'
        : complaints === 'metadata'
          ? 'confidential complaints as metadata only'
          : 'never confidential complaints',
    );
  });

  it('the admin role reads case metadata only: no requester details, no subject, no body', () => {
    expect(ROLE_CASE_READS.admin).toEqual({ ordinary: 'metadata', confidential: 'none' });
  });

  it('an admin’s read of a case shows no requester details and is recorded in the ledger', async () => {
    const h = harness();
    await h.seed();
    const before = (await h.ledger.read(CASE_ID)).length;

    const detail = await getCase(h.deps, ADMIN, CASE_ID);

    expect(detail.scope).toBe('metadata');
    const shown = JSON.stringify(detail);
    expect(shown).not.toContain('Marie Gagnon');
    expect(shown).not.toContain('marie.gagnon@example.org');
    expect(shown).not.toContain('Effectifs');
    expect((await h.ledger.read(CASE_ID)).slice(before)).toEqual([
      expect.objectContaining({
        type: 'case.read',
        actor: { kind: 'staff', id: 'adm-cote', role: 'admin' },
        data: { scope: 'metadata' },
      }),
    ]);
  });
});
