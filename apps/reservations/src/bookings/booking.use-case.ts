import { Inject, Injectable } from '@nestjs/common';
import { ReservationsEvents, type CreateReservationBody, type IdempotentReservationAnswer, type ReservationView } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { OutboxWriter } from '@parking/messaging';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { checkBookingRules } from '@parking/reservations/pricing';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeys, settled } from '../idempotency/idempotency-keys';
import { ReservationTransitions } from '../lifecycle/reservation-transitions';
import { countBooking } from '../limits/monthly-limit';
import { breakdownOf, loadSiteTerms, priceFor, type SiteTerms } from '../pricing/site-terms';
import type { BookingAccess } from './booking-access';
import { conflictsOf, overlapError } from './conflicts';
import { eventIdsOf, RESERVATION_RETURNING, reservationView, type ReservationRow } from './reservation-rows';

interface Candidate {
  id: string;
  code: string;
  site_id: string;
  zone_id: string | null;
  price_zone: string | null;
  state: string;
}

/** A start this far in the past still counts as now (a booking "for now", clocks that differ). */
export const START_GRACE_MS = 5 * 60_000;

/** The site's rules as a 422 naming the rule, or nothing. */
export function assertBookingRules(terms: SiteTerms, window: { from: Date; to: Date }, now: Date): void {
  const violation = checkBookingRules(terms.settings.rules, terms.openingHours, window, now, terms.timeZone);
  if (!violation) return;
  const field = violation.rule === 'window' || violation.rule === 'inPast' || violation.rule === 'maxAdvance' ? 'startTime' : 'endTime';
  throw new DomainError('RESERVATION_RULE_VIOLATED', `The booking breaks the site's ${violation.rule} rule: ${violation.message}.`, { rule: violation.rule }, { errors: [{ field, message: violation.message }] });
}

/** Zone bookings try this many free spaces before answering that none is left. */
const ZONE_CANDIDATES = 25;

/** A booking's window and its check-in window, from the site's settings. */
export function checkInWindowOf(terms: SiteTerms, from: Date, to: Date): { opensAt: Date; closesAt: Date } {
  const { checkInWindow, noShowGraceMinutes } = terms.settings;
  const opensAt = new Date(from.getTime() - checkInWindow.beforeMinutes * 60_000);
  // Arrivals count until the no-show is declared, and never past the end.
  const closesAt = new Date(Math.min(to.getTime(), from.getTime() + Math.max(checkInWindow.afterMinutes, noShowGraceMinutes) * 60_000));
  return { opensAt, closesAt };
}

/**
 * Creates a booking of a space, or of any free space in a zone, under the caller's
 * Idempotency-Key. The no-overlap rule is PostgreSQL's (an EXCLUDE constraint over the
 * window); the insert skips a conflict instead of failing, so a zone booking tries the next
 * space in the same transaction and a space booking answers 409 naming the taken window.
 */
@Injectable()
export class BookingUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly idempotency: IdempotencyKeys,
    private readonly transitions: ReservationTransitions,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(access: BookingAccess, idempotencyKey: string, body: CreateReservationBody): Promise<IdempotentReservationAnswer> {
    const { principal } = access;
    const answer = settled(
      await this.db.withTenant(principal.tenantId, (tx) =>
        this.idempotency.run(tx, { tenantId: principal.tenantId, caller: principal.actor, key: idempotencyKey, operation: 'create', body }, () => this.book(tx, access, body), 201),
      ),
    );
    return { reservation: answer.value, replayed: answer.replayed };
  }

  private async book(tx: TemplateSqlClient, access: BookingAccess, body: CreateReservationBody): Promise<ReservationView> {
    const now = new Date();
    const from = new Date(body.startTime);
    const to = new Date(body.endTime);
    const candidates = body.spaceId ? [await this.space(tx, body.spaceId)] : await this.zoneCandidates(tx, body.zoneId as string, body.type ?? null, from, to, now);
    if (candidates.length === 0) {
      throw new DomainError('NO_SPACE_AVAILABLE', `No space${body.type ? ` of type ${body.type}` : ''} in zone ${body.zoneId} is free for the whole window; search GET /api/v1/availability for another window or zone.`);
    }
    const terms = await loadSiteTerms(tx, candidates[0].site_id);
    assertBookingRules(terms, { from, to }, new Date(now.getTime() - START_GRACE_MS));
    const window = checkInWindowOf(terms, from, to);
    const quoted = body.quoteId ? await this.quoted(tx, body, from, to, now) : null;

    for (const space of candidates) {
      const price = quoted ?? priceFor(terms, space.price_zone, { from, to });
      const id = randomUUID();
      const startsNow = window.opensAt <= now;
      const [inserted] = await tx.$queryRaw<Array<Omit<ReservationRow, 'space_code'>>>`
        INSERT INTO reservations.reservations (id, tenant_id, site_id, zone_id, requested_zone_id, space_id, period, state, vehicle_plate, user_email,
               external_ref, created_by, quote_id, currency, price, price_breakdown, check_in_opens_at, check_in_closes_at)
        VALUES (${id}::uuid, ${access.principal.tenantId}::uuid, ${space.site_id}::uuid, ${space.zone_id}::uuid, ${body.zoneId ?? null}::uuid,
               ${space.id}::uuid, tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'), 'confirmed', ${body.vehiclePlate ?? null},
               ${body.userEmail ?? null}, ${body.externalRef ?? null}, ${access.principal.actor}, ${body.quoteId ?? null}::uuid,
               ${price?.currency ?? null}, ${price?.total ?? 0}::int, ${price ? JSON.stringify('breakdown' in price ? price.breakdown : breakdownOf(price)) : null}::jsonb,
               ${window.opensAt}::timestamptz, ${window.closesAt}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING ${RESERVATION_RETURNING}`;
      if (!inserted) {
        if (body.spaceId) throw overlapError(await conflictsOf(tx, space.id, from, to));
        continue;
      }
      const row: ReservationRow = { ...inserted, space_code: space.code };
      await this.outbox.append(tx, ReservationsEvents.ReservationCreatedV1, {
        tenantId: row.tenant_id,
        aggregateId: row.id,
        data: {
          ...eventIdsOf(row),
          zoneId: row.zone_id,
          from: from.toISOString(),
          to: to.toISOString(),
          price: row.currency === null ? null : row.price,
          currency: row.currency,
          createdAt: row.created_at.toISOString(),
        },
      });
      // Booked inside its check-in window: the space is held at once (as the UPDATE did, in this transaction).
      const booked = startsNow && (await this.transitions.start(tx, row, now)) ? { ...row, started_at: now, version: row.version + 1 } : row;
      // Counted last: the tenant's counter row stays locked only until the commit that follows.
      await countBooking(tx, access.principal.tenantId, now);
      return reservationView(booked);
    }
    throw new DomainError('NO_SPACE_AVAILABLE', `Every free space of zone ${body.zoneId} was booked meanwhile; search GET /api/v1/availability and try again.`);
  }

  private async space(tx: TemplateSqlClient, spaceId: string): Promise<Candidate> {
    const [space] = await tx.$queryRaw<Candidate[]>`
      SELECT id, code, site_id, zone_id, price_zone, state FROM reservations.spaces WHERE id = ${spaceId}::uuid AND removed_at IS NULL AND code <> ''`;
    if (!space) throw new NotFoundError('Space', spaceId);
    if (space.state === 'maintenance') throw new DomainError('CONFLICT', `Space ${spaceId} is in maintenance and cannot be booked; choose another space.`);
    return space;
  }

  /**
   * Spaces of the zone (and its nested zones) free for the whole window, not in maintenance,
   * and, for a window whose check-in opens now, not occupied now.
   */
  private async zoneCandidates(tx: TemplateSqlClient, zoneId: string, type: string | null, from: Date, to: Date, now: Date): Promise<Candidate[]> {
    const [zone] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM reservations.zones WHERE id = ${zoneId}::uuid AND removed_at IS NULL`;
    if (!zone) throw new NotFoundError('Zone', zoneId);
    const soon = new Date(now.getTime() + 30 * 60_000);
    return tx.$queryRaw<Candidate[]>`
      SELECT sp.id, sp.code, sp.site_id, sp.zone_id, sp.price_zone, sp.state
        FROM reservations.spaces sp JOIN reservations.zones z ON z.id = sp.zone_id
       WHERE ${zoneId}::uuid = ANY (z.path) AND sp.removed_at IS NULL AND sp.code <> '' AND sp.state <> 'maintenance'
         AND (${type}::text IS NULL OR sp.type = ${type}::text)
         AND NOT (sp.state = 'occupied' AND ${from}::timestamptz <= ${soon}::timestamptz)
         AND NOT EXISTS (SELECT 1 FROM reservations.reservations r
                          WHERE r.space_id = sp.id AND r.state IN ('confirmed', 'checked_in')
                            AND r.period && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'))
       ORDER BY sp.code, sp.id
       LIMIT ${ZONE_CANDIDATES}`;
  }

  /** The price of a quote that matches the booking and has not expired. */
  private async quoted(tx: TemplateSqlClient, body: CreateReservationBody, from: Date, to: Date, now: Date): Promise<{ currency: string; total: number; breakdown: unknown }> {
    const [quote] = await tx.$queryRaw<Array<{ space_id: string | null; zone_id: string | null; starts: Date; ends: Date; currency: string; total: number; breakdown: unknown; expires_at: Date }>>`
      SELECT space_id, zone_id, lower(period) AS starts, upper(period) AS ends, currency, total, breakdown, expires_at
        FROM reservations.quotes WHERE id = ${body.quoteId as string}::uuid`;
    const problem = !quote
      ? 'does not exist'
      : quote.expires_at <= now
        ? `expired at ${quote.expires_at.toISOString()}; ask for a new quote`
        : quote.starts.getTime() !== from.getTime() || quote.ends.getTime() !== to.getTime()
          ? 'was for another window'
          : (body.spaceId ?? null) !== quote.space_id || (body.zoneId ?? null) !== quote.zone_id
            ? 'was for another space or zone'
            : null;
    if (problem) throw new DomainError('QUOTE_NOT_APPLICABLE', `Quote ${body.quoteId} ${problem}.`, undefined, { errors: [{ field: 'quoteId', message: problem }] });
    return { currency: quote.currency, total: quote.total, breakdown: quote.breakdown };
  }
}
