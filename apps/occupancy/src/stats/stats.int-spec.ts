import {
  DwellStatsView,
  IdentityEvents,
  IngestEvents,
  OCCUPANCY_RPC,
  OCCUPANCY_STATS_RPC,
  OccupancyStatsView,
  ReservationsEvents,
  SiteTurnoverStatsView,
  SiteView,
  SpaceTurnoverStatsView,
  SpaceView,
  ZoneView,
} from '@parking/contracts';
import { RetentionPurger, TENANT_DATABASE } from '@parking/service-runtime';
import { expectEventually } from '@parking/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, limitsChanged, OccupancyHarness, principalFor, RpcTarget, startOccupancy, uplinkOf } from '../../test/occupancy-harness';
import { WHOLE_SITE } from './rollup';

const namespace = claimNamespace();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Totals {
  occupied_ms: number;
  observed_ms: number;
  arrivals: number;
  departures: number;
  stays: number;
}

describe('occupancy statistics: rollups kept with every transition (real PostgreSQL and NATS, two consumers)', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);
  let site: SiteView;
  let level: ZoneView;
  let zone: ZoneView;
  const spaces: SpaceView[] = [];
  const sensors = [1, 2, 3, 4].map((i) => deviceSnapshot(tenantId, `5a5a5a5a5a5a5a0${i}`));
  const fCnt = new Map<string, number>();
  const reservations = new Map<string, string>();

  const stats = <T>(target: RpcTarget, payload: Record<string, unknown>) => h.send<T>(target, { principal, ...payload });

  /** Sends a reading and waits until the space holds it. */
  async function reading(index: number, occupied: boolean): Promise<void> {
    const sensor = sensors[index];
    const next = (fCnt.get(sensor.devEui) ?? 0) + 1;
    fCnt.set(sensor.devEui, next);
    await h.publish(IngestEvents.UplinkReceivedV1, tenantId, sensor.deviceId, uplinkOf(sensor, { fCnt: next, occupied }));
    await expectEventually(async () => {
      const [row] = await h.sql<{ f: string }>('SELECT reading_f_cnt::text AS f FROM occupancy.space_state WHERE space_id = $1', [spaces[index].id]);
      expect(Number(row.f)).toBe(next);
    });
  }

  /** The rollups' sums for one zone key of the site, from every hour. */
  async function rolledUp(zoneKey: string): Promise<Totals> {
    const [row] = await h.sql<Totals>(
      `SELECT coalesce(sum(occupied_ms), 0)::float8 AS occupied_ms, coalesce(sum(observed_ms), 0)::float8 AS observed_ms,
              coalesce(sum(arrivals), 0)::int AS arrivals, coalesce(sum(departures), 0)::int AS departures, coalesce(sum(dwell_count), 0)::int AS stays
         FROM occupancy.zone_hour_stats WHERE site_id = $1 AND zone_key = $2`,
      [site.id, zoneKey],
    );
    return row;
  }

  /** The same figures recounted from the raw transitions: each one closes the spell since the one before it. */
  async function recounted(zoneId: string | null): Promise<Totals> {
    const [row] = await h.sql<Totals>(
      `WITH spells AS (
         SELECT t.from_state, t.to_state, extract(epoch FROM t.at - lag(t.at) OVER (PARTITION BY t.space_id ORDER BY t.id)) * 1000 AS ms
           FROM occupancy.space_transitions t
           JOIN occupancy.spaces sp ON sp.id = t.space_id
           LEFT JOIN occupancy.zones z ON z.id = sp.zone_id
          WHERE sp.site_id = $1 AND ($2::uuid IS NULL OR $2::uuid = ANY (z.path)))
       SELECT coalesce(sum(ms) FILTER (WHERE from_state = 'occupied'), 0)::float8 AS occupied_ms,
              coalesce(sum(ms) FILTER (WHERE from_state IN ('free', 'occupied', 'reserved')), 0)::float8 AS observed_ms,
              (count(*) FILTER (WHERE to_state = 'occupied'))::int AS arrivals,
              (count(*) FILTER (WHERE from_state = 'occupied'))::int AS departures,
              (count(*) FILTER (WHERE from_state = 'occupied'))::int AS stays
         FROM spells`,
      [site.id, zoneId],
    );
    return row;
  }

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true, instances: 2 });
    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: 10, spaces: 100 }, 1));
    await expectEventually(async () => expect(await h.sql('SELECT sites FROM occupancy.tenant_limits WHERE tenant_id = $1', [tenantId])).toEqual([{ sites: 10 }]));
    for (const sensor of sensors) await h.publish(IngestEvents.DeviceRegisteredV1, tenantId, sensor.deviceId, sensor);
    site = await h.send(OCCUPANCY_RPC.createSite, { principal, name: 'Stats', category: 'off_street', timeZone: 'Europe/Berlin' });
    level = await h.send(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Level 1', kind: 'level' });
    zone = await h.send(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'North', parentZoneId: level.id });
    const zoneOf = [zone.id, zone.id, level.id, undefined];
    for (let i = 0; i < 4; i++) spaces.push(await h.send(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: `S-${i}`, ...(zoneOf[i] ? { zoneId: zoneOf[i] } : {}) }));
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors WHERE tenant_id = $1', [tenantId])).toHaveLength(4));
    for (let i = 0; i < 4; i++) await h.send(OCCUPANCY_RPC.assignSensor, { principal, spaceId: spaces[i].id, devEui: sensors[i].devEui });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps the rollups of the site and of every zone equal to a recount from the transitions, whatever the readings, overrides and reservations', async () => {
    const action = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('reading' as const), space: fc.integer({ min: 0, max: 3 }), occupied: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('maintenance-set' as const, 'maintenance-cleared' as const), space: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reservation' as const), space: fc.integer({ min: 0, max: 3 }) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 12 }), async (actions) => {
        for (const a of actions) {
          const spaceId = spaces[a.space].id;
          if (a.kind === 'reading') await reading(a.space, a.occupied);
          else if (a.kind === 'maintenance-set') await h.send(OCCUPANCY_RPC.setMaintenance, { principal, spaceId, reason: 'property' });
          else if (a.kind === 'maintenance-cleared') await h.send(OCCUPANCY_RPC.clearMaintenance, { principal, spaceId });
          else {
            // Starts a reservation of the space, or ends the one it holds.
            const held = reservations.get(spaceId);
            const reservationId = held ?? randomUUID();
            const ref = { tenantId, reservationId, spaceId, siteId: site.id };
            if (held) {
              reservations.delete(spaceId);
              await h.publish(ReservationsEvents.ReservationEndedV1, tenantId, reservationId, { ...ref, reason: 'cancelled', endedAt: new Date().toISOString() });
            } else {
              reservations.set(spaceId, reservationId);
              const started = { ...ref, from: new Date().toISOString(), to: new Date(Date.now() + HOUR).toISOString(), startedAt: new Date().toISOString() };
              await h.publish(ReservationsEvents.ReservationStartedV1, tenantId, reservationId, started);
            }
            await expectEventually(async () =>
              expect(await h.sql('SELECT ended FROM occupancy.space_reservations WHERE reservation_id = $1', [reservationId])).toEqual([{ ended: held !== undefined }]),
            );
          }
        }
        for (const [key, zoneId] of [[WHOLE_SITE, null], [level.id, level.id], [zone.id, zone.id]] as const) {
          expect({ key, ...(await rolledUp(key)) }).toEqual({ key, ...(await recounted(zoneId)) });
        }
        const [days] = await h.sql<{ occupied_ms: number; arrivals: number }>(
          `SELECT coalesce(sum(occupied_ms), 0)::float8 AS occupied_ms, coalesce(sum(arrivals), 0)::int AS arrivals FROM occupancy.space_day_stats WHERE space_id = ANY ($1::uuid[])`,
          [spaces.map((s) => s.id)],
        );
        const whole = await recounted(null);
        expect(days).toEqual({ occupied_ms: whole.occupied_ms, arrivals: whole.arrivals });
      }),
      { numRuns: 6 },
    );
  });

  it('keeps the rollups equal to the recount after a burst taken by two consumers at once', async () => {
    const perSensor = 25;
    for (let n = 0; n < perSensor; n++) {
      await Promise.all(
        sensors.map((sensor) => {
          const next = (fCnt.get(sensor.devEui) ?? 0) + 1;
          fCnt.set(sensor.devEui, next);
          return h.publish(IngestEvents.UplinkReceivedV1, tenantId, sensor.deviceId, uplinkOf(sensor, { fCnt: next, occupied: next % 2 === 0 }));
        }),
      );
    }
    await expectEventually(async () => {
      const rows = await h.sql<{ f: string }>('SELECT reading_f_cnt::text AS f FROM occupancy.space_state WHERE space_id = ANY ($1::uuid[])', [spaces.map((s) => s.id)]);
      expect(rows.map((r) => Number(r.f)).sort()).toEqual(sensors.map((s) => fCnt.get(s.devEui)).sort());
    }, { timeoutMs: 30_000 });
    for (const [key, zoneId] of [[WHOLE_SITE, null], [zone.id, zone.id]] as const) expect(await rolledUp(key)).toEqual(await recounted(zoneId));
  });

  it('splits a spell over the local hours and days it spanned when the space leaves it', async () => {
    await h.send(OCCUPANCY_RPC.clearMaintenance, { principal, spaceId: spaces[3].id });
    await reading(3, true);
    // The space has been occupied for 30 hours: pretend it arrived then.
    const since = new Date(Date.now() - 30 * HOUR);
    await h.sql('UPDATE occupancy.space_state SET changed_at = $2 WHERE space_id = $1', [spaces[3].id, since]);
    const before = await h.sql<{ day: string; occupied_ms: number }>('SELECT day::text, occupied_ms::float8 FROM occupancy.space_day_stats WHERE space_id = $1', [spaces[3].id]);
    await reading(3, false);
    const [left] = await h.sql<{ at: Date }>(`SELECT at FROM occupancy.space_transitions WHERE space_id = $1 ORDER BY id DESC LIMIT 1`, [spaces[3].id]);
    const after = await h.sql<{ day: string; occupied_ms: number }>('SELECT day::text, occupied_ms::float8 FROM occupancy.space_day_stats WHERE space_id = $1 ORDER BY day', [spaces[3].id]);
    const added = after.map((row) => ({ day: row.day, ms: row.occupied_ms - (before.find((b) => b.day === row.day)?.occupied_ms ?? 0) })).filter((d) => d.ms > 0);
    const berlinDay = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(t);
    expect(added.map((d) => d.day)).toEqual([...new Set([since.getTime(), since.getTime() + DAY, left.at.getTime()].map(berlinDay))]);
    expect(added.reduce((sum, d) => sum + d.ms, 0)).toBe(left.at.getTime() - since.getTime());
    const [stay] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM occupancy.zone_hour_stats WHERE site_id = $1 AND zone_key = $2 AND hour >= $3 AND hour < $4 AND occupied_ms > 0`,
      [site.id, WHOLE_SITE, new Date(since.getTime() - HOUR), left.at],
    );
    expect(stay.n).toBeGreaterThanOrEqual(30);
    const [hist] = await h.sql<{ over4h: number }>(`SELECT sum(dwell_over_4h)::int AS over4h FROM occupancy.zone_hour_stats WHERE site_id = $1 AND zone_key = $2`, [site.id, WHOLE_SITE]);
    expect(hist.over4h).toBe(1);
  });

  it('answers the occupancy rate per hour with the spells still open up to now', async () => {
    await reading(3, true);
    await h.sql('UPDATE occupancy.space_state SET changed_at = $2 WHERE space_id = $1', [spaces[3].id, new Date(Date.now() - 90 * 60_000)]);
    const other = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Open spells', category: 'on_street' });
    const space = await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: other.id, code: 'O-1' });
    await h.sql(`UPDATE occupancy.space_state SET state = 'occupied', changed_at = $2 WHERE space_id = $1`, [space.id, new Date(Date.now() - 90 * 60_000)]);
    const asked = Date.now();
    const view = await stats<OccupancyStatsView>(OCCUPANCY_STATS_RPC.siteOccupancy, { siteId: other.id, from: new Date(asked - 3 * HOUR).toISOString() });
    expect(view.hours).toHaveLength(4);
    expect(view.totals.occupiedSeconds).toBeGreaterThanOrEqual(5_400);
    expect(view.totals.occupiedSeconds).toBeLessThan(5_400 + (Date.now() - asked) / 1000 + 1);
    expect(view.totals.occupancyRate).toBe(1);
    expect(view.hours[0]).toMatchObject({ occupiedSeconds: 0, occupancyRate: null });
    expect(view.hours.at(-1)?.occupiedSeconds).toBeGreaterThan(0);

    const whole = await stats<OccupancyStatsView>(OCCUPANCY_STATS_RPC.siteOccupancy, { siteId: site.id });
    expect(whole.hours).toHaveLength(25);
    expect(whole.totals.arrivals).toBeGreaterThan(0);
    expect(whole.timeZone).toBe('Europe/Berlin');
    expect(whole.totals.occupiedSeconds).toBeGreaterThanOrEqual(5_400);
    expect(whole.totals.occupiedSeconds).toBeLessThanOrEqual(whole.totals.observedSeconds);
    const byZone = await stats<OccupancyStatsView>(OCCUPANCY_STATS_RPC.zoneOccupancy, { zoneId: zone.id });
    const viaSite = await stats<OccupancyStatsView>(OCCUPANCY_STATS_RPC.siteOccupancy, { siteId: site.id, zoneId: zone.id, from: byZone.from, to: byZone.to });
    expect(byZone.zoneId).toBe(zone.id);
    expect(byZone.totals.arrivals).toBe(viaSite.totals.arrivals);
    expect(byZone.totals.arrivals).toBeLessThanOrEqual(whole.totals.arrivals);
  });

  it('answers dwell and turnover per local day from the rollups', async () => {
    const dwell = await stats<DwellStatsView>(OCCUPANCY_STATS_RPC.siteDwell, { siteId: site.id });
    expect(dwell.days).toHaveLength(8);
    const rolled = await rolledUp(WHOLE_SITE);
    expect(dwell.totals.stays).toBe(rolled.stays);
    expect(dwell.totals.histogram.over4h).toBe(1);
    expect(dwell.totals.meanSeconds).toBeGreaterThan(0);

    const turnover = await stats<SiteTurnoverStatsView>(OCCUPANCY_STATS_RPC.siteTurnover, { siteId: site.id });
    expect(turnover.spaces).toBe(4);
    expect(turnover.totals.arrivals).toBe(rolled.arrivals);
    const today = turnover.days.at(-1);
    expect(today?.turnover).toBe((today?.arrivals ?? 0) / 4);

    const space = await stats<SpaceTurnoverStatsView>(OCCUPANCY_STATS_RPC.spaceTurnover, { spaceId: spaces[0].id, from: new Date(Date.now() - DAY).toISOString() });
    const [recount] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.space_transitions WHERE space_id = $1 AND to_state = 'occupied'`, [spaces[0].id]);
    expect(space.totals.arrivals).toBe(recount.n);
    expect(space.days.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a bad range with a 400 that says what to fix, and keeps other tenants and sites out', async () => {
    const tooLong = await h.failure(OCCUPANCY_STATS_RPC.siteOccupancy, { principal, siteId: site.id, from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(tooLong).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to', message: expect.stringContaining('at most 92 days after from') }] });
    const backwards = await h.failure(OCCUPANCY_STATS_RPC.siteDwell, { principal, siteId: site.id, from: '2026-06-01T00:00:00Z', to: '2026-05-01T00:00:00Z' });
    expect(backwards).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to', message: expect.stringContaining('later than from') }] });
    const noZone = await h.failure(OCCUPANCY_STATS_RPC.siteTurnover, { principal, siteId: site.id, from: '2026-06-01T00:00:00' });
    expect(noZone).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'from' }] });

    const stranger = principalFor(randomUUID());
    expect((await h.failure(OCCUPANCY_STATS_RPC.siteOccupancy, { principal: stranger, siteId: site.id })).code).toBe('NOT_FOUND');
    expect((await h.failure(OCCUPANCY_STATS_RPC.zoneOccupancy, { principal: stranger, zoneId: zone.id })).code).toBe('NOT_FOUND');
    expect((await h.failure(OCCUPANCY_STATS_RPC.spaceTurnover, { principal: stranger, spaceId: spaces[0].id })).code).toBe('NOT_FOUND');
    const otherSite = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Elsewhere', category: 'on_street' });
    expect((await h.failure(OCCUPANCY_STATS_RPC.siteDwell, { principal, siteId: otherSite.id, zoneId: zone.id })).code).toBe('NOT_FOUND');
    const reader = { ...principal, permissions: ['spaces:read'] };
    expect((await h.failure(OCCUPANCY_STATS_RPC.siteOccupancy, { principal: reader, siteId: site.id })).code).toBe('FORBIDDEN');
  });

  it('deletes raw transitions past retention in batches, once across replicas, and keeps the rollups', async () => {
    const retention = new RetentionPurger(h.apps[0].get(TENANT_DATABASE), [{ target: 'space_transitions', keepMs: 90 * DAY }], { intervalMs: 0, batchSize: 5 });
    const old = new Date(Date.now() - 100 * DAY);
    await h.sql(
      `INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, version, at)
       SELECT $1, $2, 'free', 'occupied', 'sensor', 1, $3::timestamptz + n * interval '1 second' FROM generate_series(1, 12) AS n`,
      [tenantId, spaces[0].id, old],
    );
    const [before] = await h.sql<{ rollups: number; recent: number }>(
      `SELECT (SELECT count(*) FROM occupancy.zone_hour_stats WHERE site_id = $1)::int AS rollups,
              (SELECT count(*) FROM occupancy.space_transitions WHERE at > now() - interval '90 days')::int AS recent`,
      [site.id],
    );
    // Another replica holds the lock: this one leaves the round to it.
    await h.sql(`SELECT pg_advisory_lock(hashtext('occupancy.retention'))`);
    try {
      await expect(retention.purge()).resolves.toBeNull();
    } finally {
      await h.sql(`SELECT pg_advisory_unlock(hashtext('occupancy.retention'))`);
    }
    await expect(retention.purge()).resolves.toEqual({ space_transitions: 12 });
    const [after] = await h.sql<{ old: number; rollups: number; recent: number }>(
      `SELECT (SELECT count(*) FROM occupancy.space_transitions WHERE at <= now() - interval '90 days')::int AS old,
              (SELECT count(*) FROM occupancy.zone_hour_stats WHERE site_id = $1)::int AS rollups,
              (SELECT count(*) FROM occupancy.space_transitions WHERE at > now() - interval '90 days')::int AS recent`,
      [site.id],
    );
    expect(after).toEqual({ old: 0, rollups: before.rollups, recent: before.recent });
    await expect(retention.purge()).resolves.toEqual({ space_transitions: 0 });
  });
});
