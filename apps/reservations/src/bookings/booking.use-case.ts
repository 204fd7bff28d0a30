import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectConfig } from '@parking/config';
import { PLANS, ReservationsEvents, type PlanId, type CreateReservationBody, type IdempotentReservationAnswer, type ReservationView } from '@parking/contracts';
import type { RawSqlClient, TenantDatabase } from '@parking/database';
import { OutboxWriter, type PreparedOutboxRow } from '@parking/messaging';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
import { checkBookingRules, type Quote } from '@parking/reservations/pricing';
import { defaultTenantPlanOf, RAW_TENANT_DATABASE, type DataServiceConfig } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeys, settled, type IdempotentOutcome, type KeyClaim, type KeyRecord } from '../idempotency/idempotency-keys';
import { startedEventOf } from '../lifecycle/reservation-transitions';
import { monthlyLimitExceeded } from '../limits/monthly-limit';
import { breakdownOf, priceFor, siteTermsOf, siteTermsSql, type SiteTerms, type SiteTermsJson } from '../pricing/site-terms';
import type { BookingAccess } from './booking-access';
import { CONFLICTS_NAMED, overlapError } from './conflicts';
import { eventIdsOf, reservationView, type ReservationRow } from './reservation-rows';

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

/** A zone booking reads this many free spaces at a time and books the first still free. */
const ZONE_CANDIDATES = 5;
/** Attempts of a zone booking whose free spaces were all booked meanwhile (each reads them again). */
const ZONE_ATTEMPTS = 5;

/** A booking's window and its check-in window, from the site's settings. */
export function checkInWindowOf(terms: SiteTerms, from: Date, to: Date): { opensAt: Date; closesAt: Date } {
  const { checkInWindow, noShowGraceMinutes } = terms.settings;
  const opensAt = new Date(from.getTime() - checkInWindow.beforeMinutes * 60_000);
  // Arrivals count until the no-show is declared, and never past the end.
  const closesAt = new Date(Math.min(to.getTime(), from.getTime() + Math.max(checkInWindow.afterMinutes, noShowGraceMinutes) * 60_000));
  return { opensAt, closesAt };
}

/** The insert's values of a candidate, as `reservations.book` reads them (the reservations row's columns). */
type CandidateRow = ReservationRow & { requested_zone_id: string | null };

/** One space `reservations.book` may book: its row, its events and the answer it gives, prepared here. */
interface PreparedCandidate {
  row: CandidateRow;
  events: PreparedOutboxRow[];
  answer: ReservationView;
}

/** What `reservations.book` answers (see its definition). */
type BookOutcome = { booked: string } | { taken: Array<[string, string]> } | { limit: number | null };

/** What the unit of work's first statement reads besides the key: the space (and its taken windows) or the zone's free spaces, the site's terms, the quote. */
interface BookingContext {
  space: Candidate | null;
  taken: Array<[string, string]>;
  zoneFound: boolean;
  candidates: Candidate[] | null;
  terms: SiteTermsJson | null;
  quote: QuoteRow | null;
}

interface QuoteRow {
  space_id: string | null;
  zone_id: string | null;
  starts: string;
  ends: string;
  currency: string;
  total: number;
  breakdown: unknown;
  expires_at: string;
}

/**
 * How a unit of work under the key ended: with the key's answer, with a refusal learnt as it
 * committed (stored by the next unit), or with every candidate of a zone taken meanwhile.
 */
type Attempt = { done: IdempotentOutcome<ReservationView> } | { late: DomainError } | { again: true };

/**
 * Creates a booking of a space, or of any free space in a zone, under the caller's
 * Idempotency-Key. The no-overlap rule is PostgreSQL's (an EXCLUDE constraint over the
 * window); the insert skips a conflict instead of failing, so a zone booking tries the next
 * space in the same transaction and a space booking answers 409 naming the taken window.
 *
 * A booking takes two round trips: the BEGIN with the key claimed and everything the booking
 * is judged by (the space's taken windows too), then `reservations.book` with the rows, events
 * and answer prepared here, and the COMMIT. A refusal known before stores its answer with the
 * COMMIT instead; one learnt from `reservations.book` (a window taken meanwhile, the monthly
 * limit) is stored by a second unit of work under the same key.
 */
@Injectable()
export class BookingUseCase {
  /** DEFAULT_TENANT_PLAN: the monthly limit of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<RawSqlClient>,
    private readonly idempotency: IdempotencyKeys,
    private readonly outbox: OutboxWriter,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  async create(access: BookingAccess, idempotencyKey: string, body: CreateReservationBody): Promise<IdempotentReservationAnswer> {
    const { principal } = access;
    const key = this.idempotency.record({ tenantId: principal.tenantId, caller: principal.actor, key: idempotencyKey, operation: 'create', body });
    let late: DomainError | undefined;
    for (let attempt = 1; ; attempt++) {
      const refusal = late;
      const outcome = await this.db.withTenant(principal.tenantId, (tx) => (refusal ? this.storeLate(tx, key, refusal) : this.attempt(tx, access, key, body)));
      if ('done' in outcome) {
        const answer = settled(outcome.done);
        return { reservation: answer.value, replayed: answer.replayed };
      }
      if ('late' in outcome) late = outcome.late;
      else if (attempt >= ZONE_ATTEMPTS) {
        late = new DomainError('NO_SPACE_AVAILABLE', `Every free space of zone ${body.zoneId} was booked meanwhile; search GET /api/v1/availability and try again.`);
      }
    }
  }

  /** One unit of work: the key claimed with the booking's context, then the booking and its commit in one statement. */
  private async attempt(tx: RawSqlClient, access: BookingAccess, key: KeyRecord, body: CreateReservationBody): Promise<Attempt> {
    const now = new Date();
    const { claim, context } = await this.claimAndRead(tx, key, body, now);
    const replay = this.idempotency.replayOf<ReservationView>(claim, key);
    if (replay) return { done: replay };
    try {
      return await this.book(tx, access, key, body, context, now);
    } catch (error) {
      if (!this.idempotency.isRefusal(error)) throw error;
      return { done: await this.idempotency.refuse(tx, key, error) };
    }
  }

  /**
   * A refusal learnt from the committing statement, stored as the key's answer by a unit of its
   * own, unless a retry of the same request stored one first (its answer is then the key's).
   */
  private async storeLate(tx: RawSqlClient, key: KeyRecord, refusal: DomainError): Promise<Attempt> {
    const [{ claim }] = await tx.$queryRaw<Array<{ claim: KeyClaim }>>`SELECT ${this.idempotency.claimSql(key)} AS claim`;
    return { done: this.idempotency.replayOf<ReservationView>(claim, key) ?? (await this.idempotency.refuse(tx, key, refusal)) };
  }

  /** The key's claim and the booking's context, in one statement. */
  private async claimAndRead(tx: RawSqlClient, key: KeyRecord, body: CreateReservationBody, now: Date): Promise<{ claim: KeyClaim; context: BookingContext }> {
    const from = new Date(body.startTime);
    const to = new Date(body.endTime);
    const quote = body.quoteId
      ? Prisma.sql`(SELECT json_build_object('space_id', q.space_id, 'zone_id', q.zone_id, 'starts', lower(q.period), 'ends', upper(q.period), 'currency', q.currency,
                                             'total', q.total, 'breakdown', q.breakdown, 'expires_at', q.expires_at)
                      FROM reservations.quotes q WHERE q.id = ${body.quoteId}::uuid)`
      : Prisma.sql`NULL::json`;
    if (body.spaceId) {
      const [row] = await tx.$queryRaw<Array<{ claim: KeyClaim; space: Candidate | null; taken: Array<[string, string]>; terms: SiteTermsJson | null; quote: QuoteRow | null }>>`
        SELECT ${this.idempotency.claimSql(key)} AS claim,
               (SELECT json_build_object('id', sp.id, 'code', sp.code, 'site_id', sp.site_id, 'zone_id', sp.zone_id, 'price_zone', sp.price_zone, 'state', sp.state)
                  FROM reservations.spaces sp WHERE sp.id = ${body.spaceId}::uuid AND sp.removed_at IS NULL AND sp.code <> '') AS space,
               (SELECT coalesce(json_agg(json_build_array(w.starts, w.ends)), '[]'::json)
                  FROM reservations.booked_windows(${body.spaceId}::uuid, tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'), NULL, ${CONFLICTS_NAMED}::int) w) AS taken,
               ${siteTermsSql(Prisma.sql`(SELECT site_id FROM reservations.spaces WHERE id = ${body.spaceId}::uuid)`)} AS terms,
               ${quote} AS quote`;
      return { claim: row.claim, context: { space: row.space, taken: row.taken, zoneFound: false, candidates: null, terms: row.terms, quote: row.quote } };
    }
    const zoneId = body.zoneId as string;
    const soon = new Date(now.getTime() + 30 * 60_000);
    const [row] = await tx.$queryRaw<Array<{ claim: KeyClaim; zone_found: boolean; candidates: Candidate[] | null; terms: SiteTermsJson | null; quote: QuoteRow | null }>>`
      SELECT ${this.idempotency.claimSql(key)} AS claim,
             EXISTS (SELECT 1 FROM reservations.zones WHERE id = ${zoneId}::uuid AND removed_at IS NULL) AS zone_found,
             (SELECT json_agg(c) FROM (
                SELECT sp.id, sp.code, sp.site_id, sp.zone_id, sp.price_zone, sp.state
                  FROM reservations.spaces sp JOIN reservations.zones z ON z.id = sp.zone_id
                 WHERE ${zoneId}::uuid = ANY (z.path) AND sp.removed_at IS NULL AND sp.code <> '' AND sp.state <> 'maintenance'
                   AND (${body.type ?? null}::text IS NULL OR sp.type = ${body.type ?? null}::text)
                   AND NOT (sp.state = 'occupied' AND ${from}::timestamptz <= ${soon}::timestamptz)
                   AND NOT EXISTS (SELECT 1 FROM reservations.booked_windows(sp.id, tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'), NULL, 1))
                 ORDER BY sp.code, sp.id
                 LIMIT ${ZONE_CANDIDATES}) c) AS candidates,
             ${siteTermsSql(Prisma.sql`(SELECT site_id FROM reservations.zones WHERE id = ${zoneId}::uuid)`)} AS terms,
             ${quote} AS quote`;
    return { claim: row.claim, context: { space: null, taken: [], zoneFound: row.zone_found, candidates: row.candidates ?? [], terms: row.terms, quote: row.quote } };
  }

  /**
   * Books the space, or the first still free of the zone's candidates, and commits in the same
   * statement: the tenant's monthly counter row and any booking waiting on ours are held for
   * that statement only. A refusal known before it is thrown (stored by this unit of work).
   */
  private async book(tx: RawSqlClient, access: BookingAccess, key: KeyRecord, body: CreateReservationBody, context: BookingContext, now: Date): Promise<Attempt> {
    const from = new Date(body.startTime);
    const to = new Date(body.endTime);
    const candidates = this.candidatesOf(body, context);
    const terms = siteTermsOf(candidates[0].site_id, context.terms);
    assertBookingRules(terms, { from, to }, new Date(now.getTime() - START_GRACE_MS));
    const window = checkInWindowOf(terms, from, to);
    const quoted = body.quoteId ? this.quoted(body, context.quote, from, to, now) : null;
    if (context.taken.length > 0) throw overlapError(this.windowsOf(context.taken));
    const prices = new Map<string | null, ReturnType<typeof priceFor>>();
    const priceOf = (priceZone: string | null) => {
      if (!prices.has(priceZone)) prices.set(priceZone, priceFor(terms, priceZone, { from, to }));
      return prices.get(priceZone) ?? null;
    };
    const batch = candidates.map((space) => this.prepare(access, body, space, quoted ?? priceOf(space.price_zone), window, now));
    // Registered before the commit, so the relay hears of the events as soon as they commit.
    await this.outbox.appended(tx);
    const [{ outcome }] = await tx.$queryRawAndCommit<Array<{ outcome: BookOutcome }>>`
      SELECT reservations.book(${JSON.stringify({
        key,
        status: 201,
        from,
        to,
        month: `${now.toISOString().slice(0, 7)}-01`,
        defaultMonthlyMax: PLANS[this.defaultPlan].reservationsPerMonth,
        conflictsNamed: CONFLICTS_NAMED,
        candidates: batch,
      })}::jsonb) AS outcome`;
    if ('booked' in outcome) return { done: { value: batch.find((c) => c.row.id === outcome.booked)?.answer as ReservationView, replayed: false } };
    if ('limit' in outcome) return { late: monthlyLimitExceeded(outcome.limit, now) };
    // Taken between the read and the insert: a space's booking is refused, a zone's reads its free spaces again.
    return body.spaceId ? { late: overlapError(this.windowsOf(outcome.taken)) } : { again: true };
  }

  private windowsOf(taken: Array<[string, string]>): Array<{ startTime: string; endTime: string }> {
    return taken.map(([starts, ends]) => ({ startTime: new Date(starts).toISOString(), endTime: new Date(ends).toISOString() }));
  }

  /** The space asked for, or the zone's free spaces; refused when there is none to try. */
  private candidatesOf(body: CreateReservationBody, context: BookingContext): Candidate[] {
    if (body.spaceId) {
      const space = context.space;
      if (!space) throw new NotFoundError('Space', body.spaceId);
      if (space.state === 'maintenance') throw new DomainError('CONFLICT', `Space ${body.spaceId} is in maintenance and cannot be booked; choose another space.`);
      return [space];
    }
    if (!context.zoneFound) throw new NotFoundError('Zone', body.zoneId as string);
    if (!context.candidates || context.candidates.length === 0) {
      throw new DomainError('NO_SPACE_AVAILABLE', `No space${body.type ? ` of type ${body.type}` : ''} in zone ${body.zoneId} is free for the whole window; search GET /api/v1/availability for another window or zone.`);
    }
    return context.candidates;
  }

  /** A candidate's row, its events (created, and started when its check-in window is open) and the answer it gives. */
  private prepare(
    access: BookingAccess,
    body: CreateReservationBody,
    space: Candidate,
    price: { currency: string; total: number; breakdown: unknown } | (Quote & { tariffId: string }) | null,
    window: { opensAt: Date; closesAt: Date },
    now: Date,
  ): PreparedCandidate {
    const startsNow = window.opensAt <= now;
    const row: CandidateRow = {
      id: randomUUID(),
      tenant_id: access.principal.tenantId,
      site_id: space.site_id,
      zone_id: space.zone_id,
      requested_zone_id: body.zoneId ?? null,
      space_id: space.id,
      space_code: space.code,
      start_time: new Date(body.startTime),
      end_time: new Date(body.endTime),
      state: 'confirmed',
      vehicle_plate: body.vehiclePlate ?? null,
      user_email: body.userEmail ?? null,
      external_ref: body.externalRef ?? null,
      created_by: access.principal.actor,
      quote_id: body.quoteId ?? null,
      currency: price?.currency ?? null,
      price: price?.total ?? 0,
      price_breakdown: price ? ('breakdown' in price ? price.breakdown : breakdownOf(price)) : null,
      check_in_opens_at: window.opensAt,
      check_in_closes_at: window.closesAt,
      // Booked inside its check-in window: the space is held at once.
      started_at: startsNow ? now : null,
      checked_in_at: null,
      overstayed_at: null,
      left_at: null,
      ended_at: null,
      end_reason: null,
      cancel_reason: null,
      charged: 0,
      version: startsNow ? 2 : 1,
      created_at: now,
      updated_at: now,
    };
    const created = this.outbox.prepare(ReservationsEvents.ReservationCreatedV1, {
      tenantId: row.tenant_id,
      aggregateId: row.id,
      data: {
        ...eventIdsOf(row),
        zoneId: row.zone_id,
        from: row.start_time.toISOString(),
        to: row.end_time.toISOString(),
        price: row.currency === null ? null : row.price,
        currency: row.currency,
        createdAt: row.created_at.toISOString(),
      },
    });
    const events = startsNow ? [created, this.outbox.prepare(ReservationsEvents.ReservationStartedV1, startedEventOf(row, now))] : [created];
    return { row, events, answer: reservationView(row) };
  }

  /** The price of a quote that matches the booking and has not expired. */
  private quoted(body: CreateReservationBody, quote: QuoteRow | null, from: Date, to: Date, now: Date): { currency: string; total: number; breakdown: unknown } {
    const problem = !quote
      ? 'does not exist'
      : new Date(quote.expires_at) <= now
        ? `expired at ${new Date(quote.expires_at).toISOString()}; ask for a new quote`
        : new Date(quote.starts).getTime() !== from.getTime() || new Date(quote.ends).getTime() !== to.getTime()
          ? 'was for another window'
          : (body.spaceId ?? null) !== quote.space_id || (body.zoneId ?? null) !== quote.zone_id
            ? 'was for another space or zone'
            : null;
    if (problem || !quote) throw new DomainError('QUOTE_NOT_APPLICABLE', `Quote ${body.quoteId} ${problem}.`, undefined, { errors: [{ field: 'quoteId', message: problem ?? '' }] });
    return { currency: quote.currency, total: quote.total, breakdown: quote.breakdown };
  }
}
