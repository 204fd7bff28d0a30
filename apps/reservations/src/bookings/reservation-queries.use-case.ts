import { Inject, Injectable } from '@nestjs/common';
import {
  AVAILABILITY_SPACES_MAX,
  RESERVATION_STATES,
  type AvailabilityRequest,
  type AvailabilityView,
  type ListReservationsRequest,
  type Page,
  type Principal,
  type ReservationStatsRequest,
  type ReservationStatsView,
  type ReservationView,
  type SpaceAvailabilityView,
  type SpaceType,
} from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
import { afterCursor, keysetColumns, RAW_TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import type { BookingAccess } from './booking-access';
import { conflictsOf } from './conflicts';
import { findReservation, RESERVATION_COLUMNS, RESERVATION_FROM, reservationView, type ReservationRow } from './reservation-rows';

const DAY_MS = 86_400_000;

/** Reads of bookings and of what is free. */
@Injectable()
export class ReservationQueries {
  constructor(@Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>) {}

  get(access: BookingAccess, id: string): Promise<ReservationView> {
    return this.db.withTenant(access.principal.tenantId, async (tx) => reservationView(await findReservation(tx, id, { ownedBy: access.ownedBy })));
  }

  list(access: BookingAccess, query: ListReservationsRequest, limit: number): Promise<Page<ReservationView>> {
    return this.db.withTenant(access.principal.tenantId, async (tx) => {
      const where: Prisma.Sql[] = [...afterCursor('r', query.cursor)];
      if (access.ownedBy !== undefined) where.push(Prisma.sql`r.created_by = ${access.ownedBy}`);
      if (query.siteId) where.push(Prisma.sql`r.site_id = ${query.siteId}::uuid`);
      if (query.spaceId) where.push(Prisma.sql`r.space_id = ${query.spaceId}::uuid`);
      if (query.zoneId) where.push(Prisma.sql`EXISTS (SELECT 1 FROM reservations.zones z WHERE z.id = r.zone_id AND ${query.zoneId}::uuid = ANY (z.path))`);
      if (query.state) where.push(Prisma.sql`r.state = ${query.state}`);
      if (query.from) where.push(Prisma.sql`upper(r.period) > ${query.from}::timestamptz`);
      if (query.to) where.push(Prisma.sql`lower(r.period) < ${query.to}::timestamptz`);
      if (query.vehiclePlate) where.push(Prisma.sql`upper(replace(r.vehicle_plate, ' ', '')) = upper(replace(${query.vehiclePlate}, ' ', ''))`);
      const rows = await tx.$queryRaw<Array<ReservationRow & { key_id: string; key_micros: string }>>`
        SELECT ${RESERVATION_COLUMNS}, ${keysetColumns('r')} FROM ${RESERVATION_FROM} ${whereAll(where)} ORDER BY r.created_at, r.id LIMIT ${limit + 1}`;
      return toPage(rows, limit, reservationView);
    });
  }

  /**
   * Spaces of a site or zone free for the whole window: no active booking overlaps it, not in
   * maintenance, and, for a window starting within the next 30 minutes, not occupied now.
   */
  availability(principal: Principal, query: AvailabilityRequest): Promise<AvailabilityView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const scope = query.siteId
        ? Prisma.sql`sp.site_id = ${query.siteId}::uuid`
        : Prisma.sql`EXISTS (SELECT 1 FROM reservations.zones z WHERE z.id = sp.zone_id AND ${query.zoneId}::uuid = ANY (z.path))`;
      await this.assertScopeExists(tx, query);
      const soon = new Date(Date.now() + 30 * 60_000);
      const rows = await tx.$queryRaw<Array<{ id: string; code: string; zone_id: string | null; type: SpaceType; free: boolean }>>`
        SELECT sp.id, sp.code, sp.zone_id, sp.type,
               (sp.state <> 'maintenance'
                AND NOT (sp.state = 'occupied' AND ${query.from}::timestamptz <= ${soon}::timestamptz)
                AND NOT EXISTS (SELECT 1 FROM reservations.booked_windows(sp.id, tstzrange(${query.from}::timestamptz, ${query.to}::timestamptz, '[)'), NULL, 1))) AS free
          FROM reservations.spaces sp
         WHERE ${scope} AND sp.removed_at IS NULL AND sp.code <> '' AND (${query.type ?? null}::text IS NULL OR sp.type = ${query.type ?? null}::text)
         ORDER BY sp.code, sp.id`;
      const byType = new Map<SpaceType, { type: SpaceType; total: number; available: number }>();
      for (const row of rows) {
        const count = byType.get(row.type) ?? { type: row.type, total: 0, available: 0 };
        count.total += 1;
        if (row.free) count.available += 1;
        byType.set(row.type, count);
      }
      const free = rows.filter((row) => row.free);
      return {
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        total: rows.length,
        available: free.length,
        byType: [...byType.values()].sort((a, b) => a.type.localeCompare(b.type)),
        spaces: free.slice(0, AVAILABILITY_SPACES_MAX).map((row) => ({ spaceId: row.id, code: row.code, zoneId: row.zone_id, type: row.type })),
      };
    });
  }

  /** v6 check-availability: whether one space is free, and the taken windows (never whose). */
  spaceAvailability(principal: Principal, spaceId: string, from: Date, to: Date): Promise<SpaceAvailabilityView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [space] = await tx.$queryRaw<Array<{ state: string }>>`SELECT state FROM reservations.spaces WHERE id = ${spaceId}::uuid AND removed_at IS NULL AND code <> ''`;
      if (!space) throw new NotFoundError('Space', spaceId);
      const conflicts = await conflictsOf(tx, spaceId, from, to);
      return { available: conflicts.length === 0 && space.state !== 'maintenance', conflicts };
    });
  }

  stats(principal: Principal, query: ReservationStatsRequest): Promise<ReservationStatsView> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const site = query.siteId ? Prisma.sql`AND site_id = ${query.siteId}::uuid` : Prisma.empty;
      const rows = await tx.$queryRaw<Array<{ state: string; n: number; lead_minutes: number | null }>>`
        SELECT state, count(*)::int AS n, avg(extract(epoch FROM lower(period) - created_at) / 60)::float8 AS lead_minutes
          FROM reservations.reservations
         WHERE lower(period) >= ${from}::timestamptz AND lower(period) < ${to}::timestamptz ${site}
         GROUP BY state`;
      const byState = Object.fromEntries(RESERVATION_STATES.map((state) => [state, 0])) as Record<string, number>;
      let total = 0;
      let leadSum = 0;
      for (const row of rows) {
        byState[row.state] = row.n;
        total += row.n;
        leadSum += (row.lead_minutes ?? 0) * row.n;
      }
      const settled = byState.completed + byState.no_show + byState.checked_in;
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        total,
        byState,
        noShowRate: settled === 0 ? null : Math.round((byState.no_show / settled) * 10_000) / 10_000,
        averageLeadMinutes: total === 0 ? null : Math.round((leadSum / total) * 10) / 10,
      };
    });
  }

  private async assertScopeExists(tx: TemplateSqlClient, query: AvailabilityRequest): Promise<void> {
    if (query.siteId) {
      const [site] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM reservations.sites WHERE id = ${query.siteId}::uuid AND removed_at IS NULL`;
      if (!site) throw new NotFoundError('Site', query.siteId);
    } else {
      const [zone] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM reservations.zones WHERE id = ${query.zoneId as string}::uuid AND removed_at IS NULL`;
      if (!zone) throw new NotFoundError('Zone', query.zoneId as string);
    }
  }
}
