import { Injectable } from '@nestjs/common';
import { OccupancySql } from '@parking/occupancy/data-access';
import { rollUp, StatsTransition } from './rollup';

/**
 * Adds a transaction's changes of state to the rollups: summed in memory first, then one
 * upsert per table, rows in key order (every writer's order, so two consumers never deadlock).
 */
@Injectable()
export class StatsRecorder {
  async record(tx: OccupancySql, transitions: readonly StatsTransition[]): Promise<void> {
    if (transitions.length === 0) return;
    const { zoneHours, spaceDays } = rollUp(transitions);
    if (zoneHours.length > 0) {
      const r = zoneHours;
      await tx.$executeRaw`
        INSERT INTO occupancy.zone_hour_stats AS s (tenant_id, site_id, zone_key, hour, occupied_ms, observed_ms, arrivals, departures,
                                                    dwell_ms_sum, dwell_count, dwell_under_15m, dwell_15m_1h, dwell_1h_4h, dwell_over_4h)
        SELECT u.tenant_id, u.site_id, u.zone_key, u.hour, u.occupied_ms, u.observed_ms, u.arrivals, u.departures,
               u.dwell_ms_sum, u.dwell_count, u.b0, u.b1, u.b2, u.b3
          FROM unnest(${r.map((x) => x.tenantId)}::uuid[], ${r.map((x) => x.siteId)}::uuid[], ${r.map((x) => x.zoneKey)}::uuid[],
                      ${r.map((x) => new Date(x.hour).toISOString())}::timestamptz[], ${r.map((x) => x.occupiedMs)}::bigint[],
                      ${r.map((x) => x.observedMs)}::bigint[], ${r.map((x) => x.arrivals)}::int[], ${r.map((x) => x.departures)}::int[],
                      ${r.map((x) => x.dwellMsSum)}::bigint[], ${r.map((x) => x.dwellCount)}::int[], ${r.map((x) => x.dwellBuckets[0])}::int[],
                      ${r.map((x) => x.dwellBuckets[1])}::int[], ${r.map((x) => x.dwellBuckets[2])}::int[], ${r.map((x) => x.dwellBuckets[3])}::int[])
               WITH ORDINALITY AS u(tenant_id, site_id, zone_key, hour, occupied_ms, observed_ms, arrivals, departures, dwell_ms_sum, dwell_count, b0, b1, b2, b3, n)
         ORDER BY u.n
        ON CONFLICT (tenant_id, site_id, zone_key, hour) DO UPDATE
           SET occupied_ms = s.occupied_ms + EXCLUDED.occupied_ms,
               observed_ms = s.observed_ms + EXCLUDED.observed_ms,
               arrivals = s.arrivals + EXCLUDED.arrivals,
               departures = s.departures + EXCLUDED.departures,
               dwell_ms_sum = s.dwell_ms_sum + EXCLUDED.dwell_ms_sum,
               dwell_count = s.dwell_count + EXCLUDED.dwell_count,
               dwell_under_15m = s.dwell_under_15m + EXCLUDED.dwell_under_15m,
               dwell_15m_1h = s.dwell_15m_1h + EXCLUDED.dwell_15m_1h,
               dwell_1h_4h = s.dwell_1h_4h + EXCLUDED.dwell_1h_4h,
               dwell_over_4h = s.dwell_over_4h + EXCLUDED.dwell_over_4h`;
    }
    if (spaceDays.length > 0) {
      const r = spaceDays;
      await tx.$executeRaw`
        INSERT INTO occupancy.space_day_stats AS s (tenant_id, space_id, day, occupied_ms, observed_ms, arrivals, departures, dwell_ms_sum, dwell_count)
        SELECT u.tenant_id, u.space_id, u.day, u.occupied_ms, u.observed_ms, u.arrivals, u.departures, u.dwell_ms_sum, u.dwell_count
          FROM unnest(${r.map((x) => x.tenantId)}::uuid[], ${r.map((x) => x.spaceId)}::uuid[], ${r.map((x) => x.day)}::date[],
                      ${r.map((x) => x.occupiedMs)}::bigint[], ${r.map((x) => x.observedMs)}::bigint[], ${r.map((x) => x.arrivals)}::int[],
                      ${r.map((x) => x.departures)}::int[], ${r.map((x) => x.dwellMsSum)}::bigint[], ${r.map((x) => x.dwellCount)}::int[])
               WITH ORDINALITY AS u(tenant_id, space_id, day, occupied_ms, observed_ms, arrivals, departures, dwell_ms_sum, dwell_count, n)
         ORDER BY u.n
        ON CONFLICT (tenant_id, space_id, day) DO UPDATE
           SET occupied_ms = s.occupied_ms + EXCLUDED.occupied_ms,
               observed_ms = s.observed_ms + EXCLUDED.observed_ms,
               arrivals = s.arrivals + EXCLUDED.arrivals,
               departures = s.departures + EXCLUDED.departures,
               dwell_ms_sum = s.dwell_ms_sum + EXCLUDED.dwell_ms_sum,
               dwell_count = s.dwell_count + EXCLUDED.dwell_count`;
    }
  }
}
