import { Injectable } from '@nestjs/common';
import { EventEnvelope, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { SignPlanner } from '../queue/sign-planner';

/** Keeps each zone's and site's free count, as occupancy announces it, and shows it on their count signs. */
@Injectable()
export class AvailabilityEventsConsumer implements EventConsumer<DownlinkTransaction> {
  constructor(private readonly planner: SignPlanner) {}

  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    if (envelope.type !== OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1) return;
    const change = envelope.data as OccupancyEvents.ZoneAvailabilityChangedV1Data;
    const scopeId = change.zoneId ?? change.siteId;
    const changed = await tx.$executeRaw`
      INSERT INTO downlink.availability AS a (tenant_id, site_id, scope_id, free, total, version)
      VALUES (${change.tenantId}::uuid, ${change.siteId}::uuid, ${scopeId}::uuid, ${change.counts.free}::int, ${change.counts.total}::int, ${change.version}::bigint)
      ON CONFLICT (tenant_id, scope_id) DO UPDATE SET free = EXCLUDED.free, total = EXCLUDED.total, version = EXCLUDED.version, updated_at = now()
       WHERE a.version < EXCLUDED.version`;
    if (changed > 0) await this.planner.planScope(tx, scopeId);
  }
}

export const AVAILABILITY_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'availability',
  stream: STREAMS.OCCUPANCY.name,
  filterSubject: `${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.>`,
  handler: AvailabilityEventsConsumer,
};
