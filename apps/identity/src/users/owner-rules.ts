import { TenantRole } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';

/** Only an owner grants, takes or touches the owner role. */
export function assertMayManageRole(actorRole: TenantRole | null, ...roles: TenantRole[]): void {
  if (roles.includes('owner') && actorRole !== 'owner') {
    throw new DomainError('FORBIDDEN', 'Only an owner can grant, change or remove the owner role.');
  }
}

/**
 * A tenant always keeps an owner. The owner rows are locked first, so two owners demoting
 * each other at once cannot both succeed.
 */
export async function assertNotLastOwner(tx: IdentityTransaction, userId: string): Promise<void> {
  const owners = await tx.$queryRawUnsafe<Array<{ id: string }>>("SELECT id::text FROM identity.users WHERE role = 'owner' FOR UPDATE");
  if (owners.length === 1 && owners[0].id === userId) {
    throw new DomainError('CONFLICT', 'This is the last owner of the tenant; make another user owner first.');
  }
}
