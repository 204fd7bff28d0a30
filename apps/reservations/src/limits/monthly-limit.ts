import { DEFAULT_PLAN, PLANS } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { DomainError } from '@parking/problem-details';

/**
 * Counts a new booking against the plan's reservationsPerMonth (calendar months, UTC): the
 * newest limits identity announced, else the default plan's; null is unlimited. One
 * conditional upsert checks and counts, so concurrent bookings cannot both take the last one.
 */
export async function countBooking(tx: TemplateSqlClient, tenantId: string, now: Date): Promise<void> {
  const [limits] = await tx.$queryRaw<Array<{ reservations_per_month: number | null }>>`
    SELECT reservations_per_month FROM reservations.tenant_limits WHERE tenant_id = ${tenantId}::uuid`;
  const max = limits ? limits.reservations_per_month : PLANS[DEFAULT_PLAN].reservationsPerMonth;
  const month = `${now.toISOString().slice(0, 7)}-01`;
  const counted =
    max === 0
      ? []
      : await tx.$queryRaw<Array<{ created: number }>>`
          INSERT INTO reservations.monthly_usage (tenant_id, month, created) VALUES (${tenantId}::uuid, ${month}::date, 1)
          ON CONFLICT (tenant_id, month) DO UPDATE SET created = reservations.monthly_usage.created + 1
           WHERE ${max}::int IS NULL OR reservations.monthly_usage.created < ${max}::int
          RETURNING created`;
  if (counted.length > 0) return;
  throw new DomainError(
    'LIMIT_EXCEEDED',
    `The tenant's plan allows ${max} reservations a month, and they are used up for ${month.slice(0, 7)}; wait for next month or ask for a larger plan.`,
    { limit: 'reservationsPerMonth', max },
    { errors: [{ field: 'limits.reservationsPerMonth', message: `at most ${max}` }] },
  );
}
