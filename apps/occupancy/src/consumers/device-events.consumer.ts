import { Injectable } from '@nestjs/common';
import { EventEnvelope, IngestEvents, STREAMS } from '@parking/contracts';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { OccupancyTransaction } from '@parking/occupancy/data-access';
import { SensorAssignments } from '../spaces/sensor-assignments';

const HANDLED = new Set<string>([IngestEvents.DEVICE_REGISTERED_V1, IngestEvents.DEVICE_UPDATED_V1, IngestEvents.DEVICE_REMOVED_V1]);

/**
 * Keeps occupancy.sensors in step with ingest's registry. Each device event carries the
 * device's version, so an older event arriving late changes nothing; a removed device stays
 * as a tombstone and leaves the space it lay under.
 */
@Injectable()
export class DeviceEventsConsumer implements EventConsumer<OccupancyTransaction> {
  constructor(private readonly assignments: SensorAssignments) {}

  async handle(envelope: EventEnvelope, tx: OccupancyTransaction): Promise<void> {
    if (!HANDLED.has(envelope.type)) return;
    const device = envelope.data as IngestEvents.DeviceSnapshotV1;
    if (envelope.type === IngestEvents.DEVICE_REMOVED_V1) {
      await tx.$executeRaw`
        INSERT INTO occupancy.sensors (device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version, removed, updated_at)
        VALUES (${device.deviceId}::uuid, ${device.tenantId}::uuid, ${device.devEui}, ${device.kind}, ${device.name},
                ${device.heartbeatSeconds}::int, ${device.version}::int, true, now())
        ON CONFLICT (device_id) DO UPDATE SET removed = true, version = GREATEST(occupancy.sensors.version, EXCLUDED.version), updated_at = now()`;
      await this.assignments.releaseIfGone(tx, device.devEui);
      return;
    }
    // One devEUI has one live device: a newer registration means the old one is gone.
    await tx.$executeRaw`
      UPDATE occupancy.sensors SET removed = true, updated_at = now()
       WHERE dev_eui = ${device.devEui} AND device_id <> ${device.deviceId}::uuid AND NOT removed`;
    await tx.$executeRaw`
      INSERT INTO occupancy.sensors (device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version, removed, updated_at)
      VALUES (${device.deviceId}::uuid, ${device.tenantId}::uuid, ${device.devEui}, ${device.kind}, ${device.name},
              ${device.heartbeatSeconds}::int, ${device.version}::int, false, now())
      ON CONFLICT (device_id) DO UPDATE
        SET dev_eui = EXCLUDED.dev_eui, kind = EXCLUDED.kind, name = EXCLUDED.name,
            heartbeat_seconds = EXCLUDED.heartbeat_seconds, version = EXCLUDED.version, updated_at = now()
      WHERE occupancy.sensors.version < EXCLUDED.version AND NOT occupancy.sensors.removed`;
  }
}

/** One consumer for all device events (NATS 2.9: one filter each), in order: they are few. */
export const DEVICE_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'devices',
  stream: STREAMS.INGEST.name,
  filterSubject: 'ingest.device.>',
  handler: DeviceEventsConsumer,
  concurrency: 1,
};
