import { Injectable } from '@nestjs/common';
import { EventEnvelope, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { SignPlanner } from '../queue/sign-planner';

/**
 * Keeps downlink.spaces in step with occupancy's spaces: where each lies, its type (a policy may
 * colour accessible or EV bays apart) and its state. Fields and state carry versions of their
 * own, so each applies only over an older one, in whichever order they arrive; a state that
 * arrives before its space leaves a row the upsert completes. A change the row takes goes on to
 * the space's bay lights.
 */
@Injectable()
export class SpaceEventsConsumer implements EventConsumer<DownlinkTransaction> {
  constructor(private readonly planner: SignPlanner) {}

  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    switch (envelope.type) {
      case OccupancyEvents.SPACE_UPSERTED_V1: {
        const space = envelope.data as OccupancyEvents.SpaceUpsertedV1Data;
        const changed = await tx.$executeRaw`
          INSERT INTO downlink.spaces AS s (id, tenant_id, site_id, zone_id, type, version)
          VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${space.siteId}::uuid, ${space.zoneId}::uuid, ${space.type}, ${space.version}::int)
          ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, zone_id = EXCLUDED.zone_id, type = EXCLUDED.type, version = EXCLUDED.version, updated_at = now()
           WHERE NOT s.removed AND s.version < EXCLUDED.version`;
        if (changed > 0) await this.planner.planSpace(tx, space.spaceId);
        return;
      }
      case OccupancyEvents.SPACE_STATE_CHANGED_V1: {
        const change = envelope.data as OccupancyEvents.SpaceStateChangedV1Data;
        const changed = await tx.$executeRaw`
          INSERT INTO downlink.spaces AS s (id, tenant_id, site_id, zone_id, state, state_version)
          VALUES (${change.spaceId}::uuid, ${change.tenantId}::uuid, ${change.siteId}::uuid, ${change.zoneId}::uuid, ${change.to}, ${change.version}::bigint)
          ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, state_version = EXCLUDED.state_version, updated_at = now()
           WHERE NOT s.removed AND s.state_version < EXCLUDED.state_version`;
        if (changed > 0) await this.planner.planSpace(tx, change.spaceId);
        return;
      }
      case OccupancyEvents.SPACE_REMOVED_V1: {
        const space = envelope.data as OccupancyEvents.SpaceRemovedV1Data;
        await tx.$executeRaw`
          INSERT INTO downlink.spaces (id, tenant_id, site_id, removed) VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${space.siteId}::uuid, true)
          ON CONFLICT (id) DO UPDATE SET removed = true, updated_at = now()`;
        return;
      }
    }
  }
}

/** Spaces with their states: ordered per space by the versions, so several may run at once. */
export const SPACE_EVENTS_CONSUMER: ConsumerDefinition = {
  purpose: 'spaces',
  stream: STREAMS.OCCUPANCY.name,
  filterSubject: 'occupancy.space.>',
  handler: SpaceEventsConsumer,
};
