import { Injectable } from '@nestjs/common';
import { EventEnvelope, IngestEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';

const HANDLED = new Set<string>([IngestEvents.DEVICE_REGISTERED_V1, IngestEvents.DEVICE_UPDATED_V1, IngestEvents.DEVICE_REMOVED_V1]);

/**
 * Keeps downlink.devices in step with ingest's registry, so a display can be bound only to a
 * device registered as a display, and its devEUI is known without reading ingest's schema. An
 * older version changes nothing; a removed device stays as a tombstone.
 */
@Injectable()
export class DeviceEventsConsumer implements EventConsumer<DownlinkTransaction> {
  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    if (!HANDLED.has(envelope.type)) return;
    const device = envelope.data as IngestEvents.DeviceSnapshotV1;
    const removed = envelope.type === IngestEvents.DEVICE_REMOVED_V1;
    await tx.$executeRaw`
      INSERT INTO downlink.devices AS d (id, tenant_id, dev_eui, kind, codec, version, removed)
      VALUES (${device.deviceId}::uuid, ${device.tenantId}::uuid, ${device.devEui}, ${device.kind}, ${device.codec}, ${device.version}::int, ${removed})
      ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, codec = EXCLUDED.codec, version = EXCLUDED.version, removed = EXCLUDED.removed, updated_at = now()
       WHERE NOT d.removed AND (EXCLUDED.version > d.version OR EXCLUDED.removed)`;
  }
}

/** Device changes are few: one consumer, in order. */
export const DEVICE_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'devices',
  stream: STREAMS.INGEST.name,
  filterSubject: 'ingest.device.>',
  handler: DeviceEventsConsumer,
  concurrency: 1,
};
