import { Inject, Injectable } from '@nestjs/common';
import { MeResponse, Principal, ROLE_PERMISSIONS, TenantRole, TenantStatus } from '@parking/contracts';
import { IdentityDatabase } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { featuresOf, limitsOf, planOf } from '../tenants/tenant-limits';

@Injectable()
export class MeUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  async execute(principal: Principal): Promise<MeResponse> {
    if (principal.kind !== 'user' || !principal.userId) {
      throw new DomainError('FORBIDDEN', 'Only a signed-in user has a profile; API keys do not.');
    }
    const userId = principal.userId;
    const user = await this.db.withTenant(principal.tenantId, (tx) => tx.user.findUnique({ where: { id: userId }, include: { tenant: true } }));
    if (!user) throw new DomainError('UNAUTHENTICATED', 'The signed-in user no longer exists.');
    const role = user.role as TenantRole;
    const { tenant } = user;
    return {
      user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin },
      tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, status: tenant.status as TenantStatus },
      role,
      permissions: [...ROLE_PERMISSIONS[role]],
      plan: { id: planOf(tenant), limits: limitsOf(tenant) },
      features: featuresOf(tenant),
    };
  }
}
