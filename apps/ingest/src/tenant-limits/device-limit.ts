import { PLANS, type PlanId } from '@parking/contracts';
import { IngestTransaction } from '@parking/ingest/data-access';
import { DomainError } from '@parking/problem-details';

/** The tenant's device limit: the newest one identity announced, else `defaultPlan`'s (DEFAULT_TENANT_PLAN); null is unlimited. */
export async function deviceLimitOf(tx: IngestTransaction, tenantId: string, defaultPlan: PlanId): Promise<number | null> {
  const row = await tx.tenantLimits.findUnique({ where: { tenantId } });
  return row ? row.devices : PLANS[defaultPlan].devices;
}

/**
 * Serialises device registrations of one tenant for the rest of the transaction (an advisory
 * lock: there may be no row to lock yet), so that two concurrent registrations cannot both
 * pass the limit. Call before inserting.
 */
export async function lockTenantDevices(tx: IngestTransaction, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ingest.devices:${tenantId}`}, 0))`;
}

/** Refuses when the tenant's devices, counted after the inserts of this transaction, exceed its limit. */
export async function assertWithinDeviceLimit(tx: IngestTransaction, tenantId: string, added: number, defaultPlan: PlanId): Promise<void> {
  const max = await deviceLimitOf(tx, tenantId, defaultPlan);
  if (max === null) return;
  const total = await tx.device.count({ where: { tenantId } });
  if (total <= max) return;
  const before = total - added;
  const what = added === 1 ? 'one more' : `${added} more`;
  throw new DomainError(
    'LIMIT_EXCEEDED',
    `The tenant's plan allows ${max} devices, and ${before} are registered, so ${what} would exceed it; remove devices or ask for a larger plan.`,
    { limit: 'devices', max, used: before },
    { errors: [{ field: 'limits.devices', message: `at most ${max}` }] },
  );
}
