import { Injectable } from '@nestjs/common';
import type { OccupancyEvents } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { RESERVATION_COLUMNS, RESERVATION_FROM, type ReservationRow } from '../bookings/reservation-rows';
import { loadSiteTerms } from '../pricing/site-terms';
import { ReservationTransitions } from './reservation-transitions';

/**
 * What a space's sensor means for its bookings, judged at the time of the reading (so a
 * backlog read after downtime settles each booking as it happened):
 * - occupied inside a confirmed booking's check-in window: the driver checked in;
 * - no longer occupied after a check-in: the driver left, and the booking completes.
 */
@Injectable()
export class SensorArrivals {
  constructor(private readonly transitions: ReservationTransitions) {}

  /**
   * Changes of several spaces, each space's in the order given. Most spaces have no booking
   * open: one query finds those that do, and only their changes are judged.
   */
  async applyAll(tx: TemplateSqlClient, changes: readonly OccupancyEvents.SpaceStateChangedV1Data[]): Promise<void> {
    const moving = changes.filter((change) => (change.to === 'occupied') !== (change.from === 'occupied'));
    if (moving.length === 0) return;
    const spaceIds = [...new Set(moving.map((change) => change.spaceId))];
    const open = await tx.$queryRaw<Array<{ space_id: string }>>`
      SELECT DISTINCT space_id::text FROM reservations.reservations
       WHERE space_id = ANY(${spaceIds}::uuid[]) AND state IN ('confirmed', 'checked_in')`;
    const withBookings = new Set(open.map((row) => row.space_id));
    for (const change of moving) if (withBookings.has(change.spaceId.toLowerCase())) await this.apply(tx, change);
  }

  async apply(tx: TemplateSqlClient, change: OccupancyEvents.SpaceStateChangedV1Data): Promise<void> {
    const at = new Date(change.changedAt);
    if (change.to === 'occupied' && change.from !== 'occupied') {
      const [booking] = await tx.$queryRaw<ReservationRow[]>`
        SELECT ${RESERVATION_COLUMNS} FROM ${RESERVATION_FROM}
         WHERE r.space_id = ${change.spaceId}::uuid AND r.state = 'confirmed'
           AND r.check_in_opens_at <= ${at}::timestamptz AND ${at}::timestamptz < r.check_in_closes_at
         ORDER BY lower(r.period) LIMIT 1 FOR UPDATE OF r`;
      if (booking) await this.transitions.checkIn(tx, booking, at, 'sensor');
      return;
    }
    if (change.from === 'occupied' && (change.to === 'free' || change.to === 'reserved')) {
      const [booking] = await tx.$queryRaw<ReservationRow[]>`
        SELECT ${RESERVATION_COLUMNS} FROM ${RESERVATION_FROM}
         WHERE r.space_id = ${change.spaceId}::uuid AND r.state = 'checked_in' AND r.checked_in_at <= ${at}::timestamptz
         ORDER BY lower(r.period) LIMIT 1 FOR UPDATE OF r`;
      if (booking) await this.transitions.complete(tx, booking, at, await loadSiteTerms(tx, booking.site_id));
    }
  }
}
