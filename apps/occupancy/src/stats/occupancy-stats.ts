import { Inject, Injectable } from '@nestjs/common';
import {
  DayDwell,
  DwellFigures,
  DwellStatsView,
  OccupancyStatsView,
  Principal,
  SiteTurnoverStatsView,
  SpaceDayStats,
  SpaceTurnoverStatsView,
} from '@parking/contracts';
import { OccupancyDatabase, OccupancyTransaction, Prisma } from '@parking/occupancy/data-access';
import { NotFoundError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { findSite } from '../sites/sites.use-cases';
import { findZone } from '../zones/zones.use-cases';
import { HourRollup, hourlyOccupancy, OpenSpells, rateOf, secondsOf } from './hourly-occupancy';
import { OBSERVED_STATES, WHOLE_SITE } from './rollup';
import { daysFrom, HOUR_MS, hourPieces, localDate, localHourStart } from './site-clock';

/** A validated range: `from` inclusive, `to` exclusive. */
export interface StatsWindow {
  from: Date;
  to: Date;
}

interface DayRow {
  day: string;
  arrivals: number;
  dwell_count: number;
  dwell_ms_sum: number;
  b0: number;
  b1: number;
  b2: number;
  b3: number;
}

const observed = Prisma.join(OBSERVED_STATES.map((state) => Prisma.sql`${state}`));

/** The read side of the statistics: rollups plus the spells still open in space_state. */
@Injectable()
export class OccupancyStats {
  constructor(@Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase) {}

  occupancy(principal: Principal, siteId: string, zoneId: string | null, window: StatsWindow, now = new Date()): Promise<OccupancyStatsView> {
    return this.db.withTenant(principal.tenantId, (tx) => this.occupancyIn(tx, principal.tenantId, siteId, zoneId, window, now));
  }

  zoneOccupancy(principal: Principal, zoneId: string, window: StatsWindow, now = new Date()): Promise<OccupancyStatsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const zone = await findZone(tx, zoneId);
      return this.occupancyIn(tx, principal.tenantId, zone.siteId, zoneId, window, now);
    });
  }

  private async occupancyIn(tx: OccupancyTransaction, tenantId: string, siteId: string, zoneId: string | null, window: StatsWindow, now: Date): Promise<OccupancyStatsView> {
    const timeZone = await this.siteTimeZone(tx, siteId, zoneId);
    const start = localHourStart(window.from.getTime(), timeZone);
    const end = localHourStart(window.to.getTime() - 1, timeZone) + HOUR_MS;
    const rows = await tx.$queryRaw<Array<{ hour: Date; occupied_ms: number; observed_ms: number; arrivals: number; departures: number }>>`
      SELECT hour, occupied_ms::float8, observed_ms::float8, arrivals, departures
        FROM occupancy.zone_hour_stats
       WHERE tenant_id = ${tenantId}::uuid AND site_id = ${siteId}::uuid AND zone_key = ${zoneId ?? WHOLE_SITE}::uuid
         AND hour >= ${new Date(start)} AND hour < ${new Date(end)}`;
    const rollups: HourRollup[] = rows.map((r) => ({ hour: r.hour.getTime(), occupiedMs: r.occupied_ms, observedMs: r.observed_ms, arrivals: r.arrivals, departures: r.departures }));
    const openEnd = Math.min(now.getTime(), end);
    const open = openEnd > start ? await this.openSpells(tx, tenantId, siteId, zoneId, new Date(start), new Date(openEnd)) : [];
    return {
      siteId,
      zoneId,
      timeZone,
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      ...hourlyOccupancy(start, end, now.getTime(), rollups, open),
    };
  }

  dwell(principal: Principal, siteId: string, zoneId: string | null, window: StatsWindow): Promise<DwellStatsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const timeZone = await this.siteTimeZone(tx, siteId, zoneId);
      const days = localDays(window, timeZone);
      const byDay = await this.dayRows(tx, principal.tenantId, siteId, zoneId ?? WHOLE_SITE, timeZone, window, days);
      const perDay: DayDwell[] = days.map((day) => ({ day, ...dwellOf([byDay.get(day)]) }));
      return { siteId, zoneId, timeZone, days: perDay, totals: dwellOf([...byDay.values()]) };
    });
  }

  siteTurnover(principal: Principal, siteId: string, window: StatsWindow): Promise<SiteTurnoverStatsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const timeZone = await this.siteTimeZone(tx, siteId, null);
      const days = localDays(window, timeZone);
      const byDay = await this.dayRows(tx, principal.tenantId, siteId, WHOLE_SITE, timeZone, window, days);
      const [counts] = await tx.$queryRaw<Array<{ total: number }>>`SELECT total FROM occupancy.site_availability WHERE site_id = ${siteId}::uuid`;
      const spaces = counts?.total ?? 0;
      const perDay = days.map((day) => {
        const arrivals = byDay.get(day)?.arrivals ?? 0;
        return { day, arrivals, turnover: spaces > 0 ? arrivals / spaces : null };
      });
      const arrivals = perDay.reduce((sum, d) => sum + d.arrivals, 0);
      return { siteId, timeZone, spaces, days: perDay, totals: { arrivals, meanDailyTurnover: spaces > 0 ? arrivals / spaces / days.length : null } };
    });
  }

  spaceTurnover(principal: Principal, spaceId: string, window: StatsWindow, now = new Date()): Promise<SpaceTurnoverStatsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [space] = await tx.$queryRaw<Array<{ site_id: string; time_zone: string; state: string; changed_at: Date }>>`
        SELECT sp.site_id::text, si.time_zone, st.state, st.changed_at
          FROM occupancy.spaces sp
          JOIN occupancy.sites si ON si.id = sp.site_id
          JOIN occupancy.space_state st ON st.space_id = sp.id
         WHERE sp.id = ${spaceId}::uuid`;
      if (!space) throw new NotFoundError('Space', spaceId);
      const { time_zone: timeZone } = space;
      const days = localDays(window, timeZone);
      const rows = await tx.$queryRaw<Array<{ day: string; arrivals: number; occupied_ms: number; observed_ms: number; dwell_count: number; dwell_ms_sum: number }>>`
        SELECT day::text, arrivals, occupied_ms::float8, observed_ms::float8, dwell_count, dwell_ms_sum::float8
          FROM occupancy.space_day_stats
         WHERE tenant_id = ${principal.tenantId}::uuid AND space_id = ${spaceId}::uuid
           AND day BETWEEN ${days[0]}::date AND ${days[days.length - 1]}::date`;
      const byDay = new Map(rows.map((r) => [r.day, { ...r }]));
      // The spell still open is in no rollup yet: add it, day by day, up to now.
      if ((OBSERVED_STATES as readonly string[]).includes(space.state)) {
        const since = Math.max(space.changed_at.getTime(), window.from.getTime() - 2 * 24 * HOUR_MS);
        for (const piece of hourPieces(since, now.getTime(), timeZone)) {
          const row = byDay.get(piece.day);
          if (!row) {
            if (piece.day < days[0] || piece.day > days[days.length - 1]) continue;
            byDay.set(piece.day, { day: piece.day, arrivals: 0, occupied_ms: 0, observed_ms: piece.ms, dwell_count: 0, dwell_ms_sum: 0 });
          } else row.observed_ms += piece.ms;
          if (space.state === 'occupied') (byDay.get(piece.day) as (typeof rows)[number]).occupied_ms += piece.ms;
        }
      }
      const perDay: SpaceDayStats[] = days.map((day) => {
        const row = byDay.get(day);
        return {
          day,
          arrivals: row?.arrivals ?? 0,
          occupiedSeconds: secondsOf(row?.occupied_ms ?? 0),
          occupancyRate: rateOf(row?.occupied_ms ?? 0, row?.observed_ms ?? 0),
          stays: row?.dwell_count ?? 0,
          meanDwellSeconds: row && row.dwell_count > 0 ? secondsOf(row.dwell_ms_sum / row.dwell_count) : null,
        };
      });
      const arrivals = perDay.reduce((sum, d) => sum + d.arrivals, 0);
      const occupiedSeconds = secondsOf(perDay.reduce((sum, d) => sum + d.occupiedSeconds * 1000, 0));
      return { spaceId, siteId: space.site_id, timeZone, days: perDay, totals: { arrivals, occupiedSeconds, meanDailyTurnover: arrivals / days.length } };
    });
  }

  /** The site's time zone; 404 for an unknown site, or a zone that is not one of its zones. */
  private async siteTimeZone(tx: OccupancyTransaction, siteId: string, zoneId: string | null): Promise<string> {
    const site = await findSite(tx, siteId);
    if (zoneId !== null && (await findZone(tx, zoneId)).siteId !== siteId) throw new NotFoundError('Zone', zoneId);
    return site.timeZone;
  }

  /** Spaces of the site (or zone) in an observed state since before `openEnd`, by the hour their spell began. */
  private openSpells(tx: OccupancyTransaction, tenantId: string, siteId: string, zoneId: string | null, start: Date, openEnd: Date): Promise<OpenSpells[]> {
    const inZone = zoneId === null ? Prisma.empty : Prisma.sql`AND sp.zone_id IN (SELECT id FROM occupancy.zones WHERE ${zoneId}::uuid = ANY (path))`;
    return tx.$queryRaw<OpenSpells[]>`
      SELECT floor(extract(epoch FROM greatest(st.changed_at, ${start}) - ${start}) / 3600)::int AS bucket,
             st.state = 'occupied' AS occupied,
             count(*)::int AS spaces,
             coalesce(sum(extract(epoch FROM greatest(st.changed_at, ${start}) - ${start}) * 1000), 0)::float8 AS "sinceOffsetMs"
        FROM occupancy.spaces sp
        JOIN occupancy.space_state st ON st.space_id = sp.id
       WHERE sp.tenant_id = ${tenantId}::uuid AND sp.site_id = ${siteId}::uuid AND st.state IN (${observed}) AND st.changed_at < ${openEnd} ${inZone}
       GROUP BY 1, 2`;
  }

  /** Rolled-up hours summed per local day of the site. */
  private async dayRows(
    tx: OccupancyTransaction,
    tenantId: string,
    siteId: string,
    zoneKey: string,
    timeZone: string,
    window: StatsWindow,
    days: string[],
  ): Promise<Map<string, DayRow>> {
    // Local days start at most 26 hours before `from` (UTC+14, a 25-hour day) and end as late after `to`.
    const margin = 2 * 24 * HOUR_MS;
    const rows = await tx.$queryRaw<DayRow[]>`
      SELECT (hour AT TIME ZONE ${timeZone})::date::text AS day, sum(arrivals)::int AS arrivals,
             sum(dwell_count)::int AS dwell_count, sum(dwell_ms_sum)::float8 AS dwell_ms_sum,
             sum(dwell_under_15m)::int AS b0, sum(dwell_15m_1h)::int AS b1, sum(dwell_1h_4h)::int AS b2, sum(dwell_over_4h)::int AS b3
        FROM occupancy.zone_hour_stats
       WHERE tenant_id = ${tenantId}::uuid AND site_id = ${siteId}::uuid AND zone_key = ${zoneKey}::uuid
         AND hour >= ${new Date(window.from.getTime() - margin)} AND hour < ${new Date(window.to.getTime() + margin)}
         AND (hour AT TIME ZONE ${timeZone})::date BETWEEN ${days[0]}::date AND ${days[days.length - 1]}::date
       GROUP BY 1`;
    return new Map(rows.map((row) => [row.day, row]));
  }
}

/** The site's local days that overlap the window. */
function localDays(window: StatsWindow, timeZone: string): string[] {
  return daysFrom(localDate(window.from.getTime(), timeZone), localDate(window.to.getTime() - 1, timeZone));
}

function dwellOf(rows: ReadonlyArray<DayRow | undefined>): DwellFigures {
  const sum = (pick: (row: DayRow) => number) => rows.reduce((total, row) => total + (row ? pick(row) : 0), 0);
  const stays = sum((r) => r.dwell_count);
  return {
    stays,
    meanSeconds: stays > 0 ? secondsOf(sum((r) => r.dwell_ms_sum) / stays) : null,
    histogram: { under15m: sum((r) => r.b0), from15mTo1h: sum((r) => r.b1), from1hTo4h: sum((r) => r.b2), over4h: sum((r) => r.b3) },
  };
}
