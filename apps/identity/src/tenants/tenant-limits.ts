import { effectiveLimits, IdentityEvents, isPlanId, PlanId, UsageLimitName, UsageLimits } from '@parking/contracts';
import { IdentityTransaction, Tenant } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';

export function planOf(tenant: Tenant): PlanId {
  return isPlanId(tenant.plan) ? tenant.plan : 'free';
}

export function limitsOf(tenant: Tenant): UsageLimits {
  return effectiveLimits(planOf(tenant), tenant.limitOverrides as Partial<UsageLimits>);
}

export function featuresOf(tenant: Tenant): Record<string, boolean> {
  return tenant.features as Record<string, boolean>;
}

/** Announces the tenant's effective limits so other services enforce from a local copy. */
export async function publishLimits(outbox: OutboxWriter, tx: IdentityTransaction, tenant: Tenant): Promise<void> {
  await outbox.append(tx, IdentityEvents.TenantLimitsChangedV1, {
    tenantId: tenant.id,
    aggregateId: tenant.id,
    data: {
      tenantId: tenant.id,
      plan: tenant.plan,
      limits: limitsOf(tenant),
      features: featuresOf(tenant),
      version: tenant.limitsVersion,
      changedAt: new Date().toISOString(),
    },
  });
}

/**
 * Locks the tenant row for the rest of the transaction, so two concurrent creations cannot
 * both pass the limit, then refuses when `used` has reached it.
 */
export async function assertBelowLimit(
  tx: IdentityTransaction,
  tenantId: string,
  limit: UsageLimitName,
  countUsed: () => Promise<number>,
): Promise<void> {
  await tx.$executeRawUnsafe('SELECT 1 FROM identity.tenants WHERE id = $1::uuid FOR UPDATE', tenantId);
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
  const max = limitsOf(tenant)[limit];
  if (max === null) return;
  const used = await countUsed();
  if (used >= max) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `The ${planOf(tenant)} plan allows ${max} ${limit}, and ${used} are in use; remove one or ask for a larger plan.`,
      { limit, max, used },
      { errors: [{ field: `limits.${limit}`, message: `at most ${max}` }] },
    );
  }
}
