import { Inject, Injectable } from '@nestjs/common';
import { RESERVATION_WINDOW_MAX_DAYS, ReservationsEvents, type ExtendReservationBody, type IdempotentReservationAnswer, type ReservationView } from '@parking/contracts';
import type { RawSqlClient, TenantDatabase } from '@parking/database';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { IdempotencyKeys, settled } from '../idempotency/idempotency-keys';
import { ReservationTransitions } from '../lifecycle/reservation-transitions';
import { loadSiteTerms, priceFor } from '../pricing/site-terms';
import { assertBookingRules } from './booking.use-case';
import type { BookingAccess } from './booking-access';
import { conflictsOf, overlapError } from './conflicts';
import { eventIdsOf, findReservation, reservationView, type ReservationRow } from './reservation-rows';

function expectVersion(row: ReservationRow, version: number | undefined): void {
  if (version !== undefined && version !== row.version) {
    throw new DomainError('CONFLICT', `The reservation is at version ${row.version}, not ${version}; read it again and retry.`, { version: row.version });
  }
}

/** Cancel, extend and manual check-in of one booking. */
@Injectable()
export class ReservationCommands {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<RawSqlClient>,
    private readonly idempotency: IdempotencyKeys,
    private readonly transitions: ReservationTransitions,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Only a booking not yet used may be cancelled; its fee follows the site's policy. */
  cancel(access: BookingAccess, id: string, input: { reason?: string; version?: number }): Promise<ReservationView> {
    return this.db.withTenant(access.principal.tenantId, async (tx) => {
      const row = await findReservation(tx, id, { forUpdate: true, ownedBy: access.ownedBy });
      expectVersion(row, input.version);
      if (row.state !== 'confirmed') {
        throw new DomainError('CONFLICT', `The reservation is ${row.state}; only a confirmed reservation can be cancelled.`, { state: row.state });
      }
      const terms = await loadSiteTerms(tx, row.site_id);
      await this.transitions.cancel(tx, row, new Date(), input.reason ?? null, terms);
      return reservationView(await findReservation(tx, id));
    });
  }

  /** A later end: the extra time is priced at the site's rate and added; 409 when the space is taken then. */
  extend(access: BookingAccess, id: string, idempotencyKey: string, body: ExtendReservationBody): Promise<IdempotentReservationAnswer> {
    const { principal } = access;
    return this.db
      .withTenant(principal.tenantId, (tx) =>
        this.idempotency.run(tx, { tenantId: principal.tenantId, caller: principal.actor, key: idempotencyKey, operation: `extend:${id}`, body }, () => this.extendIn(tx, access, id, body)),
      )
      .then(settled)
      .then((answer) => ({ reservation: answer.value, replayed: answer.replayed }));
  }

  private async extendIn(tx: RawSqlClient, access: BookingAccess, id: string, body: ExtendReservationBody): Promise<ReservationView> {
    const row = await findReservation(tx, id, { forUpdate: true, ownedBy: access.ownedBy });
    expectVersion(row, body.version);
    if (row.state !== 'confirmed' && row.state !== 'checked_in') {
      throw new DomainError('CONFLICT', `The reservation is ${row.state}; only an active reservation can be extended.`, { state: row.state });
    }
    const to = new Date(body.endTime);
    if (to <= row.end_time) {
      throw new DomainError('VALIDATION_FAILED', `endTime must be later than the current end ${row.end_time.toISOString()}.`, undefined, { errors: [{ field: 'endTime', message: 'must be later than the current end' }] });
    }
    if (to.getTime() - row.start_time.getTime() > RESERVATION_WINDOW_MAX_DAYS * 86_400_000) {
      throw new DomainError('VALIDATION_FAILED', `A booking lasts at most ${RESERVATION_WINDOW_MAX_DAYS} days from its start ${row.start_time.toISOString()}.`, undefined, {
        errors: [{ field: 'endTime', message: `at most ${RESERVATION_WINDOW_MAX_DAYS} days after the start` }],
      });
    }
    const terms = await loadSiteTerms(tx, row.site_id);
    // The rules of duration and opening hours, judged as at the booking's start (it may have begun).
    assertBookingRules(terms, { from: row.start_time, to }, row.start_time);
    const conflicts = await conflictsOf(tx, row.space_id, row.end_time, to, row.id);
    if (conflicts.length > 0) throw overlapError(conflicts);
    const [space] = await tx.$queryRaw<Array<{ price_zone: string | null }>>`SELECT price_zone FROM reservations.spaces WHERE id = ${row.space_id}::uuid`;
    // The extra time alone, without a second reservation fee.
    const extra = priceFor(terms, space?.price_zone ?? null, { from: row.end_time, to }, { reservationFee: false });
    const added = extra && (row.currency === null || extra.currency === row.currency) ? extra.total : 0;
    const updated = await tx.$executeRaw`
      UPDATE reservations.reservations
         SET period = tstzrange(lower(period), ${to}::timestamptz, '[)'), price = price + ${added}::int,
             currency = COALESCE(currency, ${extra?.currency ?? null}), version = version + 1, updated_at = now()
       WHERE id = ${row.id}::uuid`.catch((error: unknown) => {
      // A booking that committed meanwhile: the constraint has the last word.
      if ((error as { code?: string }).code === '23P01' || /reservations_no_overlap/.test(String(error))) return -1;
      throw error;
    });
    if (updated === -1) throw overlapError([]);
    await this.outbox.append(tx, ReservationsEvents.ReservationExtendedV1, {
      tenantId: row.tenant_id,
      aggregateId: row.id,
      data: {
        ...eventIdsOf(row),
        from: row.start_time.toISOString(),
        previousTo: row.end_time.toISOString(),
        to: to.toISOString(),
        price: row.currency === null && !extra ? null : row.price + added,
      },
    });
    return reservationView(await findReservation(tx, id));
  }

  /** Manual check-in, from the opening of the check-in window until the end. */
  checkIn(access: BookingAccess, id: string, input: { version?: number }): Promise<ReservationView> {
    return this.db.withTenant(access.principal.tenantId, async (tx) => {
      const row = await findReservation(tx, id, { forUpdate: true, ownedBy: access.ownedBy });
      expectVersion(row, input.version);
      const now = new Date();
      if (row.state !== 'confirmed') throw new DomainError('CONFLICT', `The reservation is ${row.state}; only a confirmed reservation can be checked in.`, { state: row.state });
      if (now < row.check_in_opens_at) {
        throw new DomainError('CONFLICT', `Check-in opens at ${row.check_in_opens_at.toISOString()}.`, { opensAt: row.check_in_opens_at.toISOString() });
      }
      await this.transitions.checkIn(tx, row, now, 'manual');
      return reservationView(await findReservation(tx, id));
    });
  }
}
