import type { ReservationState, ReservationView } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';

/** A reservation as the service reads it (lower and upper of the period as instants). */
export interface ReservationRow {
  id: string;
  tenant_id: string;
  site_id: string;
  zone_id: string | null;
  space_id: string;
  space_code: string | null;
  start_time: Date;
  end_time: Date;
  state: ReservationState;
  vehicle_plate: string | null;
  user_email: string | null;
  external_ref: string | null;
  created_by: string;
  quote_id: string | null;
  currency: string | null;
  price: number;
  price_breakdown: unknown;
  check_in_opens_at: Date;
  check_in_closes_at: Date;
  started_at: Date | null;
  checked_in_at: Date | null;
  overstayed_at: Date | null;
  left_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  cancel_reason: string | null;
  charged: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const RESERVATION_COLUMNS = Prisma.sql`
  r.id, r.tenant_id, r.site_id, r.zone_id, r.space_id, s.code AS space_code, lower(r.period) AS start_time, upper(r.period) AS end_time,
  r.state, r.vehicle_plate, r.user_email, r.external_ref, r.created_by, r.quote_id, r.currency, r.price, r.price_breakdown,
  r.check_in_opens_at, r.check_in_closes_at, r.started_at, r.checked_in_at, r.overstayed_at, r.left_at, r.ended_at, r.end_reason,
  r.cancel_reason, r.charged, r.version, r.created_at, r.updated_at`;

/** The same columns as an INSERT's or UPDATE's RETURNING gives them (without the space's code). */
export const RESERVATION_RETURNING = Prisma.sql`
  id, tenant_id, site_id, zone_id, space_id, lower(period) AS start_time, upper(period) AS end_time, state, vehicle_plate, user_email,
  external_ref, created_by, quote_id, currency, price, price_breakdown, check_in_opens_at, check_in_closes_at, started_at, checked_in_at,
  overstayed_at, left_at, ended_at, end_reason, cancel_reason, charged, version, created_at, updated_at`;

export const RESERVATION_FROM = Prisma.sql`reservations.reservations r LEFT JOIN reservations.spaces s ON s.id = r.space_id`;

/**
 * One reservation of the tenant, locked for a change when `forUpdate`. A caller that may see
 * only its own bookings (`ownedBy`) gets 404 for anyone else's, as for another tenant's.
 */
export async function findReservation(tx: TemplateSqlClient, id: string, options: { forUpdate?: boolean; ownedBy?: string } = {}): Promise<ReservationRow> {
  const owner = options.ownedBy === undefined ? Prisma.empty : Prisma.sql`AND r.created_by = ${options.ownedBy}`;
  const lock = options.forUpdate ? Prisma.sql`FOR UPDATE OF r` : Prisma.empty;
  const [row] = await tx.$queryRaw<ReservationRow[]>`SELECT ${RESERVATION_COLUMNS} FROM ${RESERVATION_FROM} WHERE r.id = ${id}::uuid ${owner} ${lock}`;
  if (!row) throw new NotFoundError('Reservation', id);
  return row;
}

/** What every reservation event names first. */
export function eventIdsOf(row: ReservationRow): { tenantId: string; reservationId: string; spaceId: string; siteId: string } {
  return { tenantId: row.tenant_id, reservationId: row.id, spaceId: row.space_id, siteId: row.site_id };
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function reservationView(row: ReservationRow): ReservationView {
  return {
    id: row.id,
    siteId: row.site_id,
    zoneId: row.zone_id,
    spaceId: row.space_id,
    spaceCode: row.space_code ?? '',
    startTime: row.start_time.toISOString(),
    endTime: row.end_time.toISOString(),
    state: row.state,
    vehiclePlate: row.vehicle_plate,
    userEmail: row.user_email,
    externalRef: row.external_ref,
    quoteId: row.quote_id,
    price: row.currency === null ? null : { amount: row.price, currency: row.currency },
    charged: row.currency === null ? null : { amount: row.charged, currency: row.currency },
    checkInWindow: { opensAt: row.check_in_opens_at.toISOString(), closesAt: row.check_in_closes_at.toISOString() },
    startedAt: iso(row.started_at),
    checkedInAt: iso(row.checked_in_at),
    overstayedAt: iso(row.overstayed_at),
    leftAt: iso(row.left_at),
    endedAt: iso(row.ended_at),
    cancelReason: row.cancel_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
