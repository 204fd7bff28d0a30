import { Injectable } from '@nestjs/common';
import { ReservationsEvents } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { OutboxWriter, type OutboxAppend } from '@parking/messaging';
import { cancellationCharge, overstayCharge, selectTariff } from '@parking/reservations/pricing';
import { eventIdsOf, type ReservationRow } from '../bookings/reservation-rows';
import type { SiteTerms } from '../pricing/site-terms';
import { recordCharge } from './charges';

/** What `started` says: the space is held from `at` (a booking made inside its check-in window starts as it is made). */
export function startedEventOf(r: ReservationRow, at: Date): OutboxAppend<ReservationsEvents.ReservationStartedV1Data> {
  return {
    tenantId: r.tenant_id,
    aggregateId: r.id,
    data: { ...eventIdsOf(r), from: r.start_time.toISOString(), to: r.end_time.toISOString(), startedAt: at.toISOString() },
  };
}

/**
 * Every change of a booking's state, with its charges and events, in the caller's unit of
 * work on a row it has locked. The jobs, the sensor consumer and the commands all come here,
 * so a booking moves the same way whoever notices first; each step checks the state it
 * starts from and does nothing otherwise.
 */
@Injectable()
export class ReservationTransitions {
  constructor(private readonly outbox: OutboxWriter) {}

  /** The check-in window opened: the space is held (occupancy shows it reserved). */
  async start(tx: TemplateSqlClient, r: ReservationRow, at: Date): Promise<boolean> {
    if (r.state !== 'confirmed' || r.started_at !== null) return false;
    await tx.$executeRaw`UPDATE reservations.reservations SET started_at = ${at}, version = version + 1, updated_at = now() WHERE id = ${r.id}::uuid`;
    await this.outbox.append(tx, ReservationsEvents.ReservationStartedV1, startedEventOf(r, at));
    return true;
  }

  async checkIn(tx: TemplateSqlClient, r: ReservationRow, at: Date, by: 'sensor' | 'manual'): Promise<boolean> {
    if (r.state !== 'confirmed') return false;
    await tx.$executeRaw`UPDATE reservations.reservations SET state = 'checked_in', checked_in_at = ${at}, version = version + 1, updated_at = now() WHERE id = ${r.id}::uuid`;
    await this.outbox.append(tx, ReservationsEvents.ReservationCheckedInV1, {
      tenantId: r.tenant_id,
      aggregateId: r.id,
      data: { ...eventIdsOf(r), checkedInAt: at.toISOString(), by },
    });
    return true;
  }

  /** Not checked in when the window closed: the price is forfeited and the space released. */
  async noShow(tx: TemplateSqlClient, r: ReservationRow, at: Date, terms: SiteTerms): Promise<boolean> {
    if (r.state !== 'confirmed') return false;
    const charged = await recordCharge(tx, r, 'no_show', r.price, terms.timeZone);
    return this.end(tx, r, 'no_show', at, charged);
  }

  /** A checked-in booking reached its end with the car still there: said once. */
  async overstay(tx: TemplateSqlClient, r: ReservationRow, at: Date): Promise<boolean> {
    if (r.state !== 'checked_in' || r.overstayed_at !== null) return false;
    await tx.$executeRaw`UPDATE reservations.reservations SET overstayed_at = ${at}, version = version + 1, updated_at = now() WHERE id = ${r.id}::uuid`;
    await this.outbox.append(tx, ReservationsEvents.ReservationOverstayedV1, {
      tenantId: r.tenant_id,
      aggregateId: r.id,
      data: { ...eventIdsOf(r), to: r.end_time.toISOString(), overstayedAt: at.toISOString() },
    });
    return true;
  }

  /**
   * The car left (`leftAt`, the sensor's time), or the end passed with the space free: the
   * price is due, and past the end the overstay at the site's rate until the car left.
   */
  async complete(tx: TemplateSqlClient, r: ReservationRow, leftAt: Date, terms: SiteTerms): Promise<boolean> {
    if (r.state !== 'checked_in') return false;
    let charged = await recordCharge(tx, r, 'booking', r.price, terms.timeZone);
    if (leftAt > r.end_time && r.currency !== null) {
      const tariff = selectTariff(terms.tariffs, { priceZone: await this.priceZoneOf(tx, r.space_id), at: r.start_time, timeZone: terms.timeZone });
      if (tariff) {
        const site = { timeZone: terms.timeZone, taxMode: terms.settings.taxMode, taxRatePercent: terms.settings.taxRatePercent };
        const overstay = overstayCharge(tariff, { bookedFrom: r.start_time, bookedTo: r.end_time, leftAt }, site);
        charged += await recordCharge(tx, r, 'overstay', overstay.total, terms.timeZone);
      }
    }
    await tx.$executeRaw`UPDATE reservations.reservations SET left_at = ${leftAt} WHERE id = ${r.id}::uuid`;
    return this.end(tx, r, 'completed', leftAt, charged);
  }

  /** Cancelled before it was used: free until the site's deadline, a fee after it. */
  async cancel(tx: TemplateSqlClient, r: ReservationRow, at: Date, reason: string | null, terms: SiteTerms): Promise<{ fee: number }> {
    const fee = cancellationCharge(terms.settings.cancellation, { price: r.price, startsAt: r.start_time, cancelledAt: at });
    const charged = await recordCharge(tx, r, 'cancellation', fee.amount, terms.timeZone);
    await tx.$executeRaw`UPDATE reservations.reservations SET cancel_reason = ${reason} WHERE id = ${r.id}::uuid`;
    await this.end(tx, r, 'cancelled', at, charged);
    return { fee: charged };
  }

  /** Past its end, never checked in nor settled as a no-show (the v6 expire-old). */
  async expire(tx: TemplateSqlClient, r: ReservationRow, at: Date): Promise<boolean> {
    if (r.state !== 'confirmed' || r.end_time > at) return false;
    return this.end(tx, r, 'expired', at, 0);
  }

  private async end(tx: TemplateSqlClient, r: ReservationRow, reason: ReservationsEvents.ReservationEndReason, at: Date, charged: number): Promise<boolean> {
    await tx.$executeRaw`
      UPDATE reservations.reservations
         SET state = ${reason}, end_reason = ${reason}, ended_at = ${at}, charged = charged + ${charged}::int, version = version + 1, updated_at = now()
       WHERE id = ${r.id}::uuid`;
    await this.outbox.append(tx, ReservationsEvents.ReservationEndedV1, {
      tenantId: r.tenant_id,
      aggregateId: r.id,
      data: { ...eventIdsOf(r), reason, endedAt: at.toISOString() },
    });
    return true;
  }

  private async priceZoneOf(tx: TemplateSqlClient, spaceId: string): Promise<string | null> {
    const [space] = await tx.$queryRaw<Array<{ price_zone: string | null }>>`SELECT price_zone FROM reservations.spaces WHERE id = ${spaceId}::uuid`;
    return space?.price_zone ?? null;
  }
}
