import { TenantAdminView, TenantStatus, UsageLimits } from '@parking/contracts';
import { Tenant } from '@parking/identity/data-access';
import { featuresOf, limitsOf } from '../tenants/tenant-limits';

export function tenantAdminView(tenant: Tenant, userCount: number): TenantAdminView {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    status: tenant.status as TenantStatus,
    plan: tenant.plan,
    limits: limitsOf(tenant),
    limitOverrides: tenant.limitOverrides as Partial<UsageLimits>,
    features: featuresOf(tenant),
    createdAt: tenant.createdAt.toISOString(),
    userCount,
  };
}
