import { PLANS, type PlanId } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { OccupancyTransaction } from '@parking/occupancy/data-access';

type Limited = 'sites' | 'spaces';

/**
 * Refuses when adding `added` sites or spaces would pass the tenant's plan (the newest limits
 * identity announced, else those of `defaultPlan`, DEFAULT_TENANT_PLAN; null is unlimited). Under a limit, an advisory
 * lock per tenant and kind serialises concurrent creations, so two cannot both take the last
 * slot.
 */
export async function assertWithinLimit(tx: OccupancyTransaction, tenantId: string, what: Limited, added: number, defaultPlan: PlanId): Promise<void> {
  const row = await tx.tenantLimits.findUnique({ where: { tenantId } });
  const max = row ? row[what] : PLANS[defaultPlan][what];
  // Unlimited: nothing to count, and no reason to make creations wait for each other.
  if (max === null) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`occupancy.${what}:${tenantId}`}, 0))`;
  const used = what === 'sites' ? await tx.site.count() : await tx.space.count();
  if (used + added <= max) return;
  throw new DomainError(
    'LIMIT_EXCEEDED',
    `The tenant's plan allows ${max} ${what}, and ${used} exist, so ${added === 1 ? 'one more' : `${added} more`} would exceed it; delete ${what} or ask for a larger plan.`,
    { limit: what, max, used },
    { errors: [{ field: `limits.${what}`, message: `at most ${max}` }] },
  );
}
