import { isPermission, Permission, Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The principal of a request, checked for shape; 401 when there is none. */
export function principalOf(payload: unknown): Principal {
  const principal = (payload as { principal?: Partial<Principal> } | null)?.principal;
  if (
    !principal ||
    (principal.kind !== 'user' && principal.kind !== 'api-key') ||
    typeof principal.tenantId !== 'string' ||
    !UUID.test(principal.tenantId) ||
    typeof principal.actor !== 'string' ||
    principal.actor.length === 0 ||
    !Array.isArray(principal.permissions) ||
    !principal.permissions.every(isPermission)
  ) {
    throw new DomainError('UNAUTHENTICATED', 'This request needs an authenticated principal.');
  }
  return principal as Principal;
}

/**
 * A data service cannot re-read a user's role (identity owns it), so it trusts the
 * permissions the gateway verified in the access token or API key; a demotion takes effect
 * when the token expires (at most 15 minutes).
 */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `This needs the permission ${permission}, which the caller does not have.`, { permission });
  }
}

/** The principal of a request that needs `permission`. */
export function authorised(payload: unknown, permission: Permission): Principal {
  const principal = principalOf(payload);
  requirePermission(principal, permission);
  return principal;
}

/** Platform-admin queries: users whose verified token carries the platform-admin flag. */
export function requirePlatformAdmin(principal: Principal): void {
  if (!principal.isPlatformAdmin || principal.kind !== 'user') {
    throw new DomainError('FORBIDDEN', 'Only platform administrators may do this.');
  }
}
