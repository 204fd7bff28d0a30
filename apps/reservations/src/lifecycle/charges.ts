import type { TemplateSqlClient } from '@parking/database';
import { localTimestamp } from '@parking/reservations/pricing';
import { randomUUID } from 'node:crypto';
import type { ReservationRow } from '../bookings/reservation-rows';

export type ChargeKind = 'booking' | 'cancellation' | 'no_show' | 'overstay';

/**
 * Records an amount due and adds it to the revenue rollup of the site's local day on which
 * the booking starts, in the same transaction: the rollups never disagree with the charges.
 * Bookings without a price (no tariff) and zero amounts leave no charge.
 */
export async function recordCharge(tx: TemplateSqlClient, reservation: ReservationRow, kind: ChargeKind, amount: number, timeZone: string): Promise<number> {
  if (reservation.currency === null || amount <= 0) return 0;
  const localDay = localTimestamp(reservation.start_time.getTime(), timeZone).slice(0, 10);
  await tx.$executeRaw`
    INSERT INTO reservations.charges (id, tenant_id, reservation_id, site_id, zone_id, space_id, kind, amount, currency, local_day)
    VALUES (${randomUUID()}::uuid, ${reservation.tenant_id}::uuid, ${reservation.id}::uuid, ${reservation.site_id}::uuid, ${reservation.zone_id}::uuid,
            ${reservation.space_id}::uuid, ${kind}, ${amount}::int, ${reservation.currency}, ${localDay}::date)`;
  await tx.$executeRaw`
    INSERT INTO reservations.revenue_daily (tenant_id, site_id, local_day, space_id, zone_id, currency, amount, charges)
    VALUES (${reservation.tenant_id}::uuid, ${reservation.site_id}::uuid, ${localDay}::date, ${reservation.space_id}::uuid, ${reservation.zone_id}::uuid,
            ${reservation.currency}, ${amount}::bigint, 1)
    ON CONFLICT (tenant_id, site_id, local_day, space_id, currency)
    DO UPDATE SET amount = reservations.revenue_daily.amount + EXCLUDED.amount, charges = reservations.revenue_daily.charges + 1`;
  return amount;
}
