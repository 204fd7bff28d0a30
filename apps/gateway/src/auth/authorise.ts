import type { Permission, Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import type { AccessRequirement } from './access-requirements';

/**
 * Throws 403 FORBIDDEN naming what is missing: the role's permission, the key's scope, or
 * platform administration. The same check serves users and keys because both carry
 * `permissions` (a role's set or a key's scopes). A route that names several permissions
 * takes any one of them; the refusal names them all.
 */
export function authorise(principal: Principal, requirement: AccessRequirement | undefined): void {
  if (!requirement) return;
  if (requirement.platformAdmin && !(principal.kind === 'user' && principal.isPlatformAdmin)) {
    throw new DomainError('FORBIDDEN', 'Only platform administrators may use this route.', { requires: 'platform-admin' });
  }
  const { permissions = [] } = requirement;
  if (permissions.length === 0 || permissions.some((permission) => principal.permissions.includes(permission))) return;
  const [first] = permissions;
  throw new DomainError('FORBIDDEN', refusal(principal, permissions), permissions.length === 1 ? { missingPermission: first } : { missingPermission: first, anyOf: permissions });
}

function refusal(principal: Principal, permissions: readonly Permission[]): string {
  if (permissions.length === 1) {
    return principal.kind === 'api-key' ? `This API key lacks the scope ${permissions[0]}.` : `The role ${principal.role ?? 'none'} does not grant the permission ${permissions[0]}.`;
  }
  const listed = permissions.join(', ');
  return principal.kind === 'api-key'
    ? `This API key has none of the scopes ${listed}; any one of them will do.`
    : `The role ${principal.role ?? 'none'} grants none of the permissions ${listed}; any one of them will do.`;
}
