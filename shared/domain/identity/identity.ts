import * as z from '../../zod-mini';

/** Staff roles, carried as groups of the identity provider (Cognito groups in AWS, the same claim locally). */
export const RoleSchema = z.enum(['agent', 'supervisor', 'complaints-officer', 'auditor', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** A signed-in staff member, built from verified JWT claims only. */
export interface StaffIdentity {
  /** Stable subject id (`sub`): what the ledger records as the actor. */
  readonly id: string;
  readonly roles: readonly Role[];
  readonly email?: string;
  readonly name?: string;
  /** Units (queues) the person works in, from the `custom:units` claim (comma-separated). */
  readonly units: readonly string[];
}

const ClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  name: z.optional(z.string()),
  'cognito:groups': z.optional(z.union([z.array(z.string()), z.string()])),
  'custom:units': z.optional(z.string()),
});

/**
 * Builds the identity from the claims an API Gateway JWT authorizer passes on (already verified).
 * Groups arrive as an array, or as the string form API Gateway gives (`[agent supervisor]`).
 * Unknown groups are ignored; `undefined` when the claims carry no subject.
 */
export function identityFromClaims(claims: unknown): StaffIdentity | undefined {
  const parsed = ClaimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const raw = parsed.data['cognito:groups'];
  const groups = Array.isArray(raw) ? raw : (raw ?? '').replace(/^\[|\]$/g, '').split(/[\s,]+/);
  const roles = groups.flatMap((g) => {
    const role = RoleSchema.safeParse(g.trim());
    return role.success ? [role.data] : [];
  });
  const units = (parsed.data['custom:units'] ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  return {
    id: parsed.data.sub,
    roles: [...new Set(roles)],
    units,
    ...(parsed.data.email ? { email: parsed.data.email } : {}),
    ...(parsed.data.name ? { name: parsed.data.name } : {}),
  };
}

export function hasRole(identity: StaffIdentity, ...roles: Role[]): boolean {
  return identity.roles.some((r) => roles.includes(r));
}
