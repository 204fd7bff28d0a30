import { Injectable } from '@nestjs/common';
import { ChirpstackEvents, EventEnvelope, STREAMS } from '@parking/contracts';
import { IngestTransaction } from '@parking/ingest/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { PoisonMessageError } from '@parking/messaging';
import { lockTenantDevices } from '../tenant-limits/device-limit';

/**
 * Records the devices a ChirpStack reconciliation found in a connection's application but
 * not in the registry, as orphans of the connection's tenant (the envelope's tenant: the
 * transaction is that tenant's, so RLS keeps the row and the registry check to it).
 * Registration deletes the row (insertDevices).
 */
@Injectable()
export class ChirpstackOrphansConsumer implements EventConsumer<IngestTransaction> {
  async handle(envelope: EventEnvelope, tx: IngestTransaction): Promise<void> {
    if (envelope.type !== ChirpstackEvents.DEVICE_ORPHAN_FOUND_V1) return;
    const found = envelope.data as ChirpstackEvents.DeviceOrphanFoundV1Data;
    // The row is written under the envelope's tenant; another suggestion would never fit RLS.
    if (found.suggestedTenantId !== envelope.tenantid) {
      throw new PoisonMessageError(`suggestedTenantId ${found.suggestedTenantId} is not the envelope's tenant ${envelope.tenantid}`);
    }
    // Registrations hold this lock until they commit, so the check below sees one that raced
    // this event and the row cannot outlive the registration that should have deleted it.
    await lockTenantDevices(tx, envelope.tenantid);
    // A redelivery is dropped by the inbox, so every event counts once; an older report arriving
    // late counts but does not replace what a newer one said.
    await tx.$executeRaw`
      INSERT INTO ingest.chirpstack_orphans AS o (tenant_id, dev_eui, connection_id, name, application_id, device_profile_id,
                                                  last_seen_at, first_found_at, last_found_at, times_found)
      SELECT ${envelope.tenantid}::uuid, ${found.devEui}, ${found.connectionId}::uuid, ${found.name}, ${found.applicationId},
             ${found.deviceProfileId}, ${found.lastSeenAt}::timestamptz, ${found.foundAt}::timestamptz, ${found.foundAt}::timestamptz, 1
       WHERE NOT EXISTS (SELECT 1 FROM ingest.devices d WHERE d.dev_eui = ${found.devEui})
      ON CONFLICT (tenant_id, dev_eui) DO UPDATE SET
        times_found       = o.times_found + 1,
        first_found_at    = LEAST(o.first_found_at, EXCLUDED.first_found_at),
        last_found_at     = GREATEST(o.last_found_at, EXCLUDED.last_found_at),
        connection_id     = CASE WHEN EXCLUDED.last_found_at >= o.last_found_at THEN EXCLUDED.connection_id ELSE o.connection_id END,
        name              = CASE WHEN EXCLUDED.last_found_at >= o.last_found_at THEN EXCLUDED.name ELSE o.name END,
        application_id    = CASE WHEN EXCLUDED.last_found_at >= o.last_found_at THEN EXCLUDED.application_id ELSE o.application_id END,
        device_profile_id = CASE WHEN EXCLUDED.last_found_at >= o.last_found_at THEN EXCLUDED.device_profile_id ELSE o.device_profile_id END,
        last_seen_at      = CASE WHEN EXCLUDED.last_found_at >= o.last_found_at THEN EXCLUDED.last_seen_at ELSE o.last_seen_at END`;
  }
}

/** In order: reconciliation reports are few, and the registry lock serialises them per tenant anyway. */
export const CHIRPSTACK_ORPHANS_CONSUMER: ConsumerDefinition = {
  purpose: 'chirpstack-orphans',
  stream: STREAMS.CHIRPSTACK.name,
  filterSubject: `${ChirpstackEvents.DEVICE_ORPHAN_FOUND_V1}.>`,
  handler: ChirpstackOrphansConsumer,
  concurrency: 1,
};
