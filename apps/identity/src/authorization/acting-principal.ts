import { isPermission, Permission, Principal, ROLE_PERMISSIONS, TenantRole } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The principal of a tenant-scoped request, checked for shape; 401 when there is none. */
export function principalOf(payload: unknown): Principal {
  const principal = (payload as { principal?: Partial<Principal> } | null)?.principal;
  if (
    !principal ||
    (principal.kind !== 'user' && principal.kind !== 'api-key') ||
    typeof principal.tenantId !== 'string' ||
    !UUID.test(principal.tenantId) ||
    typeof principal.actor !== 'string' ||
    !Array.isArray(principal.permissions) ||
    !principal.permissions.every(isPermission)
  ) {
    throw new DomainError('UNAUTHENTICATED', 'This request needs an authenticated principal.');
  }
  if (principal.kind === 'user' && (typeof principal.userId !== 'string' || !UUID.test(principal.userId))) {
    throw new DomainError('UNAUTHENTICATED', 'A user principal must carry its userId.');
  }
  return principal as Principal;
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `This needs the permission ${permission}, which the caller does not have.`, { permission });
  }
}

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
