import { DEFAULT_PLAN, PLANS } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { DomainError } from '@parking/problem-details';

/**
 * Counts a new booking against the plan's reservationsPerMonth (calendar months, UTC): the
 * newest limits identity announced, else the default plan's; null is unlimited. One
 * conditional upsert checks and counts, so concurrent bookings cannot both take the last one.
 */
export async function countBooking(tx: TemplateSqlClient, tenantId: string, now: Date): Promise<void> {
  const month = `${now.toISOString().slice(0, 7)}-01`;
  const defaultMax = PLANS[DEFAULT_PLAN].reservationsPerMonth;
  // One round trip on the booking path: the tenant's limit, checked and counted.
  const counted = await tx.$queryRaw<Array<{ created: number }>>`
    WITH plan AS (
      SELECT CASE WHEN l.tenant_id IS NULL THEN ${defaultMax}::int ELSE l.reservations_per_month END AS max
        FROM (SELECT 1) AS one LEFT JOIN reservations.tenant_limits l ON l.tenant_id = ${tenantId}::uuid
    )
    INSERT INTO reservations.monthly_usage AS u (tenant_id, month, created)
    SELECT ${tenantId}::uuid, ${month}::date, 1 FROM plan WHERE plan.max IS NULL OR plan.max > 0
    ON CONFLICT (tenant_id, month) DO UPDATE SET created = u.created + 1
     WHERE (SELECT max FROM plan) IS NULL OR u.created < (SELECT max FROM plan)
    RETURNING u.created`;
  if (counted.length > 0) return;
  const [limits] = await tx.$queryRaw<Array<{ reservations_per_month: number | null }>>`
    SELECT reservations_per_month FROM reservations.tenant_limits WHERE tenant_id = ${tenantId}::uuid`;
  const max = limits ? limits.reservations_per_month : defaultMax;
  throw new DomainError(
    'LIMIT_EXCEEDED',
    `The tenant's plan allows ${max} reservations a month, and they are used up for ${month.slice(0, 7)}; wait for next month or ask for a larger plan.`,
    { limit: 'reservationsPerMonth', max },
    { errors: [{ field: 'limits.reservationsPerMonth', message: `at most ${max}` }] },
  );
}
