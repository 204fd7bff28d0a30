import { Injectable } from '@nestjs/common';
import { IdentityEvents, OccupancyEvents, STREAMS, type EventEnvelope } from '@parking/contracts';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import type { ReservationsTransaction } from '@parking/reservations/data-access';
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

/** The durables taken one event at a time, as NATS_ACCESS declares them (its spec checks the names and filters); the spaces' are taken in batches (SpaceEventsConsumer). */
export const RESERVATIONS_CONSUMERS: ConsumerDefinition[] = [
  { purpose: 'sites', stream: STREAMS.OCCUPANCY.name, filterSubject: 'occupancy.site.>', handler: SiteEventsConsumer, concurrency: 2 },
  { purpose: 'zone-upserts', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_UPSERTED_V1}.>`, handler: ZoneEventsConsumer, concurrency: 2 },
  { purpose: 'zone-removals', stream: STREAMS.OCCUPANCY.name, filterSubject: `${OccupancyEvents.ZONE_REMOVED_V1}.>`, handler: ZoneEventsConsumer, concurrency: 2 },
  { purpose: 'tenant-limits', stream: STREAMS.IDENTITY.name, filterSubject: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`, handler: TenantLimitsConsumer, concurrency: 2 },
];
