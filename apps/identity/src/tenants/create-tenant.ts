import { IdentityEvents, PlanId } from '@parking/contracts';
import { IdentityTransaction, Tenant } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { publishLimits } from './tenant-limits';

export interface NewTenant {
  id: string;
  name: string;
  slug: string;
  /** Registration gives the configured DEFAULT_TENANT_PLAN; seeds name their own. */
  plan: PlanId;
}

/** Inserts a tenant and announces it (created + its first limits) in the same transaction. */
export async function createTenant(tx: IdentityTransaction, outbox: OutboxWriter, input: NewTenant): Promise<Tenant> {
  const tenant = await tx.tenant.create({ data: { id: input.id, name: input.name, slug: input.slug, plan: input.plan } });
  await outbox.append(tx, IdentityEvents.TenantCreatedV1, {
    tenantId: tenant.id,
    aggregateId: tenant.id,
    data: { tenantId: tenant.id, name: tenant.name, slug: tenant.slug, plan: tenant.plan, createdAt: tenant.createdAt.toISOString() },
  });
  await publishLimits(outbox, tx, tenant);
  return tenant;
}
