import type { SpaceState } from '@parking/contracts';
import type { OccupancyDatabase } from '@parking/occupancy/data-access';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { StatsTransition } from '../../apps/occupancy/src/stats/rollup';
import { StatsRecorder } from '../../apps/occupancy/src/stats/stats-recorder';

export interface SeedSettings {
  spaces: number;
  days: number;
  /** Changes of state per space per day (every other one an arrival). */
  changesPerDay: number;
  levels: number;
  zonesPerLevel: number;
  timeZone: string;
}

export interface SeededSite {
  tenantId: string;
  siteId: string;
  zoneId: string;
  spaceId: string;
  transitions: number;
  zoneHourRows: number;
  spaceDayRows: number;
  seedSeconds: number;
  rollupSeconds: number;
}

const CHUNK_SPACES = 100;

/**
 * A site with nested zones and `spaces` spaces, `days` of transitions written straight into
 * space_transitions (as superuser, like a restore), the live state they end in, and the
 * rollups built from those transitions by the service's own StatsRecorder, chunk by chunk.
 */
export async function seedHistory(admin: Client, db: OccupancyDatabase, settings: SeedSettings, now: Date): Promise<SeededSite> {
  const started = Date.now();
  const tenantId = randomUUID();
  const siteId = randomUUID();
  await admin.query(`INSERT INTO occupancy.sites (id, tenant_id, name, time_zone, category) VALUES ($1, $2, 'Bench car park', $3, 'off_street')`, [siteId, tenantId, settings.timeZone]);
  const zones: Array<{ id: string; path: string[] }> = [];
  for (let l = 0; l < settings.levels; l++) {
    const level = randomUUID();
    await admin.query(`INSERT INTO occupancy.zones (id, tenant_id, site_id, name, kind, path) VALUES ($1, $2, $3, $4, 'level', ARRAY[$1]::uuid[])`, [level, tenantId, siteId, `Level ${l}`]);
    for (let z = 0; z < settings.zonesPerLevel; z++) {
      const zone = randomUUID();
      await admin.query(`INSERT INTO occupancy.zones (id, tenant_id, site_id, parent_zone_id, name, kind, path) VALUES ($1, $2, $3, $4, $5, 'zone', ARRAY[$4, $1]::uuid[])`, [
        zone,
        tenantId,
        siteId,
        level,
        `Level ${l} zone ${z}`,
      ]);
      zones.push({ id: zone, path: [level, zone] });
    }
  }
  await admin.query(
    `INSERT INTO occupancy.spaces (tenant_id, site_id, zone_id, code, category)
     SELECT $1, $2, ($3::uuid[])[1 + n % cardinality($3::uuid[])], 'B-' || n, 'off_street' FROM generate_series(0, $4 - 1) AS n`,
    [tenantId, siteId, zones.map((z) => z.id), settings.spaces],
  );
  // Changes every (24 h / changesPerDay), each moved by a deterministic jitter under half a step,
  // so they stay in order; an odd or even count per space leaves it occupied or free.
  const stepSeconds = (24 * 3600) / settings.changesPerDay;
  const count = settings.days * settings.changesPerDay;
  await admin.query(
    `INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, version, at)
     SELECT sp.tenant_id, sp.id,
            CASE WHEN n = 0 THEN 'unknown' WHEN n % 2 = 1 THEN 'free' ELSE 'occupied' END,
            CASE WHEN n % 2 = 1 THEN 'occupied' ELSE 'free' END,
            'sensor', n + 2,
            $2::timestamptz + make_interval(secs => n * $3::float8 + abs(hashtext(sp.id::text || n)) % $5::int)
       FROM occupancy.spaces sp
       CROSS JOIN LATERAL generate_series(0, $4::int - 1 + abs(hashtext(sp.id::text)) % 2) AS n
      WHERE sp.site_id = $1
      ORDER BY sp.id, n`,
    [siteId, new Date(now.getTime() - settings.days * 86_400_000), stepSeconds, count - 1, Math.floor(stepSeconds / 2)],
  );
  await admin.query(
    `INSERT INTO occupancy.space_state (space_id, tenant_id, state, changed_at, version)
     SELECT DISTINCT ON (t.space_id) t.space_id, t.tenant_id, t.to_state, t.at, t.version
       FROM occupancy.space_transitions t JOIN occupancy.spaces sp ON sp.id = t.space_id
      WHERE sp.site_id = $1 ORDER BY t.space_id, t.id DESC`,
    [siteId],
  );
  await admin.query(
    `INSERT INTO occupancy.site_availability (site_id, tenant_id, free, occupied)
     SELECT $1, $2, count(*) FILTER (WHERE st.state = 'free'), count(*) FILTER (WHERE st.state = 'occupied')
       FROM occupancy.space_state st JOIN occupancy.spaces sp ON sp.id = st.space_id WHERE sp.site_id = $1`,
    [siteId, tenantId],
  );
  const seedSeconds = (Date.now() - started) / 1000;

  const rollupStarted = Date.now();
  const pathOf = new Map(zones.map((z) => [z.id, z.path]));
  const { rows: spaces } = await admin.query<{ id: string; zone_id: string }>(`SELECT id::text, zone_id::text FROM occupancy.spaces WHERE site_id = $1 ORDER BY id`, [siteId]);
  const recorder = new StatsRecorder();
  let transitions = 0;
  for (let i = 0; i < spaces.length; i += CHUNK_SPACES) {
    const chunk = spaces.slice(i, i + CHUNK_SPACES);
    const { rows } = await admin.query<{ space_id: string; from_state: SpaceState; to_state: SpaceState; at: Date }>(
      `SELECT space_id::text, from_state, to_state, at FROM occupancy.space_transitions WHERE space_id = ANY ($1::uuid[]) ORDER BY space_id, id`,
      [chunk.map((s) => s.id)],
    );
    const zoneOf = new Map(chunk.map((s) => [s.id, s.zone_id]));
    const batch: StatsTransition[] = [];
    let previous: { spaceId: string; at: Date } | null = null;
    for (const row of rows) {
      const since = previous?.spaceId === row.space_id ? previous.at : row.at;
      batch.push({
        tenantId,
        spaceId: row.space_id,
        siteId,
        zonePath: pathOf.get(zoneOf.get(row.space_id) as string) ?? [],
        timeZone: settings.timeZone,
        from: row.from_state,
        to: row.to_state,
        since,
        at: row.at,
      });
      previous = { spaceId: row.space_id, at: row.at };
    }
    await db.withTenant(tenantId, (tx) => recorder.record(tx, batch));
    transitions += rows.length;
  }
  const rollupSeconds = (Date.now() - rollupStarted) / 1000;
  const [{ zone_hours, space_days }] = (
    await admin.query<{ zone_hours: number; space_days: number }>(
      `SELECT (SELECT count(*) FROM occupancy.zone_hour_stats WHERE site_id = $1)::int AS zone_hours,
              (SELECT count(*) FROM occupancy.space_day_stats WHERE tenant_id = $2)::int AS space_days`,
      [siteId, tenantId],
    )
  ).rows;
  await admin.query('ANALYZE');
  return { tenantId, siteId, zoneId: zones[0].path[0], spaceId: spaces[0].id, transitions, zoneHourRows: zone_hours, spaceDayRows: space_days, seedSeconds, rollupSeconds };
}
