import { Injectable } from '@nestjs/common';
import { IdentityEvents, OccupancyEvents, STREAMS, type EventEnvelope } from '@parking/contracts';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import type { ReservationsTransaction } from '@parking/reservations/data-access';
import { SensorArrivals } from '../lifecycle/sensor-arrivals';
import { InventoryStore } from './inventory-store';

/** Sites as occupancy announces them. */
@Injectable()
export class SiteEventsConsumer implements EventConsumer<ReservationsTransaction> {
  async handle(envelope: EventEnvelope, tx: ReservationsTransaction): Promise<void> {
    if (envelope.type === OccupancyEvents.SITE_UPSERTED_V1) await InventoryStore.upsertSite(tx, envelope.data as OccupancyEvents.SiteUpsertedV1Data);
    if (envelope.type === OccupancyEvents.SITE_REMOVED_V1) {
      const data = envelope.data as OccupancyEvents.SiteRemovedV1Data;
      await InventoryStore.remove(tx, 'site', data.siteId, data.tenantId, data.removedAt);
    }
  }
}

/** Zones: upserts and removals come through two consumers (one filter each) to this one handler. */
@Injectable()
export class ZoneEventsConsumer implements EventConsumer<ReservationsTransaction> {
  async handle(envelope: EventEnvelope, tx: ReservationsTransaction): Promise<void> {
    if (envelope.type === OccupancyEvents.ZONE_UPSERTED_V1) await InventoryStore.upsertZone(tx, envelope.data as OccupancyEvents.ZoneUpsertedV1Data);
    if (envelope.type === OccupancyEvents.ZONE_REMOVED_V1) {
      const data = envelope.data as OccupancyEvents.ZoneRemovedV1Data;
      await InventoryStore.remove(tx, 'zone', data.zoneId, data.tenantId, data.removedAt);
    }
  }
}

/** Spaces and their live state; a state change may check a booking in or complete it. */
@Injectable()
export class SpaceEventsConsumer implements EventConsumer<ReservationsTransaction> {
  constructor(private readonly arrivals: SensorArrivals) {}

  async handle(envelope: EventEnvelope, tx: ReservationsTransaction): Promise<void> {
    switch (envelope.type) {
      case OccupancyEvents.SPACE_UPSERTED_V1:
        return InventoryStore.upsertSpace(tx, envelope.data as OccupancyEvents.SpaceUpsertedV1Data);
      case OccupancyEvents.SPACE_REMOVED_V1: {
        const data = envelope.data as OccupancyEvents.SpaceRemovedV1Data;
        return InventoryStore.remove(tx, 'space', data.spaceId, data.tenantId, data.removedAt);
      }
      case OccupancyEvents.SPACE_STATE_CHANGED_V1: {
        const data = envelope.data as OccupancyEvents.SpaceStateChangedV1Data;
        await InventoryStore.applyState(tx, { tenantId: data.tenantId, spaceId: data.spaceId, siteId: data.siteId, zoneId: data.zoneId, state: data.to, version: data.version, changedAt: data.changedAt });
        return this.arrivals.apply(tx, data);
      }
      default:
        return;
    }
  }
}

/** Keeps reservations.tenant_limits at the highest version identity announced per tenant. */
@Injectable()
export class TenantLimitsConsumer implements EventConsumer<ReservationsTransaction> {
  async handle(envelope: EventEnvelope, tx: ReservationsTransaction): Promise<void> {
    const { tenantId, limits, version } = envelope.data as IdentityEvents.TenantLimitsChangedV1Data;
    await tx.$executeRaw`
      INSERT INTO reservations.tenant_limits (tenant_id, reservations_per_month, version, updated_at)
      VALUES (${tenantId}::uuid, ${limits.reservationsPerMonth}::int, ${version}::int, now())
      ON CONFLICT (tenant_id) DO UPDATE SET reservations_per_month = EXCLUDED.reservations_per_month, version = EXCLUDED.version, updated_at = now()
       WHERE reservations.tenant_limits.version < EXCLUDED.version`;
  }
}

/** The durables, as NATS_ACCESS declares them (its spec checks the names and filters). */
export const RESERVATIONS_CONSUMERS: ConsumerDefinition[] = [
  { purpose: 'spaces', stream: STREAMS.OCCUPANCY.name, filterSubject: 'occupancy.space.>', handler: SpaceEventsConsumer, concurrency: 8 },
  { purpose: 'sites', stream: STREAMS.OCCUPANCY.name, filterSubject: 'occupancy.site.>', handler: SiteEventsConsumer, concurrency: 2 },
  { purpose: 'zone-upserts', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_UPSERTED_V1}.>`, handler: ZoneEventsConsumer, concurrency: 2 },
  { purpose: 'zone-removals', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_REMOVED_V1}.>`, handler: ZoneEventsConsumer, concurrency: 2 },
  { purpose: 'tenant-limits', stream: STREAMS.IDENTITY.name, filterSubject: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`, handler: TenantLimitsConsumer, concurrency: 2 },
];
