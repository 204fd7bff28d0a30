import type { Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import type { AccessRequirement } from './access-requirements';

/**
 * Throws 403 FORBIDDEN naming what is missing: the role's permission, the key's scope, or
 * platform administration. The same check serves users and keys because both carry
 * `permissions` (a role's set or a key's scopes).
 */
export function authorise(principal: Principal, requirement: AccessRequirement | undefined): void {
  if (!requirement) return;
  if (requirement.platformAdmin && !(principal.kind === 'user' && principal.isPlatformAdmin)) {
    throw new DomainError('FORBIDDEN', 'Only platform administrators may use this route.', { requires: 'platform-admin' });
  }
  const { permission } = requirement;
  if (permission && !principal.permissions.includes(permission)) {
    const detail =
      principal.kind === 'api-key'
        ? `This API key lacks the scope ${permission}.`
        : `The role ${principal.role ?? 'none'} does not grant the permission ${permission}.`;
    throw new DomainError('FORBIDDEN', detail, { missingPermission: permission });
  }
}
