import { IngestEvents } from '@parking/contracts';
import { Device, IngestTransaction } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { effectiveHeartbeat } from './device-view';

type DeviceEvent = typeof IngestEvents.DeviceRegisteredV1 | typeof IngestEvents.DeviceUpdatedV1 | typeof IngestEvents.DeviceRemovedV1;

/** The registry fields of a device: a stored row, or one just inserted. */
export type DeviceRecord = Pick<
  Device,
  'id' | 'tenantId' | 'devEui' | 'kind' | 'codec' | 'name' | 'chirpstackApplicationId' | 'chirpstackProfileId' | 'description' | 'joinEui' | 'heartbeatSeconds' | 'tags' | 'version'
>;

export function deviceSnapshot(device: DeviceRecord, at: Date): IngestEvents.DeviceSnapshotV1 {
  return {
    tenantId: device.tenantId,
    deviceId: device.id,
    devEui: device.devEui,
    kind: device.kind as IngestEvents.DeviceSnapshotV1['kind'],
    codec: device.codec,
    name: device.name,
    chirpstackApplicationId: device.chirpstackApplicationId,
    chirpstackProfileId: device.chirpstackProfileId,
    description: device.description,
    joinEui: device.joinEui,
    heartbeatSeconds: effectiveHeartbeat(device),
    heartbeatOverride: device.heartbeatSeconds,
    tags: device.tags as Record<string, string>,
    version: device.version,
    at: at.toISOString(),
  };
}

/** The event in the same transaction as the change it announces. */
export async function announce(outbox: OutboxWriter, tx: IngestTransaction, event: DeviceEvent, device: DeviceRecord, at = new Date()): Promise<void> {
  await outbox.append(tx, event, { tenantId: device.tenantId, aggregateId: device.id, data: deviceSnapshot(device, at), time: at });
}

/** Many registrations in one statement (an import): one round trip instead of one per device. */
export async function announceMany(outbox: OutboxWriter, tx: IngestTransaction, event: DeviceEvent, devices: readonly DeviceRecord[], at = new Date()): Promise<void> {
  await outbox.appendMany(
    tx,
    event,
    devices.map((device) => ({ tenantId: device.tenantId, aggregateId: device.id, data: deviceSnapshot(device, at), time: at })),
  );
}
