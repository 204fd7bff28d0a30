import { Client } from 'pg';

export interface ScannedHour {
  hour: number;
  occupiedMs: number;
  observedMs: number;
  arrivals: number;
}

/**
 * The baseline: the site's occupancy per hour computed from the raw transitions alone (each
 * spell from one change to the next, plus the spells still open), clipped to [start, end),
 * split by hour and summed. What a query would do without rollups.
 */
export async function scanOccupancy(admin: Client, siteId: string, start: Date, end: Date, now: Date): Promise<ScannedHour[]> {
  const { rows } = await admin.query<{ hour: Date; occupied_ms: number; observed_ms: number; arrivals: number }>(
    `WITH spells AS (
       SELECT t.from_state AS state, lag(t.at) OVER (PARTITION BY t.space_id ORDER BY t.id) AS since, t.at AS until
         FROM occupancy.space_transitions t JOIN occupancy.spaces sp ON sp.id = t.space_id
        WHERE sp.site_id = $1
       UNION ALL
       SELECT st.state, st.changed_at, $4::timestamptz
         FROM occupancy.space_state st JOIN occupancy.spaces sp ON sp.id = st.space_id
        WHERE sp.site_id = $1
     ), clipped AS (
       SELECT state, greatest(since, $2) AS s, least(until, $3) AS e
         FROM spells
        WHERE state IN ('free', 'occupied', 'reserved') AND since IS NOT NULL AND until > $2 AND since < $3
     ), per_hour AS (
       SELECT h AS hour,
              sum(extract(epoch FROM least(e, h + interval '1 hour') - greatest(s, h)) * 1000) FILTER (WHERE state = 'occupied') AS occupied_ms,
              sum(extract(epoch FROM least(e, h + interval '1 hour') - greatest(s, h)) * 1000) AS observed_ms
         FROM clipped CROSS JOIN LATERAL generate_series(date_trunc('hour', s), e - interval '1 microsecond', interval '1 hour') AS h
        GROUP BY h
     ), arrivals AS (
       SELECT date_trunc('hour', t.at) AS hour, count(*) AS arrivals
         FROM occupancy.space_transitions t JOIN occupancy.spaces sp ON sp.id = t.space_id
        WHERE sp.site_id = $1 AND t.to_state = 'occupied' AND t.at >= $2 AND t.at < $3
        GROUP BY 1
     )
     SELECT coalesce(p.hour, a.hour) AS hour, coalesce(p.occupied_ms, 0)::float8 AS occupied_ms, coalesce(p.observed_ms, 0)::float8 AS observed_ms,
            coalesce(a.arrivals, 0)::int AS arrivals
       FROM per_hour p FULL JOIN arrivals a ON a.hour = p.hour
      ORDER BY 1`,
    [siteId, start, end, now],
  );
  return rows.map((r) => ({ hour: r.hour.getTime(), occupiedMs: r.occupied_ms, observedMs: r.observed_ms, arrivals: r.arrivals }));
}
