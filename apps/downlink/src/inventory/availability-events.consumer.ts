import { Injectable } from '@nestjs/common';
import { EventEnvelope, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';

/** Keeps each zone's and site's free count, as occupancy announces it, for count signs. */
@Injectable()
export class AvailabilityEventsConsumer implements EventConsumer<DownlinkTransaction> {
  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    if (envelope.type !== OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1) return;
    const change = envelope.data as OccupancyEvents.ZoneAvailabilityChangedV1Data;
    await tx.$executeRaw`
      INSERT INTO downlink.availability AS a (tenant_id, site_id, scope_id, free, total, version)
      VALUES (${change.tenantId}::uuid, ${change.siteId}::uuid, ${change.zoneId ?? change.siteId}::uuid, ${change.counts.free}::int, ${change.counts.total}::int, ${change.version}::bigint)
      ON CONFLICT (tenant_id, scope_id) DO UPDATE SET free = EXCLUDED.free, total = EXCLUDED.total, version = EXCLUDED.version, updated_at = now()
       WHERE a.version < EXCLUDED.version`;
  }
}

export const AVAILABILITY_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'availability',
  stream: STREAMS.OCCUPANCY.name,
  filterSubject: `${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.>`,
  handler: AvailabilityEventsConsumer,
};
