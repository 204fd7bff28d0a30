// Ingest's device events as occupancy takes them, a batch at a time, against real PostgreSQL:
// the batches are handed to the running service's consumer directly, in the order JetStream
// would deliver them.
import { createEnvelope, IngestEvents, sourceFor, type EventDefinition, type EventEnvelope, type EventType } from '@parking/contracts';
import { batchOf } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { DeviceEventsConsumer } from '../src/consumers/device-events.consumer';
import { claimNamespace, deviceSnapshot, OccupancyHarness, startOccupancy } from './occupancy-harness';

const namespace = claimNamespace();

describe('occupancy: device events a batch at a time (real PostgreSQL)', () => {
  let h: OccupancyHarness;
  let consumer: DeviceEventsConsumer;
  beforeAll(async () => {
    h = await startOccupancy({ namespace });
    consumer = h.apps[0].get(DeviceEventsConsumer);
  });
  afterAll(() => h.stop());

  const event = <T extends { tenantId: string; deviceId: string }>(def: EventDefinition<T, EventType>, data: T): EventEnvelope =>
    createEnvelope(def, { tenantId: data.tenantId, aggregateId: data.deviceId, data, source: sourceFor('ingest') }) as EventEnvelope;
  const registered = (device: IngestEvents.DeviceSnapshotV1) => event(IngestEvents.DeviceRegisteredV1, device);
  const updated = (device: IngestEvents.DeviceSnapshotV1) => event(IngestEvents.DeviceUpdatedV1, device);
  const removed = (device: IngestEvents.DeviceSnapshotV1) => event(IngestEvents.DeviceRemovedV1, device);
  const sensors = (tenantId: string) =>
    h.sql<{ device_id: string; dev_eui: string; name: string; version: number; removed: boolean }>(
      'SELECT device_id::text, dev_eui, name, version, removed FROM occupancy.sensors WHERE tenant_id = $1 ORDER BY dev_eui, removed, device_id',
      [tenantId],
    );
  const acked = (batch: unknown[]) => batch.map(() => ({ kind: 'ack' }));

  it('applies registrations, updates and removals in stream order, each over an older version only, and a redelivered batch changes nothing', async () => {
    const tenantId = randomUUID();
    const a = deviceSnapshot(tenantId, 'a1a1a1a1a1a1a1a1');
    const b = deviceSnapshot(tenantId, 'b1b1b1b1b1b1b1b1');
    // c is b's bay sensor replaced: the same devEUI registered again after b's removal.
    const c = deviceSnapshot(tenantId, b.devEui);
    const status = createEnvelope(IngestEvents.DeviceStatusV1, {
      tenantId,
      aggregateId: a.deviceId,
      source: sourceFor('ingest'),
      data: { ...IngestEvents.DeviceStatusV1.example, tenantId, deviceId: a.deviceId, devEui: a.devEui },
    }) as EventEnvelope;
    const batch = batchOf([
      registered(a),
      registered(b),
      updated({ ...a, name: 'Bay 7', version: 3 }),
      // Older than what came before it: changes nothing.
      updated({ ...a, name: 'Bay 6', version: 2 }),
      status,
      removed({ ...b, version: 2 }),
      registered(c),
    ]);

    expect(await consumer.handle(batch)).toEqual(acked(batch));
    const expected = [
      { device_id: a.deviceId, dev_eui: a.devEui, name: 'Bay 7', version: 3, removed: false },
      { device_id: c.deviceId, dev_eui: b.devEui, name: c.name, version: 1, removed: false },
      { device_id: b.deviceId, dev_eui: b.devEui, name: b.name, version: 2, removed: true },
    ];
    expect(await sensors(tenantId)).toEqual(expected);

    // A lost ack: the whole batch again. The inbox drops it, so b's removal does not touch c.
    expect(await consumer.handle(batch)).toEqual(acked(batch));
    expect(await sensors(tenantId)).toEqual(expected);
    const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE consumer = 'occupancy-devices' AND tenant_id = $1`, [tenantId]);
    expect(n).toBe(6);
  });

  it('retires the live device of a devEUI when another registers it, in the same batch or a later one', async () => {
    const tenantId = randomUUID();
    const first = deviceSnapshot(tenantId, 'c1c1c1c1c1c1c1c1');
    const second = deviceSnapshot(tenantId, first.devEui);
    const third = deviceSnapshot(tenantId, first.devEui);
    const batch = batchOf([registered(first), registered(second)]);
    expect(await consumer.handle(batch)).toEqual(acked(batch));
    expect((await sensors(tenantId)).map((s) => [s.device_id, s.removed])).toEqual([
      [second.deviceId, false],
      [first.deviceId, true],
    ]);
    const later = batchOf([registered(third)]);
    expect(await consumer.handle(later)).toEqual(acked(later));
    expect((await sensors(tenantId)).filter((s) => !s.removed).map((s) => s.device_id)).toEqual([third.deviceId]);
  });
});
