import { IdentityEvents, IngestEvents, SpaceState } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, limitsChanged, OccupancyHarness, principalFor, startOccupancy, uplinkOf } from './occupancy-harness';

const namespace = claimNamespace();
const SPACES = 500;
const UPLINKS = 20_000;
const PUBLISH_IN_FLIGHT = 256;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** `work(0 … n-1)`, a few at a time, results in order. */
async function inParallel<T>(n: number, work: (i: number) => Promise<T>, width = 8): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < n; i = next++) results[i] = await work(i);
    }),
  );
  return results;
}

describe('two occupancy processes consuming one burst (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);

  beforeAll(async () => {
    h = await startOccupancy({ namespace, instances: 2, poolMax: 20 });
  });
  afterAll(() => h?.stop());

  it(`keeps every zone's counts equal to a recount after ${UPLINKS} uplinks over ${SPACES} spaces`, async () => {
    const { SitesUseCases } = await import('../src/sites/sites.use-cases');
    const { ZonesUseCases } = await import('../src/zones/zones.use-cases');
    const { SpacesUseCases } = await import('../src/spaces/spaces.use-cases');
    const [sites, zones, spaces] = [h.apps[0].get(SitesUseCases), h.apps[1].get(ZonesUseCases), h.apps[0].get(SpacesUseCases)];

    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: null, spaces: null }, 1));
    const devices = Array.from({ length: SPACES }, (_, i) => deviceSnapshot(tenantId, (0xd000000000000000n + BigInt(i)).toString(16)));
    await inParallel(SPACES, (i) => h.publish(IngestEvents.DeviceRegisteredV1, tenantId, devices[i].deviceId, devices[i]), 64);
    await expectEventually(async () => expect(await h.sql('SELECT tenant_id FROM occupancy.tenant_limits')).toHaveLength(1));

    const site = await sites.create(principal, { name: 'Stadium', category: 'off_street' });
    const levels = await Promise.all([1, 2].map((n) => zones.create(principal, site.id, { name: `Level ${n}`, kind: 'level' })));
    const areas = [];
    for (const level of levels) for (const side of ['east', 'west']) areas.push(await zones.create(principal, site.id, { name: side, parentZoneId: level.id }));
    // Spaces in nested zones, directly in a level, and outside any zone.
    const homes = [...areas.map((z) => z.id), levels[0].id, null];
    const spaceIds = await inParallel(SPACES, async (i) => (await spaces.create(principal, site.id, { code: `B-${i}`, zoneId: homes[i % homes.length] })).id);
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors')).toHaveLength(SPACES), { timeoutMs: 30_000 });
    await inParallel(SPACES, (i) => spaces.assignSensor(principal, spaceIds[i], devices[i].devEui));

    // Per sensor: frames in a true order (with a rejoin now and then), sent shuffled, some twice.
    const next = random(20261203);
    const newest = new Map<string, { session: number; fCnt: number; occupied: boolean }>();
    const frames: Array<ReturnType<typeof uplinkOf>> = [];
    const position = devices.map(() => ({ session: 1, fCnt: 0 }));
    while (frames.length < UPLINKS) {
      const i = Math.floor(next() * SPACES);
      const p = position[i];
      if (next() < 0.02) Object.assign(p, { session: p.session + 1, fCnt: 0 });
      else p.fCnt += 1;
      const frame = uplinkOf(devices[i], { session: p.session, fCnt: p.fCnt, occupied: next() < 0.5 });
      frames.push(frame);
      if (next() < 0.05) frames.push({ ...frame, deduplicationId: randomUUID() });
      newest.set(devices[i].devEui, { ...p, occupied: frame.decoded.occupied === true });
    }
    frames.length = UPLINKS;
    for (let i = frames.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [frames[i], frames[j]] = [frames[j], frames[i]];
    }
    // The newest frame per sensor may have been cut off by the length: recompute from what is sent.
    newest.clear();
    for (const frame of frames) {
      const held = newest.get(frame.devEui);
      if (!held || frame.session > held.session || (frame.session === held.session && frame.fCnt > held.fCnt)) {
        newest.set(frame.devEui, { session: frame.session, fCnt: frame.fCnt, occupied: frame.decoded.occupied === true });
      }
    }

    // Counts what each process handles; the real handler still does the work.
    const { UplinkBatchConsumer } = await import('../src/consumers/uplink-batch.consumer');
    const handled = h.apps.map(() => 0);
    h.apps.forEach((app, i) => {
      // The runner hands its batches to the consumer's durable.
      const { durable } = app.get(UplinkBatchConsumer) as unknown as { durable: { handle: InstanceType<typeof UplinkBatchConsumer>['handle'] } };
      const handle = durable.handle.bind(durable);
      durable.handle = (batch) => {
        handled[i] += batch.length;
        return handle(batch);
      };
    });
    const byEui = new Map(devices.map((d) => [d.devEui, d]));
    for (let start = 0; start < frames.length; start += PUBLISH_IN_FLIGHT) {
      await Promise.all(frames.slice(start, start + PUBLISH_IN_FLIGHT).map((f) => h.publish(IngestEvents.UplinkReceivedV1, tenantId, (byEui.get(f.devEui) as IngestEvents.DeviceSnapshotV1).deviceId, f)));
    }
    await expectEventually(
      async () => {
        const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE consumer = 'occupancy-uplinks'`);
        expect(n).toBe(UPLINKS);
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );

    // Both processes took part.
    expect(handled.every((n) => n > 0)).toBe(true);

    // Every space shows its newest reading.
    const states = await h.sql<{ dev_eui: string; state: SpaceState; reading_session: string; reading_f_cnt: string }>(
      `SELECT ss.dev_eui, st.state, st.reading_session::text, st.reading_f_cnt::text
         FROM occupancy.space_state st JOIN occupancy.space_sensors ss ON ss.space_id = st.space_id`,
    );
    const wrong = states.filter((s) => {
      const expected = newest.get(s.dev_eui);
      if (!expected) return s.state !== 'unknown';
      return s.state !== (expected.occupied ? 'occupied' : 'free') || Number(s.reading_session) !== expected.session || Number(s.reading_f_cnt) !== expected.fCnt;
    });
    expect(wrong).toEqual([]);

    // The kept counts equal a recount from space_state, for every zone (nested ones included) and the site.
    const mismatches = await h.sql(
      `WITH recount AS (
         SELECT z.id AS zone_id,
                count(*) FILTER (WHERE st.state = 'free')::int AS free, count(*) FILTER (WHERE st.state = 'occupied')::int AS occupied,
                count(*) FILTER (WHERE st.state = 'reserved')::int AS reserved, count(*) FILTER (WHERE st.state = 'maintenance')::int AS maintenance,
                count(*) FILTER (WHERE st.state = 'unknown')::int AS unknown, count(st.space_id)::int AS total
           FROM occupancy.zones z
           LEFT JOIN occupancy.zones inner_zone ON z.id = ANY (inner_zone.path)
           LEFT JOIN occupancy.spaces sp ON sp.zone_id = inner_zone.id
           LEFT JOIN occupancy.space_state st ON st.space_id = sp.id
          GROUP BY z.id)
       SELECT a.zone_id, a.free, a.occupied, a.reserved, a.maintenance, a.unknown, a.total, r.*
         FROM occupancy.zone_availability a JOIN recount r USING (zone_id)
        WHERE (a.free, a.occupied, a.reserved, a.maintenance, a.unknown, a.total) <> (r.free, r.occupied, r.reserved, r.maintenance, r.unknown, r.total)`,
    );
    expect(mismatches).toEqual([]);
    const [siteRow] = await h.sql<{ kept: string; recount: string }>(
      `SELECT (SELECT row(free, occupied, reserved, maintenance, unknown, total)::text FROM occupancy.site_availability WHERE site_id = $1) AS kept,
              (SELECT row(count(*) FILTER (WHERE state = 'free'), count(*) FILTER (WHERE state = 'occupied'), count(*) FILTER (WHERE state = 'reserved'),
                          count(*) FILTER (WHERE state = 'maintenance'), count(*) FILTER (WHERE state = 'unknown'), count(*))::text
                 FROM occupancy.space_state) AS recount`,
      [site.id],
    );
    expect(siteRow.kept).toBe(siteRow.recount);
    const [{ total }] = await h.sql<{ total: number }>('SELECT total FROM occupancy.site_availability WHERE site_id = $1', [site.id]);
    expect(total).toBe(SPACES);
  }, 240_000);
});
