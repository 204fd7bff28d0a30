import { isPermission, isUuid, Permission, Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';

/** The context a handler receives: the principal comes from a verified proof (see @RpcHandler). */
type WithPrincipal = { readonly principal?: unknown };

/**
 * The principal of a request (its verified RPC context), checked for shape as well; 401 when
 * there is none. Every service reads it here: a non-empty actor, a UUID tenant, known
 * permissions, and a UUID `userId` for user principals.
 */
export function principalOf(context: WithPrincipal): Principal {
  const principal = context.principal as Partial<Principal> | undefined;
  if (
    !principal ||
    (principal.kind !== 'user' && principal.kind !== 'api-key') ||
    !isUuid(principal.tenantId) ||
    typeof principal.actor !== 'string' ||
    principal.actor.length === 0 ||
    !Array.isArray(principal.permissions) ||
    !principal.permissions.every(isPermission)
  ) {
    throw new DomainError('UNAUTHENTICATED', 'This request needs an authenticated principal.');
  }
  if (principal.kind === 'user' && !isUuid(principal.userId)) {
    throw new DomainError('UNAUTHENTICATED', 'A user principal must carry its userId.');
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
export function authorised(context: WithPrincipal, permission: Permission): Principal {
  const principal = principalOf(context);
  requirePermission(principal, permission);
  return principal;
}

/** Platform-admin queries: users whose verified token carries the platform-admin flag. */
export function requirePlatformAdmin(principal: Principal): void {
  if (!principal.isPlatformAdmin || principal.kind !== 'user') {
    throw new DomainError('FORBIDDEN', 'Only platform administrators may do this.');
  }
}
