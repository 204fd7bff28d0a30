/**
 * The silence timer (on every replica) and the uplink consumer change spaces of the same zones
 * at the same time: each takes the space rows, then the zones' and the site's rows, in one
 * global order, so none ever waits on another in a cycle (a deadlock PostgreSQL would break by
 * failing one of them). Real PostgreSQL and NATS.
 */
import { IngestEvents, OCCUPANCY_RPC, SiteView, SpaceView, ZoneView } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, OccupancyHarness, principalFor, startOccupancy, uplinkOf } from './occupancy-harness';

const namespace = claimNamespace();
const ZONES = 8;
const SPACES = 40;
const ROUNDS = 20;

describe('the silence timer beside the uplink consumer', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);
  const sensors = Array.from({ length: SPACES }, (_, i) => deviceSnapshot(tenantId, `d0d0d0d0d0d0${(0x1000 + i).toString(16)}`));
  let uplinksSent = 0;

  /** Publishes one uplink per sensor and waits until the consumer has committed them all. */
  async function report(devices: typeof sensors, round: number, receivedAt: string): Promise<void> {
    for (const device of devices) {
      await h.publish(IngestEvents.UplinkReceivedV1, tenantId, device.deviceId, uplinkOf(device, { fCnt: round, occupied: round % 2 === 0, receivedAt }));
    }
    uplinksSent += devices.length;
    await expectEventually(async () => {
      const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE consumer = 'occupancy-uplinks'`);
      expect(n).toBe(uplinksSent);
    });
  }

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
    for (const device of sensors) await h.publish(IngestEvents.DeviceRegisteredV1, tenantId, device.deviceId, device);
    const site = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Harbour', category: 'off_street', timeZone: 'Europe/Berlin', heartbeatTimeoutSeconds: 30 });
    const zones: ZoneView[] = [];
    for (let z = 0; z < ZONES; z++) zones.push(await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: `Row ${z}`, kind: 'zone' }));
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors')).toHaveLength(SPACES));
    for (let i = 0; i < SPACES; i++) {
      // Space ids are random, so the order of the spaces is not the order of their zones.
      const space = await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: zones[i % ZONES].id, code: `R-${String(i).padStart(3, '0')}` });
      await h.send(OCCUPANCY_RPC.assignSensor, { principal, spaceId: space.id, devEui: sensors[i].devEui });
    }
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('marks every silent space once, with two sweeps at a time, while the consumer applies readings to the other spaces of the same zones', async () => {
    const { SilenceTimer } = await import('../src/timer/silence-timer');
    const timer = h.apps[0].get(SilenceTimer);
    const heard = sensors.filter((_, i) => i % 2 === 0);
    const silent = sensors.filter((_, i) => i % 2 === 1);
    const outcomes: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Half the sensors last reported two minutes ago: past the site's 30-s heartbeat timeout.
      await report(silent, round, new Date(Date.now() - 120_000).toISOString());
      // Two sweeps, as two replicas run them, beside the consumer: between them every silent space once.
      const sweep = () => timer.sweep().then((marked) => marked, (error: Error) => `failed: ${error.message}`);
      const [first, second] = await Promise.all([sweep(), sweep(), report(heard, round, new Date().toISOString())]);
      outcomes.push(typeof first === 'number' && typeof second === 'number' ? `marked ${first + second}` : `${first}; ${second}`);
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => `marked ${silent.length}`));
    const counts = await h.sql<{ unknown: number; total: number }>('SELECT unknown, total FROM occupancy.site_availability');
    expect(counts).toEqual([{ unknown: silent.length, total: SPACES }]);
  }, 180_000);
});
