import { Permission, Principal, ROLE_PERMISSIONS, TenantRole } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { requirePermission } from '@parking/service-runtime';

export interface ActingPrincipal {
  principal: Principal;
  /** What the caller may do now: for a user, its current role's permissions within what the token says. */
  permissions: Permission[];
  role: TenantRole | null;
}

/**
 * Re-reads a user's role inside the tenant transaction, so that a demoted or removed user
 * cannot act on an access token issued before the change.
 */
export async function actingPrincipal(tx: IdentityTransaction, principal: Principal, permission: Permission): Promise<ActingPrincipal> {
  requirePermission(principal, permission);
  if (principal.kind !== 'user') return { principal, permissions: principal.permissions, role: null };
  const user = await tx.user.findUnique({ where: { id: principal.userId }, select: { role: true } });
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The signed-in user no longer exists.');
  const role = user.role as TenantRole;
  const permissions = principal.permissions.filter((p) => ROLE_PERMISSIONS[role].includes(p));
  if (!permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `This needs the permission ${permission}; the role ${role} does not grant it.`, { permission });
  }
  return { principal, permissions, role };
}
