import { Injectable } from '@nestjs/common';
import { OccupancyEvents, OpeningHours, SpaceType, ZoneKind } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { OccupancySql, Site, Space, Zone } from '@parking/occupancy/data-access';

/** A site row as it is after the change (its version included). */
export type SiteRow = Pick<Site, 'id' | 'tenantId' | 'name' | 'timeZone' | 'openingHours' | 'version'>;
export type ZoneRow = Pick<Zone, 'id' | 'tenantId' | 'siteId' | 'parentZoneId' | 'path' | 'name' | 'kind' | 'version'>;
export type SpaceRow = Pick<Space, 'id' | 'tenantId' | 'siteId' | 'zoneId' | 'code' | 'name' | 'type' | 'priceZone' | 'version'>;
/** What a removal names. */
export type SiteKey = Pick<Site, 'id' | 'tenantId'>;
export type ZoneKey = Pick<Zone, 'id' | 'tenantId' | 'siteId'>;
export type SpaceKey = Pick<Space, 'id' | 'tenantId' | 'siteId'>;

export function siteUpserted(row: SiteRow): OccupancyEvents.SiteUpsertedV1Data {
  return {
    tenantId: row.tenantId,
    siteId: row.id,
    name: row.name,
    timeZone: row.timeZone,
    openingHours: (row.openingHours as OpeningHours | null) ?? null,
    version: row.version,
  };
}

export function zoneUpserted(row: ZoneRow): OccupancyEvents.ZoneUpsertedV1Data {
  return {
    tenantId: row.tenantId,
    zoneId: row.id,
    siteId: row.siteId,
    parentZoneId: row.parentZoneId,
    path: row.path,
    name: row.name,
    kind: row.kind as ZoneKind,
    version: row.version,
  };
}

export function spaceUpserted(row: SpaceRow): OccupancyEvents.SpaceUpsertedV1Data {
  return {
    tenantId: row.tenantId,
    spaceId: row.id,
    siteId: row.siteId,
    zoneId: row.zoneId,
    code: row.code,
    name: row.name,
    type: row.type as SpaceType,
    priceZone: row.priceZone,
    version: row.version,
  };
}

/**
 * Announces every change of a site, zone or space in the caller's transaction, so the events
 * exist if and only if the change does. Upserts carry the row as it is after the change, so
 * callers pass what the write returned (version included).
 */
@Injectable()
export class InventoryEvents {
  constructor(private readonly outbox: OutboxWriter) {}

  async sitesUpserted(tx: OccupancySql, sites: readonly SiteRow[], at = new Date()): Promise<void> {
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.SiteUpsertedV1,
      sites.map((row) => ({ tenantId: row.tenantId, aggregateId: row.id, time: at, data: siteUpserted(row) })),
    );
  }

  async zonesUpserted(tx: OccupancySql, zones: readonly ZoneRow[], at = new Date()): Promise<void> {
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.ZoneUpsertedV1,
      zones.map((row) => ({ tenantId: row.tenantId, aggregateId: row.id, time: at, data: zoneUpserted(row) })),
    );
  }

  async spacesUpserted(tx: OccupancySql, spaces: readonly SpaceRow[], at = new Date()): Promise<void> {
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.SpaceUpsertedV1,
      spaces.map((row) => ({ tenantId: row.tenantId, aggregateId: row.id, time: at, data: spaceUpserted(row) })),
    );
  }

  async zonesRemoved(tx: OccupancySql, zones: readonly ZoneKey[], at = new Date()): Promise<void> {
    const removedAt = at.toISOString();
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.ZoneRemovedV1,
      zones.map((zone) => ({ tenantId: zone.tenantId, aggregateId: zone.id, time: at, data: { tenantId: zone.tenantId, zoneId: zone.id, siteId: zone.siteId, removedAt } })),
    );
  }

  /** The site and the zones that went with it (a site with spaces is never deleted), zones first. */
  async siteRemoved(tx: OccupancySql, site: SiteKey, zones: readonly ZoneKey[], at = new Date()): Promise<void> {
    await this.zonesRemoved(tx, zones, at);
    await this.outbox.append(tx, OccupancyEvents.SiteRemovedV1, {
      tenantId: site.tenantId,
      aggregateId: site.id,
      time: at,
      data: { tenantId: site.tenantId, siteId: site.id, removedAt: at.toISOString() },
    });
  }

  async spaceRemoved(tx: OccupancySql, space: SpaceKey, at = new Date()): Promise<void> {
    await this.outbox.append(tx, OccupancyEvents.SpaceRemovedV1, {
      tenantId: space.tenantId,
      aggregateId: space.id,
      time: at,
      data: { tenantId: space.tenantId, spaceId: space.id, siteId: space.siteId, removedAt: at.toISOString() },
    });
  }
}
