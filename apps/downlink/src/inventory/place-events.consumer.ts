import { Injectable } from '@nestjs/common';
import { EventEnvelope, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';

/**
 * Keeps downlink.sites and downlink.zones in step with occupancy's: a count sign is bound to
 * one, and an override may cover a zone with its nested zones, or a whole site. An older
 * version changes nothing; a removed one stays as a tombstone (ids are never reused).
 */
@Injectable()
export class PlaceEventsConsumer implements EventConsumer<DownlinkTransaction> {
  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    switch (envelope.type) {
      case OccupancyEvents.SITE_UPSERTED_V1: {
        const site = envelope.data as OccupancyEvents.SiteUpsertedV1Data;
        await tx.$executeRaw`
          INSERT INTO downlink.sites AS s (id, tenant_id, name, version) VALUES (${site.siteId}::uuid, ${site.tenantId}::uuid, ${site.name}, ${site.version}::int)
          ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, updated_at = now() WHERE NOT s.removed AND s.version < EXCLUDED.version`;
        return;
      }
      case OccupancyEvents.SITE_REMOVED_V1: {
        const site = envelope.data as OccupancyEvents.SiteRemovedV1Data;
        await tx.$executeRaw`
          INSERT INTO downlink.sites (id, tenant_id, name, version, removed) VALUES (${site.siteId}::uuid, ${site.tenantId}::uuid, '', 0, true)
          ON CONFLICT (id) DO UPDATE SET removed = true, updated_at = now()`;
        return;
      }
      case OccupancyEvents.ZONE_UPSERTED_V1: {
        const zone = envelope.data as OccupancyEvents.ZoneUpsertedV1Data;
        await tx.$executeRaw`
          INSERT INTO downlink.zones AS z (id, tenant_id, site_id, path, name, version)
          VALUES (${zone.zoneId}::uuid, ${zone.tenantId}::uuid, ${zone.siteId}::uuid, ${zone.path}::uuid[], ${zone.name}, ${zone.version}::int)
          ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, path = EXCLUDED.path, name = EXCLUDED.name, version = EXCLUDED.version, updated_at = now()
           WHERE NOT z.removed AND z.version < EXCLUDED.version`;
        return;
      }
      case OccupancyEvents.ZONE_REMOVED_V1: {
        const zone = envelope.data as OccupancyEvents.ZoneRemovedV1Data;
        await tx.$executeRaw`
          INSERT INTO downlink.zones (id, tenant_id, site_id, path, name, version, removed)
          VALUES (${zone.zoneId}::uuid, ${zone.tenantId}::uuid, ${zone.siteId}::uuid, ARRAY[${zone.zoneId}::uuid], '', 0, true)
          ON CONFLICT (id) DO UPDATE SET removed = true, updated_at = now()`;
        return;
      }
    }
  }
}

// NATS 2.9 takes one filter per consumer: the zones' two, so the busy availability counts stay out.
export const PLACE_EVENTS_CONSUMERS: ConsumerDefinition[] = [
  { purpose: 'sites', stream: STREAMS.OCCUPANCY.name, filterSubject: 'occupancy.site.>', handler: PlaceEventsConsumer, concurrency: 2 },
  { purpose: 'zone-upserts', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_UPSERTED_V1}.>`, handler: PlaceEventsConsumer, concurrency: 2 },
  { purpose: 'zone-removals', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_REMOVED_V1}.>`, handler: PlaceEventsConsumer, concurrency: 2 },
];
