// The downlink service's copies of ingest's display devices and occupancy's spaces and free
// counts, as its consumers keep them: real PostgreSQL as the service's runtime role.
import { createEnvelope, IngestEvents, OccupancyEvents, type EventDefinition, type EventEnvelope } from '@parking/contracts';
import { batchOf } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AvailabilityEventsConsumer } from '../src/inventory/availability-events.consumer';
import { DeviceEventsConsumer } from '../src/inventory/device-events.consumer';
import { SpaceEventsConsumer } from '../src/inventory/space-events.consumer';
import { CommandQueue } from '../src/queue/command-queue';
import { SignPlanner } from '../src/queue/sign-planner';
import { downlinkFixture, type DownlinkFixture } from './downlink-fixture';

describe('downlink inventory consumers', () => {
  let f: DownlinkFixture;
  let spaces: SpaceEventsConsumer;
  let availability: AvailabilityEventsConsumer;
  let devices: DeviceEventsConsumer;

  beforeAll(async () => {
    f = await downlinkFixture();
    const planner = new SignPlanner(new CommandQueue(f.outbox, { rx2DataRate: 0 }));
    // Batches are handed to the consumers directly here; NATS is not needed.
    devices = new DeviceEventsConsumer(f.db, undefined as never, undefined as never, undefined as never);
    spaces = new SpaceEventsConsumer(planner, f.db, undefined as never, undefined as never, undefined as never);
    availability = new AvailabilityEventsConsumer(planner, f.db, undefined as never, undefined as never, undefined as never);
  });
  afterAll(() => f.close());

  const row = async (table: string, where: string, values: unknown[]) => (await f.sql(`SELECT * FROM downlink.${table} WHERE ${where}`, values))[0];

  function device(tenantId: string, overrides: Partial<IngestEvents.DeviceSnapshotV1> = {}): IngestEvents.DeviceSnapshotV1 {
    return {
      tenantId,
      deviceId: randomUUID(),
      devEui: randomBytes(8).toString('hex'),
      kind: 'display',
      codec: 'kuando-busylight',
      name: 'Bay light 12',
      chirpstackApplicationId: null,
      chirpstackProfileId: null,
      description: null,
      joinEui: null,
      heartbeatSeconds: 7200,
      heartbeatOverride: null,
      tags: {},
      version: 1,
      at: new Date().toISOString(),
      ...overrides,
    } as IngestEvents.DeviceSnapshotV1;
  }

  it('keeps each device with its kind and codec; an older version changes nothing; a removal stays removed', async () => {
    const tenantId = randomUUID();
    const light = device(tenantId);
    const deviceEvent = (def: EventDefinition<IngestEvents.DeviceSnapshotV1>, data: IngestEvents.DeviceSnapshotV1) =>
      createEnvelope(def, { tenantId, aggregateId: light.deviceId, source: '/parking/test', data }) as EventEnvelope;
    const handle = async (envelopes: EventEnvelope[]) => expect(await devices.handle(batchOf(envelopes))).toEqual(envelopes.map(() => ({ kind: 'ack' })));
    // One batch: the newest version counts, whatever the order.
    await handle([
      deviceEvent(IngestEvents.DeviceRegisteredV1, light),
      deviceEvent(IngestEvents.DeviceUpdatedV1, { ...light, codec: 'count-display', version: 3 }),
      deviceEvent(IngestEvents.DeviceUpdatedV1, { ...light, kind: 'sensor', version: 2 }),
    ]);
    expect(await row('devices', 'id = $1', [light.deviceId])).toMatchObject({ tenant_id: tenantId, dev_eui: light.devEui, kind: 'display', codec: 'count-display', version: 3, removed: false });
    await handle([deviceEvent(IngestEvents.DeviceUpdatedV1, { ...light, kind: 'sensor', version: 2 })]);
    expect(await row('devices', 'id = $1', [light.deviceId])).toMatchObject({ kind: 'display', codec: 'count-display', version: 3 });

    await handle([deviceEvent(IngestEvents.DeviceRemovedV1, { ...light, version: 4 }), deviceEvent(IngestEvents.DeviceUpdatedV1, { ...light, version: 5 })]);
    expect(await row('devices', 'id = $1', [light.deviceId])).toMatchObject({ removed: true, version: 4 });
    await handle([deviceEvent(IngestEvents.DeviceUpdatedV1, { ...light, version: 6 })]);
    expect(await row('devices', 'id = $1', [light.deviceId])).toMatchObject({ removed: true, version: 4 });
  });

  it("keeps each space's place, type and state, whichever arrives first, each over an older version only", async () => {
    const tenantId = randomUUID();
    const siteId = randomUUID();
    const zoneId = randomUUID();
    const spaceId = randomUUID();
    const state = (to: OccupancyEvents.SpaceStateChangedV1Data['to'], version: number): OccupancyEvents.SpaceStateChangedV1Data => ({
      tenantId,
      spaceId,
      siteId,
      zoneId,
      from: 'unknown',
      to,
      cause: 'sensor',
      reading: null,
      changedAt: new Date().toISOString(),
      version,
    });
    const spaceEnvelope = <T extends { tenantId: string }>(def: EventDefinition<T>, data: T) => createEnvelope(def, { tenantId, aggregateId: spaceId, source: '/parking/test', data });
    const handle = async (envelopes: ReturnType<typeof spaceEnvelope>[]) => expect(await spaces.handle(batchOf(envelopes as EventEnvelope[]))).toEqual(envelopes.map(() => ({ kind: 'ack' })));
    // The state first, in one batch with an older one: the upsert completes the row.
    await handle([
      spaceEnvelope(OccupancyEvents.SpaceStateChangedV1, state('occupied', 2)),
      spaceEnvelope(OccupancyEvents.SpaceUpsertedV1, { tenantId, spaceId, siteId, zoneId, code: 'A-1', name: null, type: 'ev', priceZone: null, version: 1 }),
      spaceEnvelope(OccupancyEvents.SpaceStateChangedV1, state('free', 1)),
    ]);
    expect(await row('spaces', 'id = $1', [spaceId])).toMatchObject({ site_id: siteId, zone_id: zoneId, type: 'ev', state: 'occupied', state_version: '2', version: 1 });

    await handle([spaceEnvelope(OccupancyEvents.SpaceStateChangedV1, state('reserved', 3))]);
    await handle([spaceEnvelope(OccupancyEvents.SpaceUpsertedV1, { tenantId, spaceId, siteId, zoneId: null, code: 'A-1', name: null, type: 'disabled', priceZone: null, version: 2 })]);
    expect(await row('spaces', 'id = $1', [spaceId])).toMatchObject({ zone_id: null, type: 'disabled', state: 'reserved' });

    await handle([
      spaceEnvelope(OccupancyEvents.SpaceRemovedV1, { tenantId, spaceId, siteId, removedAt: new Date().toISOString() }),
      spaceEnvelope(OccupancyEvents.SpaceStateChangedV1, state('free', 9)),
    ]);
    expect(await row('spaces', 'id = $1', [spaceId])).toMatchObject({ removed: true, state: 'reserved' });
  });

  it("keeps each zone's and site's free count, the newer version only", async () => {
    const tenantId = randomUUID();
    const siteId = randomUUID();
    const zoneId = randomUUID();
    const counts = (free: number) => ({ free, occupied: 10 - free, reserved: 0, maintenance: 0, unknown: 0, total: 10 });
    const change = (zone: string | null, free: number, version: number): OccupancyEvents.ZoneAvailabilityChangedV1Data => ({ tenantId, siteId, zoneId: zone, counts: counts(free), version, changedAt: new Date().toISOString() });
    const envelope = (scopeId: string, data: OccupancyEvents.ZoneAvailabilityChangedV1Data) =>
      createEnvelope(OccupancyEvents.ZoneAvailabilityChangedV1, { tenantId, aggregateId: scopeId, source: '/parking/occupancy', data });
    // One batch, the zone's counts out of order: the newest applies.
    const first = [envelope(zoneId, change(zoneId, 4, 2)), envelope(zoneId, change(zoneId, 7, 1)), envelope(siteId, change(null, 9, 5))];
    expect(await availability.handle(batchOf(first))).toEqual([{ kind: 'ack' }, { kind: 'ack' }, { kind: 'ack' }]);
    expect(await row('availability', 'scope_id = $1', [zoneId])).toMatchObject({ site_id: siteId, free: 4, total: 10, version: '2' });
    expect(await row('availability', 'scope_id = $1', [siteId])).toMatchObject({ free: 9, version: '5' });
    // A later batch with an older count changes nothing; each event left an inbox row.
    await availability.handle(batchOf([envelope(zoneId, change(zoneId, 1, 1)), first[0]]));
    expect(await row('availability', 'scope_id = $1', [zoneId])).toMatchObject({ free: 4, version: '2' });
    expect(await f.sql(`SELECT count(*)::int AS n FROM downlink.inbox WHERE tenant_id = $1 AND consumer = 'downlink-availability'`, [tenantId])).toEqual([{ n: 4 }]);
  });
});
