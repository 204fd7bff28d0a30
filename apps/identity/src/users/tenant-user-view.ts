import { TenantRole, TenantUserView } from '@parking/contracts';
import { User } from '@parking/identity/data-access';

export function tenantUserView(user: User): TenantUserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as TenantRole,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
