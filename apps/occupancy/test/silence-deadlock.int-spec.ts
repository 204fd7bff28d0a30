/**
 * The silence timer (on every replica) and the uplink consumer change spaces of the same zones
 * at the same time: each takes the space rows, then the zones' and the site's rows, in one
 * global order, so none ever waits on another in a cycle (a deadlock PostgreSQL would break by
 * failing one of them: the sweep, or the consumer's batch, which would then be retried).
 * Readings come both as one batch over every zone and one at a time, a zone each. Real
 * PostgreSQL and NATS.
 */
import { IngestEvents, OCCUPANCY_RPC, ReservationsEvents, SiteView, SpaceView, ZoneView } from '@parking/contracts';
import { messagesHandled } from '@parking/observability';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, OccupancyHarness, principalFor, startOccupancy, uplinkOf } from './occupancy-harness';

const namespace = claimNamespace();
const ZONES = 8;
const SPACES = 40;
const ROUNDS = 20;
const CONSUMERS = ['occupancy-uplinks', 'occupancy-reservation-starts', 'occupancy-reservation-ends'];

/** How many batches the space consumers have failed and left for redelivery so far (a deadlock's victim among them). */
async function consumerRetries(): Promise<number> {
  const { values } = await messagesHandled.get();
  return values.filter((v) => CONSUMERS.includes(String(v.labels.consumer)) && v.labels.outcome === 'nak').reduce((sum, v) => sum + v.value, 0);
}

describe('the silence timer beside the uplink consumer', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);
  const sensors = Array.from({ length: SPACES }, (_, i) => deviceSnapshot(tenantId, `d0d0d0d0d0d0${(0x1000 + i).toString(16)}`));
  let uplinksSent = 0;
  let siteId = '';
  const spaceIds: string[] = [];

  /**
   * Publishes one uplink per sensor and waits until the consumer has committed them all; with
   * `apartMs`, one at a time that far apart, so each is a batch of its own and its transaction
   * takes one zone and the site while a sweep holds others.
   */
  async function report(devices: typeof sensors, round: number, receivedAt: string, apartMs = 0): Promise<void> {
    for (const device of devices) {
      await h.publish(IngestEvents.UplinkReceivedV1, tenantId, device.deviceId, uplinkOf(device, { fCnt: round, occupied: round % 2 === 0, receivedAt }));
      if (apartMs > 0) await new Promise((resolve) => setTimeout(resolve, apartMs));
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
    siteId = site.id;
    const zones: ZoneView[] = [];
    for (let z = 0; z < ZONES; z++) zones.push(await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: `Row ${z}`, kind: 'zone' }));
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors')).toHaveLength(SPACES));
    for (let i = 0; i < SPACES; i++) {
      // Space ids are random, so the order of the spaces is not the order of their zones. Spaces
      // 2k and 2k+1 share a zone: every zone has a space that falls silent and one that is heard.
      const zone = zones[Math.floor(i / 2) % ZONES];
      const space = await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: zone.id, code: `R-${String(i).padStart(3, '0')}` });
      await h.send(OCCUPANCY_RPC.assignSensor, { principal, spaceId: space.id, devEui: sensors[i].devEui });
      spaceIds.push(space.id);
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
    const retriesBefore = await consumerRetries();
    for (let round = 1; round <= ROUNDS; round++) {
      // Half the sensors last reported two minutes ago: past the site's 30-s heartbeat timeout.
      await report(silent, round, new Date(Date.now() - 120_000).toISOString());
      // Two sweeps, as two replicas run them, beside the consumer: between them every silent space once.
      const sweep = () => timer.sweep().then((marked) => marked, (error: Error) => `failed: ${error.message}`);
      // Odd rounds: the readings as one batch over every zone; even rounds: one at a time.
      const [first, second] = await Promise.all([sweep(), sweep(), report(heard, round, new Date().toISOString(), round % 2 === 0 ? 3 : 0)]);
      outcomes.push(typeof first === 'number' && typeof second === 'number' ? `marked ${first + second}` : `${first}; ${second}`);
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => `marked ${silent.length}`));
    // No batch of the consumer failed either (a deadlock's victim is retried, and would pass unseen otherwise).
    expect((await consumerRetries()) - retriesBefore).toBe(0);
    const counts = await h.sql<{ unknown: number; total: number }>('SELECT unknown, total FROM occupancy.site_availability');
    expect(counts).toEqual([{ unknown: silent.length, total: SPACES }]);
  }, 180_000);

  it('applies reservations that start and end on spaces of every zone in one batch while readings come one at a time, no batch failing', async () => {
    const held = spaceIds.filter((_, i) => i % 2 === 1);
    const heard = sensors.filter((_, i) => i % 2 === 0);
    // The held spaces' sensors report free (an odd counter), so a start makes each reserved and an end free again: counts change.
    await report(sensors.filter((_, i) => i % 2 === 1), 201, new Date().toISOString());
    const retriesBefore = await consumerRetries();
    let fCnt = 300;
    for (let round = 1; round <= ROUNDS; round++) {
      const reservations = held.map((spaceId) => ({ tenantId, reservationId: randomUUID(), spaceId, siteId }));
      const now = new Date().toISOString();
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      // The starts, then the ends, each published at once: a batch per kind over every zone.
      const applied = async (column: 'started' | 'ended') =>
        expectEventually(async () => {
          const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.space_reservations WHERE reservation_id = ANY ($1::uuid[]) AND ${column}`, [reservations.map((r) => r.reservationId)]);
          expect(n).toBe(reservations.length);
        });
      const starts = (async () => {
        await Promise.all(reservations.map((r) => h.publish(ReservationsEvents.ReservationStartedV1, tenantId, r.reservationId, { ...r, from: now, to: inAnHour, startedAt: now })));
        await applied('started');
        await Promise.all(reservations.map((r) => h.publish(ReservationsEvents.ReservationEndedV1, tenantId, r.reservationId, { ...r, reason: 'cancelled', endedAt: new Date().toISOString() })));
        await applied('ended');
      })();
      // Readings one at a time, a zone each, for as long as the starts and ends take.
      let finished = false;
      const readings = (async () => {
        while (!finished) await report(heard, fCnt++, new Date().toISOString(), 2);
      })();
      await starts.finally(() => (finished = true));
      await readings;
    }
    expect((await consumerRetries()) - retriesBefore).toBe(0);
    const counts = await h.sql<{ reserved: number; total: number }>('SELECT reserved, total FROM occupancy.site_availability');
    expect(counts).toEqual([{ reserved: 0, total: SPACES }]);
    const [{ transitions }] = await h.sql<{ transitions: number }>(`SELECT count(*)::int AS transitions FROM occupancy.space_transitions WHERE cause = 'reservation'`);
    expect(transitions).toBe(2 * ROUNDS * held.length);
  }, 180_000);
});
