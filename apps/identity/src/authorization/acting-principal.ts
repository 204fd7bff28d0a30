import { Permission, Principal, ROLE_PERMISSIONS, TenantRole } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { requirePermission } from '@parking/service-runtime';

export interface ActingPrincipal {
  principal: Principal;
  /**
   * What the caller may do now: for a user, its current role's permissions within what the
   * token says; for an API key, its stored scopes within what the gateway's proof says.
   */
  permissions: Permission[];
  role: TenantRole | null;
  /** When the acting API key expires (null: never, or the caller is a user). */
  expiresAt: Date | null;
}

/**
 * Re-reads the caller inside the tenant transaction: a demoted or removed user cannot act on
 * an access token issued before the change, and a revoked or expired API key cannot act on a
 * verification a gateway still remembers.
 */
export async function actingPrincipal(tx: IdentityTransaction, principal: Principal, permission: Permission): Promise<ActingPrincipal> {
  requirePermission(principal, permission);
  if (principal.kind === 'api-key') return actingApiKey(tx, principal, permission);
  const user = await tx.user.findUnique({ where: { id: principal.userId }, select: { role: true } });
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The signed-in user no longer exists.');
  const role = user.role as TenantRole;
  const permissions = principal.permissions.filter((p) => ROLE_PERMISSIONS[role].includes(p));
  if (!permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `This needs the permission ${permission}; the role ${role} does not grant it.`, { permission });
  }
  return { principal, permissions, role, expiresAt: null };
}

async function actingApiKey(tx: IdentityTransaction, principal: Principal, permission: Permission): Promise<ActingPrincipal> {
  const key = principal.apiKeyId ? await tx.apiKey.findUnique({ where: { id: principal.apiKeyId }, select: { scopes: true, revokedAt: true, expiresAt: true } }) : null;
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= new Date())) {
    throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
  }
  const permissions = principal.permissions.filter((p) => key.scopes.includes(p));
  if (!permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `This needs the permission ${permission}, which the API key does not carry.`, { permission });
  }
  return { principal, permissions, role: null, expiresAt: key.expiresAt };
}

/**
 * Whoever grants a role must hold every permission it grants: an API key cannot invite or
 * promote anyone above its own scopes, nor manage a user who holds more than it does. (A user's
 * own role's permissions always include those of the roles below it.)
 */
export function assertRoleWithin(acting: ActingPrincipal, role: TenantRole, what: 'grant' | 'manage' = 'grant'): void {
  const missing = ROLE_PERMISSIONS[role].filter((p) => !acting.permissions.includes(p));
  if (missing.length === 0) return;
  const detail =
    what === 'grant'
      ? `The role ${role} grants permissions the caller lacks: ${missing.join(', ')}.`
      : `This user's role ${role} holds permissions the caller lacks: ${missing.join(', ')}.`;
  throw new DomainError('FORBIDDEN', detail, { missing }, { errors: [{ field: 'role', message: `${role} holds permissions the caller lacks: ${missing.join(', ')}` }] });
}
