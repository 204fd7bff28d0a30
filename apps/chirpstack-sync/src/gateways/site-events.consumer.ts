import { Injectable } from '@nestjs/common';
import { EventEnvelope, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { ChirpstackSyncTransaction } from '@parking/chirpstack-sync/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';

/**
 * Keeps chirpstack.sites in step with occupancy's sites, so a gateway can be tied to a site of
 * its tenant without reading occupancy's schema. An older version changes nothing; a removed
 * site stays as a tombstone.
 */
@Injectable()
export class SiteEventsConsumer implements EventConsumer<ChirpstackSyncTransaction> {
  async handle(envelope: EventEnvelope, tx: ChirpstackSyncTransaction): Promise<void> {
    if (envelope.type === OccupancyEvents.SITE_UPSERTED_V1) {
      const site = envelope.data as OccupancyEvents.SiteUpsertedV1Data;
      await tx.$executeRaw`
        INSERT INTO chirpstack.sites AS s (id, tenant_id, name, version)
        VALUES (${site.siteId}::uuid, ${site.tenantId}::uuid, ${site.name}, ${site.version}::int)
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, updated_at = now()
         WHERE s.version < EXCLUDED.version AND NOT s.removed`;
    } else if (envelope.type === OccupancyEvents.SITE_REMOVED_V1) {
      const site = envelope.data as OccupancyEvents.SiteRemovedV1Data;
      await tx.$executeRaw`
        INSERT INTO chirpstack.sites (id, tenant_id, name, version, removed)
        VALUES (${site.siteId}::uuid, ${site.tenantId}::uuid, '', 0, true)
        ON CONFLICT (id) DO UPDATE SET removed = true, updated_at = now()`;
    }
  }
}

/** Sites are few: one consumer, in order. */
export const SITE_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'sites',
  stream: STREAMS.OCCUPANCY.name,
  filterSubject: 'occupancy.site.>',
  handler: SiteEventsConsumer,
  concurrency: 1,
};
