import { Injectable } from '@nestjs/common';
import { EventEnvelope, IngestEvents, STREAMS } from '@parking/contracts';
import { afterCommit } from '@parking/database';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import type { ChirpstackSyncTransaction } from '@parking/chirpstack-sync/data-access';
import { DeviceSyncWorker } from './device-sync.worker';

const HANDLED = new Set<string>([IngestEvents.DEVICE_REGISTERED_V1, IngestEvents.DEVICE_UPDATED_V1, IngestEvents.DEVICE_REMOVED_V1]);

/**
 * Writes what ChirpStack should hold of each device (pending) for the sync worker; nothing here
 * calls ChirpStack, so a registration never waits on it. Each event carries the device's
 * version: an older one changes nothing. A later registration of the devEUI (a new device id,
 * changed later) takes the row over, without the old device's keys.
 */
@Injectable()
export class DeviceEventsConsumer implements EventConsumer<ChirpstackSyncTransaction> {
  constructor(private readonly worker: DeviceSyncWorker) {}

  async handle(envelope: EventEnvelope, tx: ChirpstackSyncTransaction): Promise<void> {
    if (!HANDLED.has(envelope.type)) return;
    const device = envelope.data as IngestEvents.DeviceSnapshotV1;
    const removed = envelope.type === IngestEvents.DEVICE_REMOVED_V1;
    const changed = await tx.$executeRaw`
      INSERT INTO chirpstack.devices AS d (tenant_id, dev_eui, device_id, name, description, codec, application_id, profile_id, join_eui, tags,
                                          device_version, changed_at, removed, status, next_attempt_at)
      VALUES (${device.tenantId}::uuid, ${device.devEui}, ${device.deviceId}::uuid, ${device.name}, ${device.description ?? null}, ${device.codec},
              ${device.chirpstackApplicationId}, ${device.chirpstackProfileId}, ${device.joinEui ?? null}, ${JSON.stringify(device.tags)}::jsonb,
              ${device.version}::int, ${device.at}::timestamptz, ${removed}, 'pending', now())
      ON CONFLICT (tenant_id, dev_eui) DO UPDATE
        SET device_id = EXCLUDED.device_id, name = EXCLUDED.name, description = EXCLUDED.description, codec = EXCLUDED.codec,
            application_id = EXCLUDED.application_id, profile_id = EXCLUDED.profile_id, join_eui = EXCLUDED.join_eui, tags = EXCLUDED.tags,
            device_version = EXCLUDED.device_version, changed_at = EXCLUDED.changed_at, removed = EXCLUDED.removed,
            status = 'pending', reason = NULL, attempts = 0, next_attempt_at = now(), generation = d.generation + 1, updated_at = now(),
            synced_version = CASE WHEN d.device_id = EXCLUDED.device_id THEN d.synced_version END,
            keys_sealed = CASE WHEN d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed THEN d.keys_sealed END,
            keys_pending = d.keys_pending AND d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed,
            keys_synced_at = CASE WHEN d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed THEN d.keys_synced_at END
      WHERE (d.device_id = EXCLUDED.device_id AND (EXCLUDED.device_version > d.device_version OR (EXCLUDED.removed AND NOT d.removed)))
         OR (d.device_id <> EXCLUDED.device_id AND EXCLUDED.changed_at >= d.changed_at)`;
    if (changed > 0) afterCommit(tx, () => this.worker.wake());
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
